package dev.magpie.server.config;

import java.util.List;
import java.util.Locale;

/**
 * One configuration parameter as redis.conf and CONFIG know it: a name (and aliases), a kind
 * that parses and prints values the way Redis does, a default, and whether CONFIG SET may
 * change it at run time.
 */
public final class Setting {
    private final String name;
    private final List<String> aliases;
    private final SettingKind kind;
    private final String defaultValue;
    private final boolean mutable;
    private Object value;
    private SettingListener listener;

    Setting(String name, List<String> aliases, SettingKind kind, String defaultValue, boolean mutable) {
        this.name = name;
        this.aliases = aliases;
        this.kind = kind;
        this.defaultValue = defaultValue;
        this.mutable = mutable;
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

    public boolean mutable() {
        return mutable;
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
        Object parsed = kind.parse(text);
        Object previous = value;
        value = parsed;
        if (listener != null) {
            try {
                listener.changed(this);
            } catch (IllegalArgumentException e) {
                value = previous;
                throw e;
            }
        }
    }

    void restore(Object previous) {
        value = previous;
    }

    public void listen(SettingListener listener) {
        this.listener = listener;
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
