package dev.magpie.server.commands;

import dev.magpie.protocol.RespWriter;
import dev.magpie.server.command.Arguments;
import dev.magpie.server.command.CommandSpec;
import dev.magpie.server.command.CommandTable;
import dev.magpie.server.engine.Engine;
import dev.magpie.server.engine.Pause;
import dev.magpie.server.session.ReplyMode;
import dev.magpie.server.session.Session;

import java.util.ArrayList;
import java.util.List;

import static dev.magpie.server.command.CommandFlag.ADMIN;
import static dev.magpie.server.command.CommandFlag.LOADING;
import static dev.magpie.server.command.CommandFlag.NOSCRIPT;
import static dev.magpie.server.command.CommandFlag.STALE;

/** CLIENT and its subcommands (Redis's clientCommand in networking.c); KILL lives in {@link ClientKill}. */
public final class ClientCommands extends CommandFamily {
    private static final String[] HELP = {
        "ID",
        "    Answer the id of this connection.",
        "GETNAME",
        "    Answer the name given to this connection, if any.",
        "SETNAME <name>",
        "    Name this connection; an empty name removes it.",
        "SETINFO <LIB-NAME|LIB-VER> <value>",
        "    Record the client library's name or version for CLIENT LIST.",
        "INFO",
        "    Describe this connection, in the format of CLIENT LIST.",
        "LIST [TYPE (NORMAL|MASTER|REPLICA|PUBSUB)] [ID <id> [<id> ...]]",
        "    Describe the connections, all of them or those of one type or with the given ids.",
        "KILL <ip:port>",
        "    Close the connection from <ip:port>.",
        "KILL <option> <value> [<option> <value> [...]]",
        "    Close every connection matching all the filters. Filters are:",
        "    * ID <client-id>",
        "    * ADDR (<ip:port>|<unixsocket>:0)",
        "    * LADDR (<ip:port>|<unixsocket>:0)",
        "    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)",
        "    * USER <username>",
        "    * SKIPME (YES|NO)  (default yes: the calling connection is spared)",
        "PAUSE <timeout> [WRITE|ALL]",
        "    Hold back the commands of every client, or only writes, for <timeout> milliseconds.",
        "UNPAUSE",
        "    End a CLIENT PAUSE now.",
        "REPLY (ON|OFF|SKIP)",
        "    Turn the replies to this connection on or off, or skip the next one.",
        "UNBLOCK <clientid> [TIMEOUT|ERROR]",
        "    Release a client blocked in a blocking command, as a timeout or with an error.",
        "NO-EVICT (ON|OFF)",
        "    Exempt this connection from client eviction.",
        "NO-TOUCH (ON|OFF)",
        "    When on, this connection's reads do not update the keys' access time.",
        "GETREDIR",
        "    Answer the client id tracking notifications are redirected to (-1: none).",
        "TRACKINGINFO",
        "    Describe this connection's client-side caching state.",
    };

    private final ClientKill kill;

    public ClientCommands(Engine engine) {
        super(engine);
        this.kill = new ClientKill(engine);
    }

    @Override
    public void register(CommandTable table) {
        CommandSpec client = command("client").arity(-2).acl("slow").group("connection").since("2.4.0")
                .summary("Manages and inspects client connections.").complexity("Depends on subcommand.");
        client.subcommand("id").arity(2).flags(NOSCRIPT, LOADING, STALE).acl("slow connection").since("5.0.0")
                .summary("Returns the id of the connection.").complexity("O(1)").implementation(this::id)
                .done()
                .subcommand("getname").arity(2).flags(NOSCRIPT, LOADING, STALE).acl("slow connection")
                .since("2.6.9").summary("Returns the name of the connection.").complexity("O(1)")
                .implementation(this::getName)
                .done()
                .subcommand("setname").arity(3).flags(NOSCRIPT, LOADING, STALE).acl("slow connection")
                .since("2.6.9").summary("Names the connection.").complexity("O(1)").implementation(this::setName)
                .done()
                .subcommand("setinfo").arity(4).flags(NOSCRIPT, LOADING, STALE).acl("slow connection")
                .since("7.2.0").summary("Records the client library's name or version for the connection.")
                .complexity("O(1)").implementation(this::setInfo)
                .done()
                .subcommand("info").arity(2).flags(NOSCRIPT, LOADING, STALE).acl("slow connection").since("6.2.0")
                .tips("nondeterministic_output").summary("Describes the connection.").complexity("O(1)")
                .implementation(this::info)
                .done()
                .subcommand("list").arity(-2).flags(ADMIN, NOSCRIPT, LOADING, STALE)
                .acl("admin slow dangerous connection").since("2.4.0").tips("nondeterministic_output")
                .summary("Describes the open connections.").complexity("O(N) where N is the number of client connections")
                .implementation(this::list)
                .done()
                .subcommand("kill").arity(-3).flags(ADMIN, NOSCRIPT, LOADING, STALE)
                .acl("admin slow dangerous connection").since("2.4.0")
                .summary("Closes connections chosen by address, id, type or user.")
                .complexity("O(N) where N is the number of client connections").implementation(kill::kill)
                .done()
                .subcommand("pause").arity(-3).flags(ADMIN, NOSCRIPT, LOADING, STALE)
                .acl("admin slow dangerous connection").since("3.0.0")
                .summary("Holds back the commands of all clients, or only writes, for a while.").complexity("O(1)")
                .implementation(this::pause)
                .done()
                .subcommand("unpause").arity(2).flags(ADMIN, NOSCRIPT, LOADING, STALE)
                .acl("admin slow dangerous connection").since("6.2.0")
                .summary("Ends a CLIENT PAUSE.").complexity("O(N) where N is the number of paused clients")
                .implementation(this::unpause)
                .done()
                .subcommand("reply").arity(3).flags(NOSCRIPT, LOADING, STALE).acl("slow connection").since("3.2.0")
                .summary("Turns the server's replies to this connection on or off.").complexity("O(1)")
                .implementation(this::reply)
                .done()
                .subcommand("unblock").arity(-3).flags(ADMIN, NOSCRIPT, LOADING, STALE)
                .acl("admin slow dangerous connection").since("5.0.0")
                .summary("Releases a client blocked in a blocking command.").complexity("O(log N) where N is the number of client connections")
                .implementation(this::unblock)
                .done()
                .subcommand("no-evict").arity(3).flags(ADMIN, NOSCRIPT, LOADING, STALE)
                .acl("admin slow dangerous connection").since("7.0.0")
                .summary("Exempts the connection from client eviction.").complexity("O(1)")
                .implementation(this::noEvict)
                .done()
                .subcommand("no-touch").arity(3).flags(NOSCRIPT, LOADING, STALE).acl("slow connection")
                .since("7.2.0").summary("Keeps this connection's reads from updating the keys' access time.")
                .complexity("O(1)").implementation(this::noTouch)
                .done()
                .subcommand("getredir").arity(2).flags(NOSCRIPT, LOADING, STALE).acl("slow connection")
                .since("6.0.0").summary("Returns where tracking notifications are redirected.").complexity("O(1)")
                .implementation(this::getRedir)
                .done()
                .subcommand("trackinginfo").arity(2).flags(NOSCRIPT, LOADING, STALE).acl("slow connection")
                .since("6.2.0").summary("Describes the connection's client-side caching state.").complexity("O(1)")
                .implementation(this::trackingInfo)
                .done()
                .subcommand("help").arity(2).flags(LOADING, STALE).acl("slow connection").since("5.0.0")
                .summary("Lists the CLIENT subcommands.").complexity("O(1)").implementation(this::help);
        table.register(client);
    }

    private void id(Session session, Arguments args) {
        session.out().integer(session.id());
    }

    private void getName(Session session, Arguments args) {
        if (session.name() == null) {
            session.out().nullBulk();
        } else {
            session.out().bulk(session.name());
        }
    }

    private void setName(Session session, Arguments args) {
        String name = args.string(2);
        if (!ClientNames.valid(name)) {
            error(session, ClientNames.INVALID);
            return;
        }
        session.name(name.isEmpty() ? null : name);
        session.out().ok();
    }

    /** Redis 7.2's CLIENT SETINFO: the library name and version shown by CLIENT LIST. */
    private void setInfo(Session session, Arguments args) {
        String attribute = args.string(2);
        boolean libraryName = args.is(2, "lib-name");
        if (!libraryName && !args.is(2, "lib-ver")) {
            error(session, "ERR Unrecognized option '" + attribute + "'");
            return;
        }
        String value = args.string(3);
        if (!ClientNames.valid(value)) {
            error(session, "ERR " + attribute + " cannot contain spaces, newlines or special characters.");
            return;
        }
        String stored = value.isEmpty() ? null : value;
        if (libraryName) {
            session.libraryName(stored);
        } else {
            session.libraryVersion(stored);
        }
        session.out().ok();
    }

    private void info(Session session, Arguments args) {
        StringBuilder line = new StringBuilder(256);
        ClientInfo.append(line, session, session, "client|info", args, System.currentTimeMillis());
        session.out().verbatim("txt", line.append('\n').toString());
    }

    private void list(Session session, Arguments args) {
        List<Session> chosen;
        if (args.count() == 2) {
            chosen = new ArrayList<>(engine.clients().all());
        } else if (args.count() == 4 && args.is(2, "type")) {
            ClientInfo.Type type = ClientInfo.Type.named(args.string(3));
            if (type == null) {
                error(session, unknownClientType(args.string(3)));
                return;
            }
            chosen = new ArrayList<>();
            for (Session candidate : engine.clients().all()) {
                if (ClientInfo.typeOf(candidate) == type) {
                    chosen.add(candidate);
                }
            }
        } else if (args.count() > 3 && args.is(2, "id")) {
            chosen = new ArrayList<>();
            for (int i = 3; i < args.count(); i++) {
                long id = args.parseLong(i);
                if (!args.parsedOk()) {
                    error(session, "ERR Invalid client ID");
                    return;
                }
                Session found = engine.clients().find(id);
                if (found != null) {
                    chosen.add(found);
                }
            }
        } else {
            syntaxError(session);
            return;
        }
        long now = System.currentTimeMillis();
        StringBuilder text = new StringBuilder(256 * chosen.size());
        for (Session target : chosen) {
            ClientInfo.append(text, target, session, "client|list", args, now);
            text.append('\n');
        }
        session.out().verbatim("txt", text.toString());
    }

    private void pause(Session session, Arguments args) {
        if (args.count() > 4) {
            error(session, AdminReplies.subcommandSyntax(args));
            return;
        }
        boolean writesOnly = false;
        if (args.count() == 4) {
            if (args.is(3, "write")) {
                writesOnly = true;
            } else if (!args.is(3, "all")) {
                error(session, "ERR CLIENT PAUSE mode must be WRITE or ALL");
                return;
            }
        }
        long timeout = args.parseLong(2);
        if (!args.parsedOk()) {
            error(session, "ERR timeout is not an integer or out of range");
            return;
        }
        if (timeout < 0) {
            error(session, "ERR timeout is negative");
            return;
        }
        long now = System.currentTimeMillis();
        long end = timeout == 0 ? 0 : (timeout > Long.MAX_VALUE - now ? Long.MAX_VALUE : now + timeout);
        Pause pause = engine.pause();
        if (pause.active(now)) {
            // Redis 7.0: a pause in force is only ever extended or widened, never shortened or narrowed.
            end = Math.max(end, pause.endMillis());
            writesOnly = writesOnly && pause.writesOnly();
        }
        pause.pause(end, writesOnly);
        session.out().ok();
    }

    /** Parked clients resume on the engine's next cron tick, which sees the pause has ended. */
    private void unpause(Session session, Arguments args) {
        engine.pause().unpause();
        session.out().ok();
    }

    /**
     * OFF and SKIP answer nothing (not even this command); ON answers OK. SKIP while replies are
     * off changes nothing, as in Redis.
     */
    private void reply(Session session, Arguments args) {
        if (args.is(2, "on")) {
            session.replyMode(ReplyMode.ON);
            session.out().ok();
        } else if (args.is(2, "off")) {
            session.replyMode(ReplyMode.OFF);
        } else if (args.is(2, "skip")) {
            if (session.replyMode() != ReplyMode.OFF) {
                session.replyMode(ReplyMode.SKIP_NEXT);
            }
        } else {
            syntaxError(session);
        }
    }

    /**
     * Only clients blocked in a blocking command can be released; one parked by CLIENT PAUSE is
     * not (Redis 7.2 answers 0 there; 7.0.15 crashes on it).
     */
    private void unblock(Session session, Arguments args) {
        if (args.count() > 4) {
            error(session, AdminReplies.subcommandSyntax(args));
            return;
        }
        if (args.count() == 4 && !args.is(3, "timeout") && !args.is(3, "error")) {
            error(session, "ERR CLIENT UNBLOCK reason should be TIMEOUT or ERROR");
            return;
        }
        long id = integerArg(session, args, 2);
        if (!args.parsedOk()) {
            return;
        }
        Session target = engine.clients().find(id);
        boolean released = target != null && target != session && !ClientInfo.pausedOnly(target)
                && engine.blocking().unblock(target, args.count() == 4 && args.is(3, "error"));
        session.out().integer(released ? 1 : 0);
    }

    private void noEvict(Session session, Arguments args) {
        if (!AdminReplies.isOnOff(args, 2)) {
            syntaxError(session);
            return;
        }
        session.noEvict(AdminReplies.isOn(args, 2));
        session.out().ok();
    }

    private void noTouch(Session session, Arguments args) {
        if (!AdminReplies.isOnOff(args, 2)) {
            syntaxError(session);
            return;
        }
        session.noTouch(AdminReplies.isOn(args, 2));
        session.out().ok();
    }

    private void getRedir(Session session, Arguments args) {
        session.out().integer(-1);
    }

    private void trackingInfo(Session session, Arguments args) {
        RespWriter out = session.out();
        out.mapHeader(3);
        out.bulk("flags");
        out.setHeader(1);
        out.bulk("off");
        out.bulk("redirect");
        out.integer(-1);
        out.bulk("prefixes");
        out.emptyArray();
    }

    private void help(Session session, Arguments args) {
        AdminReplies.help(session.out(), "CLIENT", HELP);
    }

    static String unknownClientType(String name) {
        return "ERR Unknown client type '" + name + "'";
    }
}
