package dev.magpie.server.command;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One command as data: the name, arity, flags, key positions, ACL categories and docs that
 * dispatch, COMMAND, COMMAND DOCS and the README all read, plus its implementation and its
 * INFO commandstats counters. Declared once, in its family's class.
 */
public final class CommandSpec {
    private final String name;
    private final CommandSpec parent;
    private int arity;
    private int flags;
    private int firstKey;
    private int lastKey;
    private int keyStep;
    private final List<String> aclCategories = new ArrayList<>();
    private String group = "generic";
    private String since = "1.0.0";
    private String summary = "";
    private String complexity = "";
    private Command command;
    private final Map<String, CommandSpec> subcommands = new LinkedHashMap<>();
    private final Map<String, CommandSpec> subcommandsView = Collections.unmodifiableMap(subcommands);
    private final List<String> tips = new ArrayList<>();
    private final List<KeySpec> keySpecs = new ArrayList<>();
    private KeyFinder keyFinder;

    public long calls;
    public long microseconds;
    public long rejectedCalls;
    public long failedCalls;

    private CommandSpec(String name, CommandSpec parent) {
        this.name = name.toLowerCase(Locale.ROOT);
        this.parent = parent;
    }

    public static CommandSpec command(String name) {
        return new CommandSpec(name, null);
    }

    /** Declares a subcommand ("client|list"); it inherits nothing but the group. */
    public CommandSpec subcommand(String name) {
        CommandSpec sub = new CommandSpec(name, this);
        sub.group = group;
        sub.since = since;
        subcommands.put(sub.name, sub);
        return sub;
    }

    public CommandSpec arity(int arity) {
        this.arity = arity;
        return this;
    }

    public CommandSpec flags(CommandFlag... flags) {
        for (CommandFlag flag : flags) {
            this.flags |= flag.bit();
        }
        return this;
    }

    /** Key positions as Redis's legacy triple: first, last (negative counts from the end), step. */
    public CommandSpec keys(int first, int last, int step) {
        this.firstKey = first;
        this.lastKey = last;
        this.keyStep = step;
        return this;
    }

    /** ACL categories without the '@', e.g. "write string fast". */
    public CommandSpec acl(String categories) {
        for (String category : categories.trim().split("\\s+")) {
            if (!category.isEmpty()) {
                aclCategories.add(category);
            }
        }
        return this;
    }

    public CommandSpec group(String group) {
        this.group = group;
        return this;
    }

    public CommandSpec since(String since) {
        this.since = since;
        return this;
    }

    public CommandSpec summary(String summary) {
        this.summary = summary;
        return this;
    }

    public CommandSpec complexity(String complexity) {
        this.complexity = complexity;
        return this;
    }

    public CommandSpec implementation(Command command) {
        this.command = command;
        return this;
    }

    /** Hints for clients and proxies, as COMMAND INFO lists them ("nondeterministic_output", "request_policy:all_shards"). */
    public CommandSpec tips(String... tips) {
        this.tips.addAll(List.of(tips));
        return this;
    }

    /**
     * Declares one key spec (COMMAND INFO's precise key positions). Without any, one is derived
     * from the legacy {@link #keys(int, int, int)} triple.
     */
    public CommandSpec keySpec(KeySpec spec) {
        keySpecs.add(spec);
        return this;
    }

    /** The keys of a command whose positions depend on its arguments (EVAL's numkeys...), for COMMAND GETKEYS. */
    public CommandSpec keyFinder(KeyFinder finder) {
        this.keyFinder = finder;
        return this;
    }

    /** Returns the parent, to keep declaring subcommands fluently. */
    public CommandSpec done() {
        return parent;
    }

    public String name() {
        return name;
    }

    /** "get" for commands, "client|list" for subcommands, as Redis names them in errors and stats. */
    public String fullName() {
        return parent == null ? name : parent.name + "|" + name;
    }

    public CommandSpec parent() {
        return parent;
    }

    public int arity() {
        return arity;
    }

    public boolean has(CommandFlag flag) {
        return (flags & flag.bit()) != 0;
    }

    private static final int FAST_READ = CommandFlag.READONLY.bit() | CommandFlag.FAST.bit();

    /** A fast read-only command (GET, MGET, EXISTS, HGET, ...): it changes no value it looks up. */
    public boolean onlyReads() {
        return (flags & FAST_READ) == FAST_READ;
    }

    public List<String> flagLabels() {
        List<String> labels = new ArrayList<>();
        for (CommandFlag flag : CommandFlag.values()) {
            if (has(flag)) {
                labels.add(flag.label());
            }
        }
        return labels;
    }

    public int firstKey() {
        return firstKey;
    }

    public int lastKey() {
        return lastKey;
    }

    public int keyStep() {
        return keyStep;
    }

    public List<String> aclCategories() {
        return Collections.unmodifiableList(aclCategories);
    }

    public String group() {
        return group;
    }

    public String since() {
        return since;
    }

    public String summary() {
        return summary;
    }

    public String complexity() {
        return complexity;
    }

    public List<String> tips() {
        return Collections.unmodifiableList(tips);
    }

    /** The declared key specs, or the one derived from the legacy triple (flags from READONLY/WRITE). */
    public List<KeySpec> keySpecs() {
        if (!keySpecs.isEmpty() || firstKey <= 0) {
            return Collections.unmodifiableList(keySpecs);
        }
        String access = has(CommandFlag.WRITE) ? "RW access update" : "RO access";
        int last = lastKey < 0 ? lastKey : lastKey - firstKey;
        return List.of(KeySpec.range(access, firstKey, last, Math.max(1, keyStep), 0));
    }

    public KeyFinder keyFinder() {
        return keyFinder;
    }

    public Command implementation() {
        return command;
    }

    public Map<String, CommandSpec> subcommands() {
        return subcommandsView;
    }

    public boolean hasSubcommands() {
        return !subcommands.isEmpty();
    }

    public CommandSpec findSubcommand(String lowerCaseName) {
        return subcommands.get(lowerCaseName);
    }

    /** True when {@code argc} arguments (name included) satisfy the arity. */
    public boolean arityAccepts(int argc) {
        return arity >= 0 ? argc == arity : argc >= -arity;
    }
}
