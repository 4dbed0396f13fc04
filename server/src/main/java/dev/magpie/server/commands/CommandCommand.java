package dev.magpie.server.commands;

import dev.magpie.protocol.RespWriter;
import dev.magpie.server.command.Arguments;
import dev.magpie.server.command.CommandFlag;
import dev.magpie.server.command.CommandSpec;
import dev.magpie.server.command.CommandTable;
import dev.magpie.server.command.KeySpec;
import dev.magpie.server.engine.Engine;
import dev.magpie.server.session.Session;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import static dev.magpie.server.command.CommandFlag.LOADING;
import static dev.magpie.server.command.CommandFlag.STALE;

/** COMMAND: the command table as clients see it (INFO, DOCS, COUNT, LIST, GETKEYS), all read from the specs. */
public final class CommandCommand extends CommandFamily {
    private static final String[] HELP = {
        "COMMAND <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
        "(no subcommand)",
        "    Return details about all Redis commands.",
        "COUNT",
        "    Return the total number of commands in this Redis server.",
        "LIST",
        "    Return a list of all commands in this Redis server.",
        "INFO [<command-name> ...]",
        "    Return details about multiple Redis commands.",
        "    If no command names are given, documentation details for all",
        "    commands are returned.",
        "DOCS [<command-name> ...]",
        "    Return documentation details about multiple Redis commands.",
        "    If no command names are given, documentation details for all",
        "    commands are returned.",
        "GETKEYS <full-command>",
        "    Return the keys from a full Redis command.",
        "GETKEYSANDFLAGS <full-command>",
        "    Return the keys and the access flags from a full Redis command.",
        "HELP",
        "    Prints this help.",
    };

    public CommandCommand(Engine engine) {
        super(engine);
    }

    @Override
    public void register(CommandTable table) {
        String order = "nondeterministic_output_order";
        CommandSpec command = command("command").arity(-1).flags(LOADING, STALE).acl("slow connection")
                .group("server").since("2.8.13").tips(order)
                .summary("Returns detailed information about every command.")
                .complexity("O(N) where N is the total number of commands").implementation(this::all);
        command.subcommand("count").arity(2).flags(LOADING, STALE).acl("slow connection")
                .summary("Returns how many commands there are.").complexity("O(1)").implementation(this::count)
                .done()
                .subcommand("docs").arity(-2).flags(LOADING, STALE).acl("slow connection").since("7.0.0").tips(order)
                .summary("Returns the documentation of one, several or all commands.")
                .complexity("O(N) where N is the number of commands to look up").implementation(this::docs)
                .done()
                .subcommand("getkeys").arity(-4).flags(LOADING, STALE).acl("slow connection")
                .summary("Extracts the key names from a full command.")
                .complexity("O(N) where N is the number of arguments to the command")
                .implementation((session, args) -> getKeys(session, args, false))
                .done()
                .subcommand("getkeysandflags").arity(-4).flags(LOADING, STALE).acl("slow connection").since("7.0.0")
                .summary("Extracts the key names and their access flags from a full command.")
                .complexity("O(N) where N is the number of arguments to the command")
                .implementation((session, args) -> getKeys(session, args, true))
                .done()
                .subcommand("help").arity(2).flags(LOADING, STALE).acl("slow connection").since("5.0.0")
                .summary("Lists the COMMAND subcommands.").complexity("O(1)").implementation(this::help)
                .done()
                .subcommand("info").arity(-2).flags(LOADING, STALE).acl("slow connection").tips(order)
                .summary("Returns information about one, several or all commands.")
                .complexity("O(N) where N is the number of commands to look up").implementation(this::info)
                .done()
                .subcommand("list").arity(-2).flags(LOADING, STALE).acl("slow connection").since("7.0.0").tips(order)
                .summary("Returns the names of the commands, optionally filtered.")
                .complexity("O(N) where N is the total number of commands").implementation(this::list);
        table.register(command);
    }

    private void all(Session session, Arguments args) {
        RespWriter out = session.out();
        out.arrayHeader(engine.commands().size());
        for (CommandSpec spec : engine.commands().all()) {
            CommandReplies.info(out, spec);
        }
    }

    private void count(Session session, Arguments args) {
        session.out().integer(engine.commands().size());
    }

    /** A command or subcommand by the name clients use: "get", "config|get". */
    private CommandSpec byFullName(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        int bar = lower.indexOf('|');
        if (bar < 0) {
            return engine.commands().find(lower);
        }
        CommandSpec parent = engine.commands().find(lower.substring(0, bar));
        return parent == null ? null : parent.findSubcommand(lower.substring(bar + 1));
    }

    private void info(Session session, Arguments args) {
        if (args.count() == 2) {
            all(session, args);
            return;
        }
        RespWriter out = session.out();
        out.arrayHeader(args.count() - 2);
        for (int i = 2; i < args.count(); i++) {
            CommandSpec spec = byFullName(args.string(i));
            if (spec == null) {
                out.nullBulk();
            } else {
                CommandReplies.info(out, spec);
            }
        }
    }

    private void docs(Session session, Arguments args) {
        RespWriter out = session.out();
        if (args.count() == 2) {
            out.mapHeader(engine.commands().size());
            for (CommandSpec spec : engine.commands().all()) {
                out.bulk(spec.name());
                CommandReplies.docs(out, spec);
            }
            return;
        }
        List<CommandSpec> found = new ArrayList<>();
        for (int i = 2; i < args.count(); i++) {
            CommandSpec spec = byFullName(args.string(i));
            if (spec != null) {
                found.add(spec);
            }
        }
        out.mapHeader(found.size());
        for (CommandSpec spec : found) {
            out.bulk(spec.fullName());
            CommandReplies.docs(out, spec);
        }
    }

    private void list(Session session, Arguments args) {
        String filter = null;
        String value = null;
        if (args.count() != 2) {
            if (args.count() != 5 || !args.is(2, "FILTERBY")) {
                syntaxError(session);
                return;
            }
            if (args.is(3, "MODULE")) {
                filter = "module";
            } else if (args.is(3, "ACLCAT")) {
                filter = "aclcat";
            } else if (args.is(3, "PATTERN")) {
                filter = "pattern";
            } else {
                syntaxError(session);
                return;
            }
            value = args.string(4);
        }
        List<String> names = new ArrayList<>();
        for (CommandSpec spec : engine.commands().allWithSubcommands()) {
            if (filter == null
                    || (filter.equals("aclcat") && hasCategory(spec, value))
                    || (filter.equals("pattern") && IntrospectionGlob.matches(value, spec.fullName(), true))) {
                names.add(spec.fullName());
            }
        }
        RespWriter out = session.out();
        out.arrayHeader(names.size());
        for (String name : names) {
            out.bulk(name);
        }
    }

    private static boolean hasCategory(CommandSpec spec, String category) {
        for (String candidate : spec.aclCategories()) {
            if (candidate.equalsIgnoreCase(category)) {
                return true;
            }
        }
        return false;
    }

    private void getKeys(Session session, Arguments args, boolean withFlags) {
        CommandSpec spec = engine.commands().find(args.data(), args.offset(2), args.length(2));
        if (spec != null && !spec.subcommands().isEmpty() && args.count() > 3) {
            spec = spec.findSubcommand(args.string(3).toLowerCase(Locale.ROOT));
        }
        if (spec == null) {
            error(session, "ERR Invalid command specified");
            return;
        }
        if (spec.keySpecs().isEmpty() && spec.keyFinder() == null) {
            error(session, "ERR The command has no key arguments");
            return;
        }
        int argc = args.count() - 2;
        if (!spec.arityAccepts(argc)) {
            error(session, "ERR Invalid number of arguments specified for command");
            return;
        }
        byte[][] argv = new byte[argc][];
        for (int i = 0; i < argc; i++) {
            argv[i] = args.bytes(i + 2);
        }
        List<int[]> keys = findKeys(spec, argv);
        if (keys == null) {
            if (spec.has(CommandFlag.NO_MANDATORY_KEYS)) {
                session.out().emptyArray();
            } else {
                error(session, "ERR Invalid arguments specified for command");
            }
            return;
        }
        RespWriter out = session.out();
        out.arrayHeader(keys.size());
        for (int[] key : keys) {
            if (withFlags) {
                out.arrayHeader(2);
                out.bulk(argv[key[0]]);
                List<String> flags = key[1] < 0 ? List.of() : spec.keySpecs().get(key[1]).flags();
                out.setHeader(flags.size());
                for (String flag : flags) {
                    out.simple(flag);
                }
            } else {
                out.bulk(argv[key[0]]);
            }
        }
    }

    /** {argument position, key spec index (-1 when found by a key finder)} per key, or null when invalid. */
    static List<int[]> findKeys(CommandSpec spec, byte[][] argv) {
        List<int[]> keys = new ArrayList<>();
        if (spec.keyFinder() != null) {
            int[] positions = spec.keyFinder().find(argv);
            if (positions == null) {
                return null;
            }
            for (int position : positions) {
                keys.add(new int[] {position, -1});
            }
            return keys;
        }
        List<KeySpec> specs = spec.keySpecs();
        int argc = argv.length;
        for (int s = 0; s < specs.size(); s++) {
            KeySpec keySpec = specs.get(s);
            int first = keySpec.byKeyword() ? afterKeyword(keySpec, argv) : keySpec.index();
            if (first <= 0 || first >= argc) {
                continue;
            }
            int last;
            int step = Math.max(1, keySpec.keyStep());
            if (keySpec.byKeyNum()) {
                int countAt = first + keySpec.keyNumIndex();
                if (countAt >= argc) {
                    return null;
                }
                long count;
                try {
                    count = Long.parseLong(new String(argv[countAt], StandardCharsets.US_ASCII));
                } catch (NumberFormatException e) {
                    return null;
                }
                if (count <= 0) {
                    continue;
                }
                first += keySpec.firstKey();
                last = (int) Math.min(Integer.MAX_VALUE, first + (count - 1) * step);
            } else if (keySpec.lastKey() >= 0) {
                last = first + keySpec.lastKey();
            } else if (keySpec.limit() == 0) {
                last = argc + keySpec.lastKey();
            } else {
                last = first + ((argc - first) / keySpec.limit() + keySpec.lastKey());
            }
            if (last >= argc) {
                return null;
            }
            for (int i = first; i <= last; i += step) {
                keys.add(new int[] {i, s});
            }
        }
        return keys;
    }

    private static int afterKeyword(KeySpec spec, byte[][] argv) {
        int argc = argv.length;
        int start = spec.startFrom() >= 0 ? spec.startFrom() : argc + spec.startFrom();
        int end = spec.startFrom() >= 0 ? argc - 1 : 0;
        int direction = spec.startFrom() >= 0 ? 1 : -1;
        for (int i = start; i >= 0 && i < argc && (direction > 0 ? i <= end : i >= end); i += direction) {
            if (new String(argv[i], StandardCharsets.UTF_8).equalsIgnoreCase(spec.keyword())) {
                return i + 1;
            }
        }
        return 0;
    }

    private void help(Session session, Arguments args) {
        RespWriter out = session.out();
        out.arrayHeader(HELP.length);
        for (String line : HELP) {
            out.simple(line);
        }
    }
}
