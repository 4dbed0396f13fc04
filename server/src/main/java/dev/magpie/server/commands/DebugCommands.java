package dev.magpie.server.commands;

import dev.magpie.server.command.Arguments;
import dev.magpie.server.command.CommandTable;
import dev.magpie.server.command.Errors;
import dev.magpie.server.engine.Engine;
import dev.magpie.server.keyspace.Entry;
import dev.magpie.server.session.Session;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.concurrent.locks.LockSupport;

import static dev.magpie.server.command.CommandFlag.ADMIN;
import static dev.magpie.server.command.CommandFlag.LOADING;
import static dev.magpie.server.command.CommandFlag.NOSCRIPT;
import static dev.magpie.server.command.CommandFlag.STALE;

/**
 * DEBUG: the subset tests and operators use (SLEEP, SET-ACTIVE-EXPIRE, OBJECT, RELOAD, HELP), gated by
 * {@code enable-debug-command} as in Redis. Every other subcommand answers Redis's error for an
 * unknown one.
 */
public final class DebugCommands extends CommandFamily {
    static final String NOT_ALLOWED = "ERR DEBUG command not allowed. If the enable-debug-command option is set to"
            + " \"local\", you can run it from a local connection, otherwise you need to set this option in the"
            + " configuration file, and then restart the server.";
    private static final String[] HELP = {
        "OBJECT <key>",
        "    Show how the value of <key> is stored.",
        "RELOAD [MERGE] [NOFLUSH] [NOSAVE]",
        "    Save the RDB file, empty the dataset and load the file back. NOSAVE loads the file as it is on",
        "    disk; NOFLUSH keeps the current keys; MERGE lets the file's keys replace keys already present.",
        "SET-ACTIVE-EXPIRE <0|1>",
        "    0 stops the background expiry of keys nobody accesses; 1 (the default) restores it.",
        "SLEEP <seconds>",
        "    Stall the server for <seconds> (decimals allowed).",
    };

    public DebugCommands(Engine engine) {
        super(engine);
    }

    @Override
    public void register(CommandTable table) {
        table.register(command("debug").arity(-2).flags(ADMIN, NOSCRIPT, LOADING, STALE).acl("admin slow dangerous")
                .group("server").since("1.0.0").summary("Internal commands for debugging and testing.")
                .complexity("Depends on subcommand.").implementation(this::debug));
    }

    private void debug(Session session, Arguments args) {
        if (!allowed(session)) {
            error(session, NOT_ALLOWED);
            return;
        }
        int argc = args.count();
        if (argc == 2 && args.is(1, "help")) {
            AdminReplies.help(session.out(), "DEBUG", HELP);
        } else if (argc == 3 && args.is(1, "sleep")) {
            sleep(args.string(2));
            session.out().ok();
        } else if (argc == 3 && args.is(1, "set-active-expire")) {
            engine.activeExpireEnabled(DebugNumbers.atoi(args.string(2)) != 0);
            session.out().ok();
        } else if (argc == 3 && args.is(1, "object")) {
            object(session, args);
        } else if (args.is(1, "reload")) {
            reload(session, args);
        } else {
            error(session, AdminReplies.subcommandSyntax(args));
        }
    }

    private void reload(Session session, Arguments args) {
        boolean merge = false;
        boolean flush = true;
        boolean save = true;
        for (int i = 2; i < args.count(); i++) {
            if (args.is(i, "merge")) {
                merge = true;
            } else if (args.is(i, "noflush")) {
                flush = false;
            } else if (args.is(i, "nosave")) {
                save = false;
            } else {
                error(session, "ERR DEBUG RELOAD only supports the MERGE, NOFLUSH and NOSAVE options.");
                return;
            }
        }
        String failure = engine.persistence().reload(merge, flush, save);
        if (failure != null) {
            error(session, failure);
        } else {
            session.out().ok();
        }
    }

    /** "yes" allows everyone; "local" only loopback connections, as Redis's allowProtectedAction. */
    private boolean allowed(Session session) {
        String mode = engine.settings().text("enable-debug-command");
        if (mode.equals("yes")) {
            return true;
        }
        return mode.equals("local") && isLocal(session.connection().remoteAddress());
    }

    private static boolean isLocal(String address) {
        int colon = address.lastIndexOf(':');
        String host = colon < 0 ? address : address.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        if (!Character.isDigit(host.isEmpty() ? 'x' : host.charAt(0)) && host.indexOf(':') < 0) {
            return true; // not an IP address: a unix socket path
        }
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    /** Stalls the engine on purpose, as Redis's DEBUG SLEEP stalls its one thread. */
    private static void sleep(String seconds) {
        double value = DebugNumbers.strtod(seconds);
        if (!(value > 0)) {
            return;
        }
        long deadline = System.nanoTime() + (long) Math.min(value * 1e9, Long.MAX_VALUE / 2.0);
        long left;
        while ((left = deadline - System.nanoTime()) > 0) {
            LockSupport.parkNanos(left);
        }
    }

    /** Redis's DEBUG OBJECT line; like Redis it reads the index directly, expired or not. */
    private void object(Session session, Arguments args) {
        long entry = session.database().keyspace().find(args.data(), args.offset(2), args.length(2));
        if (entry == 0) {
            error(session, Errors.NO_SUCH_KEY);
            return;
        }
        int lruClock = (int) (System.currentTimeMillis() / 1000);
        int lru = Entry.lru(entry);
        String line = "Value at:0x" + Long.toHexString(entry)
                + " refcount:" + refcount(entry)
                + " encoding:" + DebugNumbers.encodingName(Entry.encoding(entry))
                + " serializedlength:" + DebugNumbers.serializedLength(entry)
                + " lru:" + (lru & 0xFFFFFF)
                + " lru_seconds_idle:" + Math.max(0, lruClock - lru);
        session.out().simple(line);
    }

    /**
     * Redis shares the objects of the integers 0..9999 (refcount INT_MAX) unless an LRU/LFU
     * maxmemory policy needs per-key access data.
     */
    private int refcount(long entry) {
        if (Entry.encoding(entry) != Entry.ENCODING_INT) {
            return 1;
        }
        long value = Entry.intValue(entry);
        String policy = engine.settings().text("maxmemory-policy");
        boolean perKeyAccess = engine.settings().integer("maxmemory") != 0
                && (policy.contains("lru") || policy.contains("lfu"));
        return value >= 0 && value < 10_000 && !perKeyAccess ? Integer.MAX_VALUE : 1;
    }
}
