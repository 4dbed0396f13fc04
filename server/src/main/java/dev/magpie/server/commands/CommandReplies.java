package dev.magpie.server.commands;

import dev.magpie.protocol.RespWriter;
import dev.magpie.server.command.CommandSpec;
import dev.magpie.server.command.KeySpec;

import java.util.Collection;
import java.util.List;

/** The shapes of COMMAND INFO and COMMAND DOCS entries, written from a {@link CommandSpec}. */
final class CommandReplies {
    private CommandReplies() {
    }

    /**
     * One COMMAND INFO entry: name, arity, flags, first key, last key, step, ACL categories, tips,
     * key specs, subcommands. Flags and categories are status replies in a set (an array in RESP2).
     */
    static void info(RespWriter out, CommandSpec spec) {
        out.arrayHeader(10);
        out.bulk(spec.fullName());
        out.integer(spec.arity());
        List<String> flags = spec.flagLabels();
        out.setHeader(flags.size());
        for (String flag : flags) {
            out.simple(flag);
        }
        out.integer(spec.firstKey());
        out.integer(spec.lastKey());
        out.integer(spec.keyStep());
        List<String> categories = spec.aclCategories();
        out.setHeader(categories.size());
        for (String category : categories) {
            out.simple("@" + category);
        }
        List<String> tips = spec.tips();
        out.setHeader(tips.size());
        for (String tip : tips) {
            out.bulk(tip);
        }
        List<KeySpec> keySpecs = spec.keySpecs();
        out.setHeader(keySpecs.size());
        for (KeySpec keySpec : keySpecs) {
            keySpec(out, keySpec);
        }
        Collection<CommandSpec> subcommands = spec.subcommands().values();
        if (subcommands.isEmpty()) {
            out.setHeader(0);
        } else {
            out.arrayHeader(subcommands.size());
            for (CommandSpec sub : subcommands) {
                info(out, sub);
            }
        }
    }

    private static void keySpec(RespWriter out, KeySpec spec) {
        out.mapHeader(3);
        out.bulk("flags");
        out.setHeader(spec.flags().size());
        for (String flag : spec.flags()) {
            out.simple(flag);
        }
        out.bulk("begin_search");
        out.mapHeader(2);
        out.bulk("type");
        if (spec.byKeyword()) {
            out.bulk("keyword");
            out.bulk("spec");
            out.mapHeader(2);
            out.bulk("keyword");
            out.bulk(spec.keyword());
            out.bulk("startfrom");
            out.integer(spec.startFrom());
        } else {
            out.bulk("index");
            out.bulk("spec");
            out.mapHeader(1);
            out.bulk("index");
            out.integer(spec.index());
        }
        out.bulk("find_keys");
        out.mapHeader(2);
        out.bulk("type");
        if (spec.byKeyNum()) {
            out.bulk("keynum");
            out.bulk("spec");
            out.mapHeader(3);
            out.bulk("keynumidx");
            out.integer(spec.keyNumIndex());
            out.bulk("firstkey");
            out.integer(spec.firstKey());
            out.bulk("keystep");
            out.integer(spec.keyStep());
        } else {
            out.bulk("range");
            out.bulk("spec");
            out.mapHeader(3);
            out.bulk("lastkey");
            out.integer(spec.lastKey());
            out.bulk("keystep");
            out.integer(spec.keyStep());
            out.bulk("limit");
            out.integer(spec.limit());
        }
    }

    /** One COMMAND DOCS value: summary, since, group, complexity and the subcommands' docs. */
    static void docs(RespWriter out, CommandSpec spec) {
        Collection<CommandSpec> subcommands = spec.subcommands().values();
        out.mapHeader(subcommands.isEmpty() ? 4 : 5);
        out.bulk("summary");
        out.bulk(spec.summary());
        out.bulk("since");
        out.bulk(spec.since());
        out.bulk("group");
        out.bulk(spec.group());
        out.bulk("complexity");
        out.bulk(spec.complexity());
        if (!subcommands.isEmpty()) {
            out.bulk("subcommands");
            out.mapHeader(subcommands.size());
            for (CommandSpec sub : subcommands) {
                out.bulk(sub.fullName());
                docs(out, sub);
            }
        }
    }
}
