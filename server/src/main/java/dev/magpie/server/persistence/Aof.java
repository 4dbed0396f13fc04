package dev.magpie.server.persistence;

import dev.magpie.server.Log;
import dev.magpie.server.command.Arguments;
import dev.magpie.server.command.CommandSpec;
import dev.magpie.server.config.Settings;
import dev.magpie.server.engine.Engine;
import dev.magpie.server.keyspace.Database;
import dev.magpie.server.session.Session;
import io.netty.buffer.ByteBuf;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;

/**
 * The append-only file (Redis 7's multi-part layout in {@code dir/appenddirname}): the feed of
 * executed writes, the writer thread and its fsync policy, the group commit of
 * {@code appendfsync always}, the files and manifest of rewrites, and the INFO persistence
 * figures. Loading at startup is {@link AofStartup}; when rewrites run is {@link AofRewrites}.
 *
 * <p>The engine never touches the disk: commands are encoded into an in-memory buffer that is
 * handed to the {@link AofWriter} once {@link #PUBLISH_THRESHOLD} bytes have gathered or
 * {@link #PUBLISH_DELAY_MILLIS} after the first of them, at every reply flush under
 * {@code always}, and by the cron.
 * Under {@code always}, replies wait in {@link AofReplyGate} until the writer's fsync covers
 * them. Engine thread, except where noted.
 */
public final class Aof {
    /**
     * Buffered bytes that go to the writer at once. Large, so a heavy write load wakes the writer
     * a few hundred times a second rather than thousands: each wake-up preempts the engine or the
     * clients on a machine with few cores. Below the buffer's size, so the append that crosses it
     * still fits and the buffer goes back to the writer's spares instead of being outgrown.
     */
    private static final int PUBLISH_THRESHOLD = AofWriter.BUFFER_SIZE * 3 / 4;
    /** Outside {@code always}, buffered commands reach the writer within this long. */
    private static final long PUBLISH_DELAY_MILLIS = 5;

    private final Engine engine;
    private final Settings settings;
    private final AofBuffer buffer = new AofBuffer(AofWriter.BUFFER_SIZE);
    private final AofFeed feed = new AofFeed(buffer);
    private final AofReplyGate gate = new AofReplyGate(this);
    private final Object manifestLock = new Object();
    private volatile AofWriter writer;
    private AofManifest manifest;
    private Path dir;
    private boolean feeding;
    private boolean replaying;
    private long published;
    private final AofRewrites rewrites;
    private final BaseReuse baseReuse;
    private volatile AofStartup startup;
    private final Runnable releaseTask = this::releaseReplies;
    // INFO figures.
    private long baseSize;
    private long sizeAtMark;
    private long writtenAtMark;

    public Aof(Engine engine) {
        this.engine = engine;
        this.settings = engine.settings();
        this.rewrites = new AofRewrites(this, engine);
        this.baseReuse = new BaseReuse(engine);
        settings.listen("appendfsync", setting -> {
            AofWriter current = writer;
            if (current != null) {
                current.policy(AofWriter.Policy.of(setting.text()));
                if (current.policy() != AofWriter.Policy.ALWAYS) {
                    gate.releaseAll();
                }
            }
        });
        settings.listen("appendonly", setting -> {
            if (settings.bool("appendonly")) {
                switchOn();
            } else {
                switchOff();
            }
        });
    }

    // ---- engine hooks ------------------------------------------------------------------------------

    /** Whether executed writes are being appended (appendonly on). */
    public boolean feeding() {
        return feeding;
    }

    /** True while the AOF is being replayed at startup: keys do not expire meanwhile, as in Redis. */
    public boolean replaying() {
        return replaying;
    }

    /**
     * A write command ran without an error reply; its reply starts at {@code replyStart}.
     * Returns how many bytes it appended to the stream.
     */
    public long written(Session session, CommandSpec spec, Arguments args, ByteBuf replies, int replyStart) {
        if (!feeding) {
            return 0;
        }
        Database db = session.database();
        String name = spec.parent() != null ? spec.parent().name() : spec.name();
        long before = feed.appendedBytes();
        feed.command(db, name, args, replies, replyStart, engine.now());
        appended();
        return feed.appendedBytes() - before;
    }

    /**
     * After an append: a full buffer goes to the writer now; otherwise, outside {@code always}
     * (where every reply flush hands it over), within {@link #PUBLISH_DELAY_MILLIS}, so the writer
     * makes one write for many commands and a crash of the process loses at most those few
     * milliseconds (everysec promises a second).
     */
    private void appended() {
        if (buffer.length() >= PUBLISH_THRESHOLD) {
            publish();
        } else if (!publishScheduled && engine.thread() != null) {
            publishScheduled = true;
            engine.thread().schedule(scheduledPublish, PUBLISH_DELAY_MILLIS);
        }
    }

    private boolean publishScheduled;
    private final Runnable scheduledPublish = () -> {
        publishScheduled = false;
        publish();
    };

    /** Under {@code always} every reply flush hands the buffer over: the reply waits for it anyway. */
    boolean alwaysPolicy() {
        AofWriter current = writer;
        return current != null && current.policy() == AofWriter.Policy.ALWAYS;
    }

    /** A key is removed by expiry or eviction (called before the entry is freed). */
    public void deleted(Database db, long entry) {
        if (feeding) {
            feed.deleted(db, entry);
            appended();
        }
    }

    /** Every session's reply flushes pass here (group commit under {@code always}). */
    public Session.ReplyGate replyGate() {
        return gate;
    }

    /** Whether the session still has replies waiting for an fsync (its connection closes after them). */
    public boolean holdingReplies(Session session) {
        return gate.holding(session);
    }

    /** Hands what the feed buffered to the writer. */
    void publish() {
        AofWriter current = writer;
        int length = buffer.length();
        if (current == null || length == 0) {
            return;
        }
        byte[] fresh = current.offer(buffer.bytes(), length);
        buffer.swap(fresh);
        published += length;
    }

    /** Whether the writer has bytes handed to it still to write, or an fsync running (engine thread). */
    boolean writerAtWork() {
        AofWriter current = writer;
        return current != null && current.atWork(published);
    }

    /** Bytes appended to the stream since the writer started, including those not yet handed over. */
    long appendedOffset() {
        return published + buffer.length();
    }

    /** Whether a reply flushed now must wait: {@code always}, and appended bytes not yet fsynced. */
    boolean holdsReplies() {
        AofWriter current = writer;
        return current != null && current.policy() == AofWriter.Policy.ALWAYS
                && appendedOffset() > current.syncedOffset();
    }

    /** Writer thread, after each fsync under {@code always}. */
    private void afterAlwaysSync() {
        if (gate.hasWaiters() && engine.thread() != null) {
            engine.thread().execute(releaseTask);
        }
    }

    /** What the writer has made durable so far (a volatile read); everything when there is no writer. */
    long syncedOffset() {
        AofWriter current = writer;
        return current == null ? Long.MAX_VALUE : current.syncedOffset();
    }

    /** Releases held replies on the engine thread, after what is already queued there. */
    void scheduleRelease() {
        if (engine.thread() != null) {
            engine.thread().execute(releaseTask);
        }
    }

    private void releaseReplies() {
        AofWriter current = writer;
        gate.release(current == null ? Long.MAX_VALUE : current.syncedOffset());
        engine.flushPending();
    }

    /** The engine's cron: hands over buffered commands, starts scheduled or automatic rewrites. */
    public void cron(long nowMillis) {
        publish();
        if (feeding) {
            rewrites.cron(nowMillis);
        }
    }

    // ---- startup and shutdown --------------------------------------------------------------------

    /**
     * With {@code appendonly yes}, before the port opens: reads the manifest. Returns true when
     * there are files to load: the engine now answers LOADING, and {@link #load} starts the load
     * once the port is open. Otherwise the AOF is open for appending on return.
     */
    public boolean startup() throws IOException {
        if (!settings.bool("appendonly")) {
            return false;
        }
        startup = new AofStartup(this, engine);
        return startup.prepare(directory());
    }

    /**
     * Loads the files {@link #startup} found while clients get LOADING, then opens the AOF for
     * appending; {@code onFailure} runs on the engine thread when a file is bad.
     */
    public void load(Runnable onFailure) {
        startup.load(onFailure);
    }

    /** Why loading the AOF at startup failed; null when it did not. */
    public String loadFailure() {
        AofStartup current = startup;
        return current == null ? null : current.failure();
    }

    /** Set while the startup load replays the files. */
    void replaying(boolean replaying) {
        this.replaying = replaying;
    }

    /** The startup load ended: appending goes on in the last incremental file of {@code current}. */
    void opened(Path directory, AofManifest current) throws IOException {
        dir = directory;
        synchronized (manifestLock) {
            manifest = current;
        }
        published = 0;
        feed.forgetSelectedDb();
        writer = new AofWriter(dir, dir.resolve(current.lastIncr().name()),
                AofWriter.Policy.of(settings.text("appendfsync")), this::afterAlwaysSync);
        markSizes(false);
        feeding = true;
    }

    /** Shutdown (SHUTDOWN, SIGTERM): everything appended is written and fsynced. Any thread, after the engine stopped. */
    public void close() {
        AofStartup loading = startup;
        if (loading != null) {
            loading.stop();
        }
        AofWriter current = writer;
        if (current == null) {
            return;
        }
        publish();
        current.close();
        writer = null;
        feeding = false;
        Log.notice("Calling fsync() on the AOF file.");
    }

    /** CONFIG SET appendonly yes: start feeding into a new incremental file and rewrite a base for it. */
    private void switchOn() {
        if (feeding || engine.loading()) {
            return; // a startup load opens the AOF when it ends
        }
        try {
            dir = directory();
            Files.createDirectories(dir);
            String prefix = settings.text("appendfilename");
            AofManifest found = AofManifest.load(dir, prefix);
            synchronized (manifestLock) {
                manifest = found == null ? AofManifest.empty(prefix) : found;
            }
            published = 0;
            feed.forgetSelectedDb();
            writer = new AofWriter(dir, null, AofWriter.Policy.of(settings.text("appendfsync")), this::afterAlwaysSync);
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalArgumentException("Unable to turn on AOF. Check server logs.");
        }
        feeding = true;
        rewrites.firstBase();
    }

    /** CONFIG SET appendonly no: stop feeding; the writer finishes and fsyncs in the background. */
    private void switchOff() {
        if (!feeding) {
            return;
        }
        publish();
        feeding = false;
        rewrites.stop();
        baseReuse.forget();
        AofWriter old = writer;
        writer = null;
        gate.releaseAll();
        Thread closer = new Thread(old::close, "magpie-aof-close");
        closer.setDaemon(true);
        closer.start();
    }

    Path directory() {
        return Path.of(settings.text("dir")).resolve(settings.text("appenddirname"));
    }

    // ---- rewrite ----------------------------------------------------------------------------------

    /** BGREWRITEAOF: returns the status reply text, or an error starting with "ERR". */
    public String requestRewrite() {
        return rewrites.request();
    }

    /**
     * A rewrite starts now: appending moves to a new incremental file and the base of this very
     * moment is to be written (engine thread). Without {@code firstBase} the writer persists the
     * manifest naming the new file once it is open; the first base's manifest waits for the base.
     */
    AofRewrite beginRewrite(boolean firstBase) {
        publish();
        AofManifest next;
        synchronized (manifestLock) {
            next = manifest.withNewIncr();
            manifest = next;
        }
        Path incr = dir.resolve(next.lastIncr().name());
        CompletableFuture<Void> switched = writer.switchTo(incr, firstBase ? null : next);
        feed.forgetSelectedDb();
        return new AofRewrite(this, engine, baseReuse, dir, next.lastIncr(), switched, settings.bool("aof-use-rdb-preamble"));
    }

    /** The rewrite thread wrote and synced the new base under a temporary name: make it the base. */
    Path installBase(Path tempBase, AofManifest.FileInfo firstKept, boolean rdb) throws IOException {
        AofManifest next;
        Path base;
        synchronized (manifestLock) {
            String name = manifest.nextBaseName(rdb);
            base = dir.resolve(name);
            Files.move(tempBase, base, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            AofManifest.syncDirectory(dir);
            next = manifest.withNewBase(rdb, firstKept);
            next.persist(dir);
            next.deleteHistory(dir);
            next = next.withoutHistory();
            next.persist(dir);
            manifest = next;
        }
        return base;
    }

    /** Engine thread: the rewrite ended. */
    void rewriteDone(AofRewrite finished, boolean ok, long seconds) {
        if (ok) {
            Log.verbose("The AOF rewrite wrote " + finished.keysWritten() + " keys; commands replaced "
                    + finished.keysLeftOut() + " others before its walk reached them");
        }
        if (ok && finished.layout() != null) {
            baseReuse.installed(finished.layout());
            Log.verbose("The AOF rewrite copied " + finished.reusedSegments() + " unchanged segments ("
                    + finished.reusedBytes() + " bytes) from the previous base");
        } else if (!ok) {
            baseReuse.forget();
        }
        rewrites.done(finished, ok, seconds);
    }

    boolean feedingNow() {
        return feeding;
    }

    // ---- INFO ------------------------------------------------------------------------------------

    /**
     * Measures the files for INFO and the automatic rewrite. As in Redis, the base size after a
     * rewrite is the whole AOF then, including what was appended while it ran (else the next
     * automatic rewrite would come too soon); at startup, when that is not known, it is the
     * BASE file's size alone.
     */
    void markSizes(boolean afterRewrite) {
        baseSize = 0;
        long total = 0;
        AofManifest m;
        synchronized (manifestLock) {
            m = manifest;
        }
        if (m == null) {
            return;
        }
        for (AofManifest.FileInfo info : m.replayOrder()) {
            long size = fileSize(dir.resolve(info.name()));
            total += size;
            if (info.type() == AofManifest.BASE) {
                baseSize = size;
            }
        }
        AofWriter current = writer;
        sizeAtMark = total;
        writtenAtMark = current == null ? 0 : current.writtenOffset();
        if (afterRewrite) {
            baseSize = total;
        }
    }

    private static long fileSize(Path file) {
        try {
            return Files.exists(file) ? Files.size(file) : 0;
        } catch (IOException e) {
            return 0;
        }
    }

    public long currentSize() {
        AofWriter current = writer;
        return sizeAtMark + (current == null ? 0 : current.writtenOffset() - writtenAtMark);
    }

    public long baseSize() {
        return baseSize;
    }

    public boolean rewriteInProgress() {
        return rewrites.inProgress();
    }

    public boolean rewriteScheduled() {
        return rewrites.scheduled();
    }

    public long lastRewriteSeconds() {
        return rewrites.lastSeconds();
    }

    public long currentRewriteSeconds() {
        return rewrites.currentSeconds();
    }

    public String lastBgrewriteStatus() {
        return rewrites.lastOk() ? "ok" : "err";
    }

    /** Index segments the last rewrite copied from the previous base instead of walking them (0 before the first). */
    public int lastRewriteReusedSegments() {
        AofRewrite last = rewrites.lastStarted();
        return last == null ? 0 : last.reusedSegments();
    }

    /** The rewrite started last, running or not; null before the first. */
    AofRewrite lastRewrite() {
        return rewrites.lastStarted();
    }

    public long rewrites() {
        return rewrites.started();
    }

    public long consecutiveFailures() {
        return rewrites.consecutiveFailures();
    }

    /** Why the AOF cannot be written now, or null (also when the AOF is off). */
    public String lastWriteError() {
        AofWriter current = writer;
        return current == null ? null : current.lastError();
    }

    public String lastWriteStatus() {
        AofWriter current = writer;
        return current == null || current.lastWriteOk() ? "ok" : "err";
    }

    public long bufferLength() {
        return buffer.length();
    }

    public long delayedFsyncs() {
        AofWriter current = writer;
        return current == null ? 0 : current.delayedFsyncs();
    }

    /** The INFO persistence lines Redis adds when the AOF is on, in Redis's order. */
    public void appendEnabledInfo(StringBuilder out) {
        line(out, "aof_current_size", currentSize());
        line(out, "aof_base_size", baseSize());
        line(out, "aof_pending_rewrite", rewrites.scheduled() ? 1 : 0);
        line(out, "aof_buffer_length", bufferLength());
        line(out, "aof_pending_bio_fsync", 0);
        line(out, "aof_delayed_fsync", delayedFsyncs());
    }

    private static void line(StringBuilder out, String name, long value) {
        out.append(name).append(':').append(value).append("\r\n");
    }
}
