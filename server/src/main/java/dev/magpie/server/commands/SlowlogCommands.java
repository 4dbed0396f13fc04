package dev.magpie.server.commands;

import dev.magpie.protocol.RespWriter;
import dev.magpie.server.command.Arguments;
import dev.magpie.server.command.CommandSpec;
import dev.magpie.server.command.CommandTable;
import dev.magpie.server.engine.Engine;
import dev.magpie.server.engine.SlowLog;
import dev.magpie.server.session.Session;

import static dev.magpie.server.command.CommandFlag.ADMIN;
import static dev.magpie.server.command.CommandFlag.LOADING;
import static dev.magpie.server.command.CommandFlag.STALE;

/** SLOWLOG GET, LEN, RESET, HELP over the engine's {@link SlowLog}. */
public final class SlowlogCommands extends CommandFamily {
    private static final int DEFAULT_COUNT = 10;
    private static final String[] HELP = {
        "GET [<count>]",
        "    Answer the <count> newest entries (default 10, -1 for all). Each entry holds:",
        "    its id, the unix time it was logged, how long the command ran in microseconds,",
        "    the command's arguments, the client's address and the client's name.",
        "LEN",
        "    Answer how many entries the slow log holds.",
        "RESET",
        "    Empty the slow log.",
    };

    public SlowlogCommands(Engine engine) {
        super(engine);
    }

    @Override
    public void register(CommandTable table) {
        CommandSpec slowlog = command("slowlog").arity(-2).acl("slow").group("server").since("2.2.12")
                .summary("Reads and resets the log of slow commands.").complexity("Depends on subcommand.");
        slowlog.subcommand("get").arity(-2).flags(ADMIN, LOADING, STALE).acl("admin slow dangerous")
                .tips("request_policy:all_nodes", "nondeterministic_output")
                .summary("Returns the newest entries of the slow log.")
                .complexity("O(N) where N is the number of entries returned").implementation(this::get)
                .done()
                .subcommand("len").arity(2).flags(ADMIN, LOADING, STALE).acl("admin slow dangerous")
                .tips("request_policy:all_nodes", "response_policy:agg_sum", "nondeterministic_output")
                .summary("Returns the number of entries in the slow log.").complexity("O(1)").implementation(this::len)
                .done()
                .subcommand("reset").arity(2).flags(ADMIN, LOADING, STALE).acl("admin slow dangerous")
                .tips("request_policy:all_nodes", "response_policy:all_succeeded")
                .summary("Empties the slow log.").complexity("O(N) where N is the number of entries in the slow log")
                .implementation(this::reset)
                .done()
                .subcommand("help").arity(2).flags(LOADING, STALE).acl("slow").since("6.2.0")
                .summary("Lists the SLOWLOG subcommands.").complexity("O(1)").implementation(this::help);
        table.register(slowlog);
    }

    private void get(Session session, Arguments args) {
        if (args.count() > 3) {
            error(session, AdminReplies.subcommandSyntax(args));
            return;
        }
        long count = DEFAULT_COUNT;
        if (args.count() == 3) {
            count = args.parseLong(2);
            if (!args.parsedOk() || count < -1) {
                error(session, "ERR count should be greater than or equal to -1");
                return;
            }
            if (count == -1) {
                count = Long.MAX_VALUE;
            }
        }
        SlowLog log = engine.slowLog();
        RespWriter out = session.out();
        long sent = Math.min(count, log.size());
        out.arrayHeader(sent);
        for (SlowLog.Record record : log.records()) {
            if (sent-- == 0) {
                break;
            }
            out.arrayHeader(6);
            out.integer(record.id());
            out.integer(record.unixSeconds());
            out.integer(record.micros());
            out.arrayHeader(record.args().length);
            for (byte[] arg : record.args()) {
                out.bulk(arg);
            }
            out.bulk(record.clientAddress());
            out.bulk(record.clientName());
        }
    }

    private void len(Session session, Arguments args) {
        session.out().integer(engine.slowLog().size());
    }

    private void reset(Session session, Arguments args) {
        engine.slowLog().reset();
        session.out().ok();
    }

    private void help(Session session, Arguments args) {
        AdminReplies.help(session.out(), "SLOWLOG", HELP);
    }
}
