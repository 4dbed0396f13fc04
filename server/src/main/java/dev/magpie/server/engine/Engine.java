package dev.magpie.server.engine;

import dev.magpie.protocol.CommandBatch;
import dev.magpie.protocol.RespWriter;
import dev.magpie.server.command.Arguments;
import dev.magpie.server.command.CommandFlag;
import dev.magpie.server.command.CommandSpec;
import dev.magpie.server.command.CommandTable;
import dev.magpie.server.command.Errors;
import dev.magpie.server.config.Settings;
import dev.magpie.server.keyspace.Database;
import dev.magpie.server.keyspace.Keyspace;
import dev.magpie.server.keyspace.KeyspaceEvents;
import dev.magpie.server.session.ReplyMode;
import dev.magpie.server.session.Session;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The single writer: executes every command against the keyspaces, on one thread. Batches
 * arrive per connection; their replies go into the session's buffer, which is flushed once per
 * batch (or in chunks when a reply grows large).
 */
public final class Engine implements KeyspaceEvents {
    /** Replies beyond this many bytes are sent before the batch ends, so one batch never holds a huge buffer. */
    private static final int FLUSH_THRESHOLD = 64 * 1024;
    /** Commands of a batch whose keys are warmed before it runs (see {@link #warmKeys}). */
    private static final int WARM_LIMIT = 64;
    private static final int WARM_KEY_LIMIT = 256;
    /** AOF appends at least this large (microseconds of encoding) read the clock after them. */
    private static final long TIMED_APPEND_BYTES = 16 * 1024;

    private final Settings settings;
    private final CommandTable commands;
    private final Database[] databases;
    private final Clients clients = new Clients();
    private final Stats stats = new Stats();
    private final SlowLog slowLog = new SlowLog();
    private final LatencyMonitor latency = new LatencyMonitor();
    private final LazyFree lazyFree = new LazyFree();
    /** One argument view per nesting level: a batch resumed from inside another command gets its own. */
    private final Arguments[] argumentStack = {new Arguments(), new Arguments(), new Arguments(), new Arguments()};
    private int argumentDepth;
    private final CommandClock clock = new CommandClock();
    private final Arguments retryArguments = new Arguments();
    private final Blocking blocking = new Blocking(this);
    private final Eviction eviction = new Eviction(this);
    /** Settings read on every command, kept in fields (CONFIG SET updates them on this thread). */
    private long maxmemory;
    private long slowlogSlowerThan;
    private long latencyThreshold;
    /** Read by the I/O threads before parsing each read. */
    private volatile long maxBulkLength;
    private final List<Session> resumable = new ArrayList<>();
    private boolean resuming;
    private final List<Session> pendingFlush = new ArrayList<>();
    private final List<Session> paused = new ArrayList<>();
    private final Pause pause = new Pause();
    private final DefaultUser defaultUser = new DefaultUser();
    private final Monitor monitor;
    private EngineThread thread;
    private boolean activeExpireEnabled = true;
    /** Set while a fast read-only command (GET, MGET, EXISTS, HGET, ...) runs; see {@link #onlyReading()}. */
    private boolean onlyReading;
    private boolean shutdownRequested;
    private Runnable shutdownHook = () -> { };
    private long lastSaveSeconds = System.currentTimeMillis() / 1000;
    /** Successful write commands since the last save (Redis's server.dirty, counted per command here). */
    private long dirty;
    private boolean changesReported;
    private CommandSpec pingSpec;
    /** Keeps the compiler from dropping the loads of {@link #warmKeys}. */
    private long warmed;
    /** True while a dataset loads: commands without the LOADING flag are refused. */
    private volatile boolean loading;
    private final dev.magpie.server.persistence.Persistence persistence;
    private final dev.magpie.server.persistence.Aof aof;

    public Engine(Settings settings, CommandTable commands) {
        this.settings = settings;
        this.commands = commands;
        int count = (int) settings.integer("databases");
        this.databases = new Database[count];
        for (int i = 0; i < count; i++) {
            databases[i] = new Database(i, this);
        }
        this.monitor = new Monitor(clients);
        this.persistence = new dev.magpie.server.persistence.Persistence(this);
        this.aof = new dev.magpie.server.persistence.Aof(this);
        defaultUser.requirePass(settings.text("requirepass"));
        maxmemory = settings.integer("maxmemory");
        slowlogSlowerThan = settings.integer("slowlog-log-slower-than");
        latencyThreshold = settings.integer("latency-monitor-threshold");
        maxBulkLength = settings.integer("proto-max-bulk-len");
        settings.listen("proto-max-bulk-len", setting -> maxBulkLength = settings.integer("proto-max-bulk-len"));
        settings.listen("maxmemory", setting -> maxmemory = settings.integer("maxmemory"));
        settings.listen("slowlog-log-slower-than", setting -> slowlogSlowerThan = settings.integer("slowlog-log-slower-than"));
        settings.listen("latency-monitor-threshold", setting -> latencyThreshold = settings.integer("latency-monitor-threshold"));
        settings.listen("requirepass", setting -> defaultUser.requirePass(setting.text()));
    }

    public void thread(EngineThread thread) {
        this.thread = thread;
    }

    public EngineThread thread() {
        return thread;
    }

    public Settings settings() {
        return settings;
    }

    public CommandTable commands() {
        return commands;
    }

    public Database database(int index) {
        return databases[index];
    }

    public Database[] databases() {
        return databases;
    }

    public Clients clients() {
        return clients;
    }

    public Stats stats() {
        return stats;
    }

    public SlowLog slowLog() {
        return slowLog;
    }

    public LatencyMonitor latency() {
        return latency;
    }

    public LazyFree lazyFree() {
        return lazyFree;
    }

    /** proto-max-bulk-len, for the request parser on the I/O threads. */
    public long maxBulkLength() {
        return maxBulkLength;
    }

    /** Memory counted against maxmemory (INFO's used_memory for the keyspace part). */
    public long usedMemory() {
        return Eviction.usedMemory(databases);
    }

    public DefaultUser defaultUser() {
        return defaultUser;
    }

    public Pause pause() {
        return pause;
    }

    public long lastSaveSeconds() {
        return lastSaveSeconds;
    }

    public void lastSaveSeconds(long seconds) {
        lastSaveSeconds = seconds;
    }

    public long dirty() {
        return dirty;
    }

    public void dirty(long value) {
        dirty = value;
    }

    /**
     * A write command's count of changes (keys or elements written or removed), as Redis adds it
     * to server.dirty; a write command that reports nothing counts as one change.
     */
    public void changes(long count) {
        dirty += count;
        changesReported = true;
    }

    /** PING, which Redis refuses along with writes while persistence fails (a health check must notice). */
    private CommandSpec ping() {
        if (pingSpec == null) {
            pingSpec = commands.find("ping");
        }
        return pingSpec;
    }

    /** Redis's MISCONF: after a failed background save (with save points) or a failing AOF. */
    private boolean refusesWrites(Session session) {
        String refusal = persistence.writeRefusal();
        if (refusal == null) {
            return false;
        }
        reject(session, refusal);
        return true;
    }

    public boolean loading() {
        return loading;
    }

    public void loading(boolean loading) {
        this.loading = loading;
    }

    /** The append-only file: its feed, writer, group commit and rewrite. */
    public dev.magpie.server.persistence.Aof aof() {
        return aof;
    }

    /** Snapshots, DUMP/RESTORE payloads and loading (RDB). */
    public dev.magpie.server.persistence.Persistence persistence() {
        return persistence;
    }

    public void activeExpireEnabled(boolean enabled) {
        activeExpireEnabled = enabled;
    }

    public boolean activeExpireEnabled() {
        return activeExpireEnabled;
    }

    /** What runs when SHUTDOWN is accepted (stops the server); set by the launcher. */
    public void shutdownHook(Runnable hook) {
        this.shutdownHook = hook;
    }

    public void requestShutdown() {
        if (!shutdownRequested) {
            shutdownRequested = true;
            shutdownHook.run();
        }
    }

    // ---- sessions -------------------------------------------------------------------------

    public void register(Session session) {
        session.database(databases[0]);
        session.authenticated(!defaultUser.requiresAuth());
        session.replyGate(aof.replyGate());
        clients.add(session);
        stats.totalConnections++;
    }

    public void unregister(Session session) {
        if (session.closed()) {
            return;
        }
        blocking.remove(session);
        session.markClosed();
        clients.remove(session);
        paused.remove(session);
        pendingFlush.remove(session);
        session.release();
    }

    /** Runs a newly decoded batch for the session. */
    public void submit(Session session, CommandBatch batch) {
        session.batch(batch, 0);
        runBatch(session);
        if (!pendingFlush.isEmpty()) {
            flushPending();
        }
    }

    /** Executes the session's batch from where it stopped; parks it again if a command blocks. */
    public void runBatch(Session session) {
        CommandBatch batch = session.batch();
        RespWriter out = session.out();
        int count = batch.commandCount();
        if (session.nextCommand() == 0 && count > 1) {
            warmKeys(session, batch, count);
        }
        Arguments arguments = argumentDepth < argumentStack.length ? argumentStack[argumentDepth] : new Arguments();
        argumentDepth++;
        clock.enter();
        try {
            while (session.nextCommand() < count && !session.closed() && !session.closing()) {
                int index = session.nextCommand();
                arguments.wrap(batch, index);
                call(session, arguments);
                if (session.blocked()) {
                    return;
                }
                session.nextCommand(index + 1);
                if (out.size() > FLUSH_THRESHOLD) {
                    session.flush();
                    clock.advance();
                }
            }
        } finally {
            clock.exit();
            argumentDepth--;
        }
        if (batch.protocolError() != null && !session.closing() && !session.closed()) {
            out.error("ERR Protocol error: " + batch.protocolError());
            stats.countError("ERR");
            session.closeAfterReply();
        }
        finishBatch(session);
    }

    private void finishBatch(Session session) {
        if (session.closed()) {
            return;
        }
        session.flush();
        if (session.closing()) {
            // Replies held for an fsync (appendfsync always) close the connection once they are sent.
            if (!aof.holdingReplies(session)) {
                session.connection().close();
            }
            return;
        }
        session.connection().batchDone();
    }

    /**
     * Before a pipelined batch runs, touches the index entries of the key each command names
     * first (argument 1, where almost every key command has it). Each command's lookup would
     * otherwise wait for two cache misses in turn; done for the whole batch up front, the misses
     * overlap. Only a hint: a command whose argument 1 is not a key costs one wasted lookup.
     */
    private void warmKeys(Session session, CommandBatch batch, int count) {
        Keyspace keyspace = session.database().keyspace();
        if (keyspace.size() == 0) {
            return;
        }
        byte[] data = batch.data();
        long touched = 0;
        for (int i = 0, n = Math.min(count, WARM_LIMIT); i < n; i++) {
            if (batch.argc(i) >= 2) {
                int arg = batch.firstArg(i) + 1;
                int length = batch.argLength(arg);
                if (length <= WARM_KEY_LIMIT) {
                    touched += keyspace.warm(data, batch.argOffset(arg), length);
                }
            }
        }
        warmed = touched;
    }

    /** Sends replies written to other sessions (monitor feeds, wake-ups) during this duty cycle. */
    public void flushPending() {
        for (int i = 0; i < pendingFlush.size(); i++) {
            Session other = pendingFlush.get(i);
            if (other.flushPending()) {
                other.flush();
            }
        }
        pendingFlush.clear();
    }

    /** Marks a session that received output outside its own batch. */
    public void needsFlush(Session session) {
        if (!session.flushPending()) {
            session.flushPending(true);
            pendingFlush.add(session);
        }
    }

    // ---- dispatch -------------------------------------------------------------------------

    private void call(Session session, Arguments args) {
        RespWriter out = session.out();
        long now = clock.millis();
        session.lastInteractionMillis(now);
        CommandSpec spec = commands.find(args.data(), args.offset(0), args.length(0));
        if (spec == null) {
            reject(session, unknownCommand(args));
            return;
        }
        if (spec.hasSubcommands() && args.count() >= 2) {
            CommandSpec sub = spec.findSubcommand(args.string(1).toLowerCase(Locale.ROOT));
            if (sub == null) {
                reject(session, "ERR unknown subcommand '" + truncate(args.string(1)) + "'. Try "
                        + spec.name().toUpperCase(Locale.ROOT) + " HELP.");
                return;
            }
            spec = sub;
        }
        if (!spec.arityAccepts(args.count())) {
            spec.rejectedCalls++;
            reject(session, Errors.arity(spec.fullName()));
            return;
        }
        if (!session.authenticated() && !spec.has(CommandFlag.NO_AUTH)) {
            spec.rejectedCalls++;
            reject(session, Errors.NOAUTH);
            return;
        }
        if (loading && !spec.has(CommandFlag.LOADING)) {
            spec.rejectedCalls++;
            reject(session, "LOADING Redis is loading the dataset in memory");
            return;
        }
        if (maxmemory > 0 && !eviction.makeRoom() && spec.has(CommandFlag.DENYOOM)) {
            spec.rejectedCalls++;
            reject(session, Errors.OOM);
            return;
        }
        if ((spec.has(CommandFlag.WRITE) || spec == ping()) && refusesWrites(session)) {
            spec.rejectedCalls++;
            return;
        }
        if (pause.blocks(spec, now)) {
            session.block(pause, pause.endMillis());
            paused.add(session);
            return;
        }
        ReplyMode mode = session.replyMode();
        int replyStart = out.buffer().writerIndex();
        changesReported = false;
        long errorsBefore = stats.totalErrorReplies;
        long started = clock.nanos();
        boolean outerOnlyReads = onlyReading;
        onlyReading = spec.onlyReads();
        try {
            spec.implementation().execute(session, args);
        } catch (RuntimeException e) {
            // A bug in one command must cost that command, not the server or the connection.
            out.buffer().writerIndex(replyStart);
            error(session, "ERR internal error executing '" + spec.fullName() + "': " + e);
            stats.unexpectedErrorReplies++;
            dev.magpie.server.Log.warning("Command " + spec.fullName() + " failed: " + e);
        } finally {
            onlyReading = outerOnlyReads;
        }
        long micros = (clock.advance() - started) / 1000;
        if (session.blocked()) {
            return;
        }
        spec.calls++;
        spec.microseconds += micros;
        stats.commandsProcessed++;
        if (stats.totalErrorReplies != errorsBefore) {
            spec.failedCalls++;
        } else if (spec.has(CommandFlag.WRITE)) {
            if (!changesReported) {
                dirty++;
            }
            // A large append is kept out of the next command's time; a small one (about 100 ns
            // for a SET) is not worth a clock read.
            if (aof.feeding() && aof.written(session, spec, args, out.buffer(), replyStart) >= TIMED_APPEND_BYTES) {
                clock.advance();
            }
        }
        session.lastCommand(spec.fullName(), args.count());
        // Fed after execution, as Redis does: SELECT shows the database it switched to.
        if (!clients.monitors().isEmpty() && !spec.has(CommandFlag.SKIP_MONITOR) && !spec.has(CommandFlag.ADMIN)) {
            monitor.feed(session, args, this);
            clock.advance();
        }
        recordLatency(session, spec, args, micros);
        // A command that changed the reply mode (CLIENT REPLY ON) is answered under the new mode, as in Redis.
        if ((mode == ReplyMode.OFF || mode == ReplyMode.SKIP_THIS) && session.replyMode() == mode) {
            out.buffer().writerIndex(replyStart);
        }
        if (mode == ReplyMode.SKIP_THIS && session.replyMode() == ReplyMode.SKIP_THIS) {
            session.replyMode(ReplyMode.ON);
        } else if (session.replyMode() == ReplyMode.SKIP_NEXT) {
            session.replyMode(ReplyMode.SKIP_THIS);
        }
        blocking.serveReady();
        drainResumable();
    }

    // ---- blocked clients --------------------------------------------------------------------

    public Blocking blocking() {
        return blocking;
    }

    /** Runs a blocked session's command again (its key may now serve it); used by {@link Blocking}. */
    void retryBlocked(Session session) {
        Arguments args = retryArguments.wrap(session.batch(), session.nextCommand());
        CommandSpec spec = commands.find(args.data(), args.offset(0), args.length(0));
        long started = System.nanoTime();
        int replyStart = session.out().buffer().writerIndex();
        spec.implementation().execute(session, args);
        spec.microseconds += (System.nanoTime() - started) / 1000;
        // Served now (it replied): the AOF records the pop it performed.
        if (aof.feeding() && session.out().buffer().writerIndex() > replyStart) {
            aof.written(session, spec, args, session.out().buffer(), replyStart);
        }
    }

    /** A blocked session got its answer: its batch continues after the current command. */
    void resume(Session session) {
        session.nextCommand(session.nextCommand() + 1);
        resumable.add(session);
    }

    /** Continues the batches of sessions released from a wait; safe to call from any engine duty. */
    public void drainResumable() {
        if (resuming || resumable.isEmpty()) {
            return;
        }
        resuming = true;
        try {
            while (!resumable.isEmpty()) {
                Session session = resumable.remove(0);
                if (!session.closed()) {
                    runBatch(session);
                }
            }
        } finally {
            resuming = false;
        }
    }

    private void recordLatency(Session session, CommandSpec spec, Arguments args, long micros) {
        long slower = slowlogSlowerThan;
        if (slower >= 0 && micros >= slower && !spec.has(CommandFlag.SKIP_SLOWLOG)) {
            slowLog.add(session, args, micros, settings.integer("slowlog-max-len"));
        }
        long threshold = latencyThreshold;
        if (threshold > 0 && micros / 1000 >= threshold) {
            latency.record(spec.has(CommandFlag.FAST) ? "fast-command" : "command", micros / 1000);
        }
    }

    private void reject(Session session, String error) {
        if (session.replyMode() == ReplyMode.ON) {
            session.out().error(error);
        } else if (session.replyMode() == ReplyMode.SKIP_THIS) {
            session.replyMode(ReplyMode.ON); // a rejected command still uses up CLIENT REPLY SKIP
        }
        stats.countError(error);
    }

    /** Writes an error reply and counts it for INFO errorstats. Commands use this for every error. */
    public void error(Session session, String message) {
        session.out().error(message);
        stats.countError(message);
    }

    private static String unknownCommand(Arguments args) {
        StringBuilder beginning = new StringBuilder();
        for (int i = 1; i < args.count() && beginning.length() < 128; i++) {
            String arg = args.string(i);
            int room = 128 - beginning.length();
            beginning.append('\'').append(arg, 0, Math.min(arg.length(), room)).append("' ");
        }
        return "ERR unknown command '" + truncate(args.string(0)) + "', with args beginning with: " + beginning;
    }

    private static String truncate(String text) {
        return text.length() > 128 ? text.substring(0, 128) : text;
    }

    /** Resumes sessions parked by CLIENT PAUSE once it ends. */
    public void resumePaused() {
        if (paused.isEmpty() || pause.active(System.currentTimeMillis())) {
            return;
        }
        List<Session> resumed = new ArrayList<>(paused);
        paused.clear();
        for (Session session : resumed) {
            session.unblock();
            runBatch(session);
        }
    }

    /**
     * True while the command running only reads keys: a running snapshot need not record the
     * entries it looks up before the walk reaches them (their values cannot change meanwhile).
     */
    public boolean onlyReading() {
        return onlyReading;
    }

    // ---- KeyspaceEvents -------------------------------------------------------------------

    @Override
    public long now() {
        return clock.millis();
    }

    @Override
    public int lruClock() {
        return (int) (clock.millis() / 1000);
    }

    @Override
    public boolean expiryEnabled() {
        return !aof.replaying();
    }

    @Override
    public void hit() {
        stats.keyspaceHits++;
    }

    @Override
    public void miss() {
        stats.keyspaceMisses++;
    }

    @Override
    public void expired(Database database, long entry) {
        stats.expiredKeys++;
        aof.deleted(database, entry);
    }

    @Override
    public void freeing(long entry) {
        // Strings own nothing outside their entry; richer types release their storage here.
    }
}
