package dev.magpie.server.commands;

import dev.magpie.server.Log;
import dev.magpie.server.command.Arguments;
import dev.magpie.server.command.CommandTable;
import dev.magpie.server.command.Errors;
import dev.magpie.server.engine.Engine;
import dev.magpie.server.keyspace.Database;
import dev.magpie.server.keyspace.Keyspace;
import dev.magpie.server.session.Session;

import java.time.Instant;

import static dev.magpie.server.command.CommandFlag.ADMIN;
import static dev.magpie.server.command.CommandFlag.ALLOW_BUSY;
import static dev.magpie.server.command.CommandFlag.FAST;
import static dev.magpie.server.command.CommandFlag.LOADING;
import static dev.magpie.server.command.CommandFlag.NOSCRIPT;
import static dev.magpie.server.command.CommandFlag.NO_MULTI;
import static dev.magpie.server.command.CommandFlag.READONLY;
import static dev.magpie.server.command.CommandFlag.STALE;
import static dev.magpie.server.command.CommandFlag.WRITE;

/** Server commands: DBSIZE, FLUSHDB, FLUSHALL, SWAPDB, TIME, SHUTDOWN, MONITOR; MEMORY is {@link MemoryCommand}. */
public final class ServerCommands extends CommandFamily {
    private final MemoryCommand memory;

    public ServerCommands(Engine engine) {
        super(engine);
        this.memory = new MemoryCommand(engine);
    }

    @Override
    public void register(CommandTable table) {
        table.register(command("dbsize").arity(1).flags(READONLY, FAST).acl("keyspace read fast").group("server")
                .tips("request_policy:all_shards", "response_policy:agg_sum")
                .summary("Returns the number of keys in the selected database.").complexity("O(1)")
                .implementation(this::dbsize));
        table.register(command("flushdb").arity(-1).flags(WRITE).acl("keyspace write slow dangerous").group("server")
                .tips("request_policy:all_shards", "response_policy:all_succeeded")
                .summary("Removes every key of the selected database.")
                .complexity("O(N) where N is the number of keys in the selected database")
                .implementation(this::flushdb));
        table.register(command("flushall").arity(-1).flags(WRITE).acl("keyspace write slow dangerous").group("server")
                .tips("request_policy:all_shards", "response_policy:all_succeeded")
                .summary("Removes every key of every database.")
                .complexity("O(N) where N is the total number of keys in all databases")
                .implementation(this::flushall));
        table.register(command("swapdb").arity(3).flags(WRITE, FAST).acl("keyspace write fast dangerous")
                .group("server").since("4.0.0").summary("Swaps the contents of two databases.")
                .complexity("O(N) where N is the count of clients watching or blocking on keys from both databases.")
                .implementation(this::swapdb));
        table.register(command("time").arity(1).flags(LOADING, STALE, FAST).acl("fast").group("server")
                .since("2.6.0").tips("nondeterministic_output").summary("Returns the server's time.")
                .complexity("O(1)").implementation(this::time));
        table.register(command("shutdown").arity(-1).flags(ADMIN, NOSCRIPT, LOADING, STALE, NO_MULTI, ALLOW_BUSY)
                .acl("admin slow dangerous").group("server").summary("Stops the server.")
                .complexity("O(N) when saving, where N is the total number of keys in all databases when saving data, otherwise O(1)")
                .implementation(this::shutdown));
        table.register(command("monitor").arity(1).flags(ADMIN, NOSCRIPT, LOADING, STALE).acl("admin slow dangerous")
                .group("server").summary("Streams every command the server executes to this connection.")
                .complexity("O(1)").implementation(this::monitor));
        memory.register(table);
    }

    private void dbsize(Session session, Arguments args) {
        session.out().integer(session.database().size());
    }

    /** SYNC or ASYNC as given, else lazyfree-lazy-user-flush decides; null after a syntax error. */
    private Boolean flushAsync(Session session, Arguments args) {
        if (args.count() == 1) {
            return engine.settings().bool("lazyfree-lazy-user-flush");
        }
        if (args.count() == 2 && args.is(1, "sync")) {
            return false;
        }
        if (args.count() == 2 && args.is(1, "async")) {
            return true;
        }
        syntaxError(session);
        return null;
    }

    private void flushdb(Session session, Arguments args) {
        Boolean async = flushAsync(session, args);
        if (async == null) {
            return;
        }
        engine.changes(empty(session.database(), async));
        session.out().ok();
    }

    private void flushall(Session session, Arguments args) {
        Boolean async = flushAsync(session, args);
        if (async == null) {
            return;
        }
        // As Redis kills its save child: the file it was writing would hold what FLUSHALL removes.
        engine.persistence().abandonBackground();
        long removed = 0;
        for (Database database : engine.databases()) {
            removed += empty(database, async);
        }
        engine.changes(removed);
        engine.persistence().afterFlushAll();
        session.out().ok();
    }

    /**
     * Empties a database at once. ASYNC hands the detached entries to the lazy-free thread, so
     * the engine's cost is constant whatever the size; SYNC frees them here.
     */
    private long empty(Database database, boolean async) {
        Keyspace keyspace = database.keyspace();
        long size = keyspace.size();
        if (size == 0) {
            return 0;
        }
        long[][] tables = keyspace.detachAll();
        if (async) {
            engine.lazyFree().freeTables(tables, size);
        } else {
            Keyspace.freeDetached(tables);
        }
        return size;
    }

    private void swapdb(Session session, Arguments args) {
        long first = databaseIndex(args, 1);
        if (first == Long.MIN_VALUE) {
            error(session, "ERR invalid first DB index");
            return;
        }
        long second = databaseIndex(args, 2);
        if (second == Long.MIN_VALUE) {
            error(session, "ERR invalid second DB index");
            return;
        }
        int count = engine.databases().length;
        if (first < 0 || first >= count || second < 0 || second >= count) {
            error(session, Errors.DB_INDEX_OUT_OF_RANGE);
            return;
        }
        if (first != second) {
            // The Database objects keep their numbers (sessions stay on their index); their contents trade places.
            engine.database((int) first).swap(engine.database((int) second));
        }
        session.out().ok();
    }

    /** An argument that must be an integer fitting an int (as Redis's getIntFromObject); Long.MIN_VALUE if not. */
    private static long databaseIndex(Arguments args, int index) {
        long value = args.parseLong(index);
        if (!args.parsedOk() || value < Integer.MIN_VALUE || value > Integer.MAX_VALUE) {
            return Long.MIN_VALUE;
        }
        return value;
    }

    private void time(Session session, Arguments args) {
        Instant now = Instant.now();
        session.out().arrayHeader(2);
        session.out().bulkLong(now.getEpochSecond());
        session.out().bulkLong(now.getNano() / 1000);
    }

    /**
     * SHUTDOWN [NOSAVE|SAVE] [NOW] [FORCE] [ABORT]. Saves a final snapshot when SAVE says so or
     * save points are configured (and NOSAVE does not say otherwise); a failed save refuses the
     * shutdown unless FORCE. A shutdown is immediate, so ABORT never finds one.
     */
    private void shutdown(Session session, Arguments args) {
        boolean save = false;
        boolean noSave = false;
        boolean force = false;
        boolean abort = false;
        boolean any = false;
        for (int i = 1; i < args.count(); i++) {
            if (args.is(i, "nosave")) {
                noSave = true;
            } else if (args.is(i, "save")) {
                save = true;
            } else if (args.is(i, "now")) {
                any = true;
            } else if (args.is(i, "force")) {
                force = true;
            } else if (args.is(i, "abort")) {
                abort = true;
                continue;
            } else {
                syntaxError(session);
                return;
            }
            any = true;
        }
        if ((abort && any) || (save && noSave)) {
            syntaxError(session);
            return;
        }
        if (abort) {
            error(session, "ERR No shutdown in progress.");
            return;
        }
        if (!noSave && !engine.persistence().shutdownSave(save) && !force) {
            Log.warning("Error trying to save the DB, can't exit.");
            error(session, "ERR Errors trying to SHUTDOWN. Check logs.");
            return;
        }
        engine.persistence().shutdownHandled(true);
        session.closeAfterReply();
        engine.requestShutdown();
    }

    /** Starts streaming; a connection already monitoring gets no reply at all, as in Redis. */
    private void monitor(Session session, Arguments args) {
        if (session.monitor()) {
            return;
        }
        session.monitor(true);
        engine.clients().monitors().add(session);
        session.out().ok();
    }
}
