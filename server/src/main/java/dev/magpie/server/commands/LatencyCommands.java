package dev.magpie.server.commands;

import dev.magpie.protocol.RespWriter;
import dev.magpie.server.command.Arguments;
import dev.magpie.server.command.CommandSpec;
import dev.magpie.server.command.CommandTable;
import dev.magpie.server.engine.Engine;
import dev.magpie.server.engine.LatencyMonitor;
import dev.magpie.server.session.Session;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.magpie.server.command.CommandFlag.ADMIN;
import static dev.magpie.server.command.CommandFlag.LOADING;
import static dev.magpie.server.command.CommandFlag.NOSCRIPT;
import static dev.magpie.server.command.CommandFlag.STALE;

/** LATENCY LATEST, HISTORY, RESET, DOCTOR, HELP over the engine's {@link LatencyMonitor}. */
public final class LatencyCommands extends CommandFamily {
    private static final String[] HELP = {
        "DOCTOR",
        "    Answer a readable summary of the latency spikes seen.",
        "HISTORY <event>",
        "    Answer the (unix time, latency in ms) samples kept for <event>.",
        "LATEST",
        "    Answer, for every event, its latest sample and its all-time maximum.",
        "RESET [<event> ...]",
        "    Forget the samples of the given events (all events when none is named).",
    };

    public LatencyCommands(Engine engine) {
        super(engine);
    }

    @Override
    public void register(CommandTable table) {
        CommandSpec latency = command("latency").arity(-2).acl("slow").group("server").since("2.8.13")
                .summary("Reports the latency spikes the server observed.").complexity("Depends on subcommand.");
        latency.subcommand("latest").arity(2).flags(ADMIN, NOSCRIPT, LOADING, STALE).acl("admin slow dangerous")
                .tips("nondeterministic_output", "request_policy:all_nodes", "response_policy:special")
                .summary("Returns the latest sample of every event.").complexity("O(1)").implementation(this::latest)
                .done()
                .subcommand("history").arity(3).flags(ADMIN, NOSCRIPT, LOADING, STALE).acl("admin slow dangerous")
                .tips("nondeterministic_output", "request_policy:all_nodes", "response_policy:special")
                .summary("Returns the samples of one event.").complexity("O(1)").implementation(this::history)
                .done()
                .subcommand("reset").arity(-2).flags(ADMIN, NOSCRIPT, LOADING, STALE).acl("admin slow dangerous")
                .tips("request_policy:all_nodes", "response_policy:all_succeeded")
                .summary("Forgets the samples of some or all events.").complexity("O(1)").implementation(this::reset)
                .done()
                .subcommand("doctor").arity(2).flags(ADMIN, NOSCRIPT, LOADING, STALE).acl("admin slow dangerous")
                .tips("nondeterministic_output", "request_policy:all_nodes", "response_policy:special")
                .summary("Returns a readable latency report.").complexity("O(1)").implementation(this::doctor)
                .done()
                .subcommand("help").arity(2).flags(LOADING, STALE).acl("slow").since("2.8.13")
                .summary("Lists the LATENCY subcommands.").complexity("O(1)").implementation(this::help);
        table.register(latency);
    }

    private void latest(Session session, Arguments args) {
        Map<String, LatencyMonitor.Event> events = engine.latency().events();
        RespWriter out = session.out();
        out.arrayHeader(events.size());
        for (Map.Entry<String, LatencyMonitor.Event> event : events.entrySet()) {
            LatencyMonitor.Sample last = event.getValue().samples.peekLast();
            out.arrayHeader(4);
            out.bulk(event.getKey());
            out.integer(last == null ? 0 : last.unixSeconds());
            out.integer(last == null ? 0 : last.millis());
            out.integer(event.getValue().maxMillis);
        }
    }

    private void history(Session session, Arguments args) {
        LatencyMonitor.Event event = engine.latency().events().get(args.string(2));
        RespWriter out = session.out();
        if (event == null) {
            out.arrayHeader(0);
            return;
        }
        out.arrayHeader(event.samples.size());
        for (LatencyMonitor.Sample sample : event.samples) {
            out.arrayHeader(2);
            out.integer(sample.unixSeconds());
            out.integer(sample.millis());
        }
    }

    private void reset(Session session, Arguments args) {
        if (args.count() == 2) {
            session.out().integer(engine.latency().reset(null));
            return;
        }
        List<String> names = new ArrayList<>(args.count() - 2);
        for (int i = 2; i < args.count(); i++) {
            names.add(args.string(i));
        }
        session.out().integer(engine.latency().reset(names));
    }

    /** A plain summary per event; Redis's doctor adds tuning advice we do not attempt. */
    private void doctor(Session session, Arguments args) {
        StringBuilder report = new StringBuilder();
        long threshold = engine.settings().integer("latency-monitor-threshold");
        Map<String, LatencyMonitor.Event> events = engine.latency().events();
        if (threshold == 0) {
            report.append("Latency monitoring is disabled. Enable it with"
                    + " 'CONFIG SET latency-monitor-threshold <milliseconds>'.\n");
        } else if (events.isEmpty()) {
            report.append("No latency spike over ").append(threshold)
                    .append(" ms has been observed since the server started (or since LATENCY RESET).\n");
        } else {
            report.append("Latency spikes over ").append(threshold).append(" ms observed:\n\n");
            int index = 1;
            for (Map.Entry<String, LatencyMonitor.Event> entry : events.entrySet()) {
                LatencyMonitor.Event event = entry.getValue();
                long sum = 0;
                for (LatencyMonitor.Sample sample : event.samples) {
                    sum += sample.millis();
                }
                int count = event.samples.size();
                report.append(index++).append(". ").append(entry.getKey()).append(": ").append(count)
                        .append(" latency spikes (average ").append(count == 0 ? 0 : sum / count)
                        .append("ms). Worst all time event ").append(event.maxMillis).append("ms.\n");
            }
            report.append("\nSLOWLOG GET shows which commands ran slowly.\n");
        }
        session.out().verbatim("txt", report.toString());
    }

    private void help(Session session, Arguments args) {
        AdminReplies.help(session.out(), "LATENCY", HELP);
    }
}
