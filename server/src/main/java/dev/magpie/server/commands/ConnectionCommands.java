package dev.magpie.server.commands;

import dev.magpie.protocol.RespWriter;
import dev.magpie.server.Version;
import dev.magpie.server.command.Arguments;
import dev.magpie.server.command.CommandTable;
import dev.magpie.server.command.Errors;
import dev.magpie.server.engine.Engine;
import dev.magpie.server.session.ReplyMode;
import dev.magpie.server.session.Session;

import static dev.magpie.server.command.CommandFlag.ALLOW_BUSY;
import static dev.magpie.server.command.CommandFlag.FAST;
import static dev.magpie.server.command.CommandFlag.LOADING;
import static dev.magpie.server.command.CommandFlag.NOSCRIPT;
import static dev.magpie.server.command.CommandFlag.NO_AUTH;
import static dev.magpie.server.command.CommandFlag.STALE;

/** Connection commands: PING, ECHO, QUIT, SELECT, AUTH, HELLO, RESET. */
public final class ConnectionCommands extends CommandFamily {
    public ConnectionCommands(Engine engine) {
        super(engine);
    }

    @Override
    public void register(CommandTable table) {
        table.register(command("ping").arity(-1).flags(FAST).acl("fast connection").group("connection")
                .summary("Returns the server's liveliness response.").complexity("O(1)").implementation(this::ping));
        table.register(command("echo").arity(2).flags(LOADING, STALE, FAST).acl("fast connection").group("connection")
                .summary("Returns the given string.").complexity("O(1)").implementation(this::echo));
        table.register(command("quit").arity(-1).flags(ALLOW_BUSY, NOSCRIPT, LOADING, STALE, FAST, NO_AUTH)
                .acl("fast connection").group("connection").summary("Closes the connection.")
                .complexity("O(1)").implementation(this::quit));
        table.register(command("select").arity(2).flags(LOADING, STALE, FAST).acl("fast connection")
                .group("connection").summary("Changes the selected database.").complexity("O(1)")
                .implementation(this::select));
        table.register(command("auth").arity(-2).flags(NOSCRIPT, LOADING, STALE, FAST, NO_AUTH, ALLOW_BUSY)
                .acl("fast connection").group("connection").summary("Authenticates the connection.")
                .complexity("O(N) where N is the number of passwords defined for the user").implementation(this::auth));
        table.register(command("hello").arity(-1).flags(NOSCRIPT, LOADING, STALE, FAST, NO_AUTH, ALLOW_BUSY)
                .acl("fast connection").group("connection").since("6.0.0")
                .summary("Handshakes with the server.").complexity("O(1)").implementation(this::hello));
        table.register(command("reset").arity(1).flags(NOSCRIPT, LOADING, STALE, FAST, NO_AUTH, ALLOW_BUSY)
                .acl("fast connection").group("connection").since("6.2.0")
                .summary("Resets the connection.").complexity("O(1)").implementation(this::reset));
    }

    private void ping(Session session, Arguments args) {
        if (args.count() > 2) {
            error(session, Errors.arity("ping"));
            return;
        }
        if (args.count() == 2) {
            session.out().bulk(args.data(), args.offset(1), args.length(1));
        } else {
            session.out().simple("PONG");
        }
    }

    private void echo(Session session, Arguments args) {
        session.out().bulk(args.data(), args.offset(1), args.length(1));
    }

    private void quit(Session session, Arguments args) {
        session.out().ok();
        session.closeAfterReply();
    }

    private void select(Session session, Arguments args) {
        long index = args.parseLong(1);
        if (!args.parsedOk()) {
            error(session, "ERR value is not an integer or out of range");
            return;
        }
        if (index < 0 || index >= engine.databases().length) {
            error(session, Errors.DB_INDEX_OUT_OF_RANGE);
            return;
        }
        session.database(engine.database((int) index));
        session.out().ok();
    }

    private void auth(Session session, Arguments args) {
        if (args.count() > 3) {
            syntaxError(session);
            return;
        }
        String password = args.string(args.count() - 1);
        String user = args.count() == 3 ? args.string(1) : "default";
        if (args.count() == 2 && !engine.defaultUser().requiresAuth()) {
            error(session, "ERR AUTH <password> called without any password configured for the default user."
                    + " Are you sure your configuration is correct?");
            return;
        }
        if (!checkCredentials(user, password)) {
            error(session, Errors.WRONG_PASS);
            return;
        }
        session.authenticated(true);
        session.out().ok();
    }

    private boolean checkCredentials(String user, String password) {
        return user.equals("default") && engine.defaultUser().accepts(password);
    }

    private void hello(Session session, Arguments args) {
        int next = 1;
        int protocol = session.out().protocol();
        if (args.count() >= 2) {
            long version = args.parseLong(1);
            if (!args.parsedOk()) {
                error(session, "ERR Protocol version is not an integer or out of range");
                return;
            }
            if (version < 2 || version > 3) {
                error(session, "NOPROTO unsupported protocol version");
                return;
            }
            protocol = (int) version;
            next = 2;
        }
        String name = null;
        for (int i = next; i < args.count(); i++) {
            boolean more = i + 1 < args.count();
            if (args.is(i, "AUTH") && i + 2 < args.count()) {
                String user = args.string(i + 1);
                String password = args.string(i + 2);
                if (!checkCredentials(user, password)) {
                    error(session, Errors.WRONG_PASS);
                    return;
                }
                session.authenticated(true);
                i += 2;
            } else if (args.is(i, "SETNAME") && more) {
                name = args.string(i + 1);
                if (!ClientNames.valid(name)) {
                    error(session, ClientNames.INVALID);
                    return;
                }
                i++;
            } else {
                error(session, "ERR Syntax error in HELLO option '" + args.string(i) + "'");
                return;
            }
        }
        if (!session.authenticated()) {
            error(session, "NOAUTH HELLO must be called with the client already authenticated, otherwise the HELLO"
                    + " AUTH <user> <pass> option can be used to authenticate the client and select the RESP"
                    + " protocol version at the same time");
            return;
        }
        if (name != null) {
            session.name(name.isEmpty() ? null : name);
        }
        RespWriter out = session.out();
        out.protocol(protocol);
        out.mapHeader(7);
        out.bulk("server");
        out.bulk("redis");
        out.bulk("version");
        out.bulk(Version.REDIS_COMPATIBLE);
        out.bulk("proto");
        out.integer(protocol);
        out.bulk("id");
        out.integer(session.id());
        out.bulk("mode");
        out.bulk("standalone");
        out.bulk("role");
        out.bulk("master");
        out.bulk("modules");
        out.emptyArray();
    }

    private void reset(Session session, Arguments args) {
        session.database(engine.database(0));
        session.out().protocol(2);
        session.name(null);
        session.replyMode(ReplyMode.ON);
        session.noEvict(false);
        session.noTouch(false);
        if (session.monitor()) {
            session.monitor(false);
            engine.clients().monitors().remove(session);
        }
        session.authenticated(!engine.defaultUser().requiresAuth());
        session.out().simple("RESET");
    }
}
