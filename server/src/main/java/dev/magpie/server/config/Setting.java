package dev.magpie.server.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One configuration parameter as redis.conf and CONFIG know it: a name (and aliases), a kind
 * that parses and prints values the way Redis does, a default, whether CONFIG SET may change it
 * at run time, and a one-line description for the docs.
 */
public final class Setting {
    private final String name;
    private final List<String> aliases;
    private final SettingKind kind;
    private final String defaultValue;
    private final boolean mutable;
    private final boolean protectedConfig;
    private final String description;
    private final List<SettingListener> listeners = new ArrayList<>();
    private Object value;

    Setting(String name, List<String> aliases, SettingKind kind, String defaultValue, boolean mutable,
            boolean protectedConfig, String description) {
        this.name = name;
        this.aliases = aliases;
        this.kind = kind;
        this.defaultValue = defaultValue;
        this.mutable = mutable;
        this.protectedConfig = protectedConfig;
        this.description = description;
        this.value = kind.parse(defaultValue);
    }

    public String name() {
        return name;
    }

    public List<String> aliases() {
        return aliases;
    }

    public SettingKind kind() {
        return kind;
    }

    public String defaultValue() {
        return defaultValue;
    }

    /** The default as CONFIG GET prints it (normalised: "10mb" shows as bytes). */
    public String defaultText() {
        return kind.format(kind.parse(defaultValue));
    }

    public boolean mutable() {
        return mutable;
    }

    /** Redis's protected configs (dir, dbfilename): CONFIG SET needs enable-protected-configs. */
    public boolean protectedConfig() {
        return protectedConfig;
    }

    public String description() {
        return description;
    }

    public Object value() {
        return value;
    }

    /** The value as CONFIG GET prints it. */
    public String text() {
        return kind.format(value);
    }

    /** Parses and applies; throws {@link IllegalArgumentException} with Redis's reason when invalid. */
    public void set(String text) {
        apply(parse(text));
    }

    /** Parses without applying; throws {@link IllegalArgumentException} with Redis's reason when invalid. */
    public Object parse(String text) {
        return kind.parse(text);
    }

    /** Applies an already parsed value; a listener that rejects it leaves the previous value in place. */
    public void apply(Object parsed) {
        Object previous = value;
        value = parsed;
        try {
            for (SettingListener listener : listeners) {
                listener.changed(this);
            }
        } catch (IllegalArgumentException e) {
            restore(previous);
            throw e;
        }
    }

    /** Puts a previous value back (undoing part of a CONFIG SET), telling listeners but ignoring their objections. */
    public void restore(Object previous) {
        value = previous;
        for (SettingListener listener : listeners) {
            try {
                listener.changed(this);
            } catch (IllegalArgumentException ignored) {
                // the previous value was accepted once; nothing better to go back to
            }
        }
    }

    /** Adds a reaction to changes (several parts of the server may listen to one setting). */
    public void listen(SettingListener listener) {
        listeners.add(listener);
    }

    public boolean matchesName(String candidate) {
        String lower = candidate.toLowerCase(Locale.ROOT);
        return name.equals(lower) || aliases.contains(lower);
    }

    /** Reacts to a new value; throwing IllegalArgumentException rejects it. */
    @FunctionalInterface
    public interface SettingListener {
        void changed(Setting setting);
    }
}
