package dev.magpie.server.engine;

import dev.magpie.server.command.Arguments;
import dev.magpie.server.session.Session;

import java.util.List;

/** MONITOR: every command executed, as a status line with Redis's quoting, sent to each monitor. */
final class Monitor {
    private final Clients clients;

    Monitor(Clients clients) {
        this.clients = clients;
    }

    void feed(Session source, Arguments args, Engine engine) {
        long micros = System.currentTimeMillis() * 1000 + (System.nanoTime() / 1000) % 1000;
        StringBuilder line = new StringBuilder(64);
        line.append(micros / 1_000_000).append('.').append(String.format("%06d", micros % 1_000_000))
                .append(" [").append(source.database().index()).append(' ')
                .append(source.connection().remoteAddress()).append(']');
        for (int i = 0; i < args.count(); i++) {
            line.append(' ');
            if (Redaction.redacted(args, i)) {
                line.append("\"(redacted)\"");
                continue;
            }
            Repr.append(line, args.data(), args.offset(i), args.length(i));
        }
        String text = line.toString();
        List<Session> monitors = clients.monitors();
        for (Session target : monitors) {
            if (target.closed()) {
                continue;
            }
            target.out().simple(text);
            engine.needsFlush(target);
        }
    }
}
