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

    public Command implementation() {
        return command;
    }

    public Map<String, CommandSpec> subcommands() {
        return Collections.unmodifiableMap(subcommands);
    }

    public CommandSpec findSubcommand(String lowerCaseName) {
        return subcommands.get(lowerCaseName);
    }

    /** True when {@code argc} arguments (name included) satisfy the arity. */
    public boolean arityAccepts(int argc) {
        return arity >= 0 ? argc == arity : argc >= -arity;
    }
}
