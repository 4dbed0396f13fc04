package dev.magpie.server.commands;

import dev.magpie.server.command.Arguments;
import dev.magpie.server.command.CommandTable;
import dev.magpie.server.engine.Engine;
import dev.magpie.server.session.Session;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import static dev.magpie.server.command.CommandFlag.LOADING;
import static dev.magpie.server.command.CommandFlag.STALE;

/**
 * INFO [section ...]: the server's state as "# Section" blocks of "field:value" lines, CRLF
 * separated, in Redis 7.0's section order and field names (what exporters and clients parse).
 * A bulk string in RESP2, a verbatim "txt" string in RESP3.
 */
public final class InfoCommand extends CommandFamily {
    /** Every section, in the order Redis prints them. */
    static final List<String> ORDER = List.of("server", "clients", "memory", "persistence", "stats",
            "replication", "cpu", "modules", "commandstats", "errorstats", "latencystats", "cluster", "keyspace");
    static final Set<String> DEFAULT = Set.of("server", "clients", "memory", "persistence", "stats",
            "replication", "cpu", "modules", "errorstats", "cluster", "keyspace");

    private final InfoSections sections;

    public InfoCommand(Engine engine) {
        super(engine);
        this.sections = new InfoSections(engine);
    }

    @Override
    public void register(CommandTable table) {
        table.register(command("info").arity(-1).flags(LOADING, STALE).acl("slow dangerous").group("server")
                .tips("nondeterministic_output", "request_policy:all_shards", "response_policy:special")
                .summary("Returns information and statistics about the server, by section.")
                .complexity("O(1)").implementation(this::info));
    }

    private void info(Session session, Arguments args) {
        Set<String> wanted = new LinkedHashSet<>();
        if (args.count() == 1) {
            wanted.addAll(DEFAULT);
        }
        for (int i = 1; i < args.count(); i++) {
            String name = args.string(i).toLowerCase(Locale.ROOT);
            switch (name) {
                case "all", "everything" -> wanted.addAll(ORDER);
                case "default" -> wanted.addAll(DEFAULT);
                default -> wanted.add(name);
            }
        }
        StringBuilder text = new StringBuilder(4096);
        for (String section : ORDER) {
            if (wanted.contains(section)) {
                if (text.length() > 0) {
                    text.append("\r\n");
                }
                sections.append(section, session, text);
            }
        }
        session.out().verbatim("txt", text.toString());
    }
}
