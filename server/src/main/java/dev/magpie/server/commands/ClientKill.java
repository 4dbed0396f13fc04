package dev.magpie.server.commands;

import dev.magpie.server.command.Arguments;
import dev.magpie.server.command.Errors;
import dev.magpie.server.engine.Engine;
import dev.magpie.server.session.Session;

import java.util.ArrayList;
import java.util.List;

/**
 * CLIENT KILL, both forms: the old {@code CLIENT KILL ip:port} (answers OK or "No such client",
 * and may kill the caller) and the filter form (answers how many were killed, sparing the caller
 * unless SKIPME no).
 */
final class ClientKill {
    private final Engine engine;

    ClientKill(Engine engine) {
        this.engine = engine;
    }

    /** The filters of one CLIENT KILL; unset ones match everything. */
    private static final class Filter {
        String address;
        String localAddress;
        ClientInfo.Type type;
        long id;
        boolean skipMe = true;

        boolean matches(Session candidate, Session caller) {
            return (address == null || address.equals(candidate.connection().remoteAddress()))
                    && (localAddress == null || localAddress.equals(candidate.connection().localAddress()))
                    && (type == null || type == ClientInfo.typeOf(candidate))
                    && (id == 0 || id == candidate.id())
                    && !(skipMe && candidate == caller);
        }
    }

    void kill(Session session, Arguments args) {
        boolean oldForm = args.count() == 3;
        Filter filter = oldForm ? oldForm(args) : parse(session, args);
        if (filter == null) {
            return;
        }
        List<Session> victims = new ArrayList<>();
        for (Session candidate : engine.clients().all()) {
            if (filter.matches(candidate, session)) {
                victims.add(candidate);
            }
        }
        if (oldForm) {
            if (victims.isEmpty()) {
                engine.error(session, "ERR No such client");
            } else {
                session.out().ok();
            }
        } else {
            session.out().integer(victims.size());
        }
        for (Session victim : victims) {
            if (victim == session) {
                // The reply above goes out first; the engine closes the connection after the batch's flush.
                session.closeAfterReply();
            } else {
                close(victim);
            }
        }
    }

    private static Filter oldForm(Arguments args) {
        Filter filter = new Filter();
        filter.address = args.string(2);
        filter.skipMe = false;
        return filter;
    }

    /** Parses the filter form; null after answering an error. */
    private Filter parse(Session session, Arguments args) {
        Filter filter = new Filter();
        for (int i = 2; i < args.count(); i += 2) {
            if (i + 1 >= args.count()) {
                engine.error(session, Errors.SYNTAX);
                return null;
            }
            String value = args.string(i + 1);
            if (args.is(i, "id")) {
                long id = args.parseLong(i + 1);
                if (!args.parsedOk() || id < 1) {
                    engine.error(session, "ERR client-id should be greater than 0");
                    return null;
                }
                filter.id = id;
            } else if (args.is(i, "type")) {
                filter.type = ClientInfo.Type.named(value);
                if (filter.type == null) {
                    engine.error(session, ClientCommands.unknownClientType(value));
                    return null;
                }
            } else if (args.is(i, "addr")) {
                filter.address = value;
            } else if (args.is(i, "laddr")) {
                filter.localAddress = value;
            } else if (args.is(i, "user")) {
                // Only the default user exists until ACLs do; every connection is authenticated as it.
                if (!value.equals("default")) {
                    engine.error(session, "ERR No such user '" + value + "'");
                    return null;
                }
            } else if (args.is(i, "skipme")) {
                if (args.is(i + 1, "yes")) {
                    filter.skipMe = true;
                } else if (args.is(i + 1, "no")) {
                    filter.skipMe = false;
                } else {
                    engine.error(session, Errors.SYNTAX);
                    return null;
                }
            } else {
                engine.error(session, Errors.SYNTAX);
                return null;
            }
        }
        return filter;
    }

    /**
     * Closes another client at once, as Redis's freeClient does: what it was already sent is
     * flushed, nothing more runs for it, and it leaves the client list now rather than when its
     * channel reports inactive (that later unregister is a no-op).
     */
    private void close(Session victim) {
        victim.closeAfterReply();
        victim.flush();
        victim.connection().close();
        engine.unregister(victim);
    }
}
