package dev.magpie.server.persistence;

import dev.magpie.server.Log;
import dev.magpie.server.command.Arguments;
import dev.magpie.server.command.CommandSpec;
import dev.magpie.server.config.Settings;
import dev.magpie.server.engine.Engine;
import dev.magpie.server.keyspace.Database;
import dev.magpie.server.keyspace.Keyspace;
import dev.magpie.server.session.Session;
import io.netty.buffer.ByteBuf;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * The append-only file (Redis 7's multi-part layout in {@code dir/appenddirname}): loading at
 * startup, the feed of executed writes, the writer thread and its fsync policy, the group commit
 * of {@code appendfsync always}, BGREWRITEAOF, and the INFO persistence figures.
 *
 * <p>The engine never touches the disk: commands are encoded into an in-memory buffer that is
 * handed to the {@link AofWriter} whenever replies are flushed (every batch) and by the cron.
 * Under {@code always}, replies wait in {@link AofReplyGate} until the writer's fsync covers
 * them. Engine thread, except where noted.
 */
public final class Aof {
    private static final int PUBLISH_THRESHOLD = 32 * 1024;

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
    private AofRewrite rewrite;
    private boolean rewriteScheduled;
    /** Set while appendonly was switched on at run time and the first base is not yet written. */
    private boolean waitingForFirstBase;
    private final Runnable releaseTask = this::releaseReplies;
    // INFO figures.
    private long lastRewriteSeconds = -1;
    private boolean lastRewriteOk = true;
    private long rewrites;
    private long consecutiveFailures;
    private long baseSize;
    private long sizeAtMark;
    private long writtenAtMark;
    private long lastAutoCheckMillis;

    public Aof(Engine engine) {
        this.engine = engine;
        this.settings = engine.settings();
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

    /** A write command ran without an error reply; its reply starts at {@code replyStart}. */
    public void written(Session session, CommandSpec spec, Arguments args, ByteBuf replies, int replyStart) {
        if (!feeding) {
            return;
        }
        Database db = session.database();
        String name = spec.parent() != null ? spec.parent().name() : spec.name();
        feed.command(db, name, args, replies, replyStart, System.currentTimeMillis());
        appended();
    }

    /**
     * After an append: a full buffer goes to the writer now; otherwise, outside {@code always}
     * (where every reply flush hands it over), within about a millisecond, so the writer makes one
     * write for many commands (as Redis writes once per event-loop turn) and a crash of the
     * process loses at most that millisecond.
     */
    private void appended() {
        if (buffer.length() >= PUBLISH_THRESHOLD) {
            publish();
        } else if (!publishScheduled && engine.thread() != null) {
            publishScheduled = true;
            engine.thread().schedule(scheduledPublish, 1);
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
        if (!feeding || rewrite != null) {
            return;
        }
        if (rewriteScheduled && !snapshotRunning()) {
            rewriteScheduled = false;
            startRewrite();
            return;
        }
        long percentage = settings.integer("auto-aof-rewrite-percentage");
        if (percentage > 0 && !waitingForFirstBase && nowMillis - lastAutoCheckMillis >= 1000) {
            lastAutoCheckMillis = nowMillis;
            long current = currentSize();
            long base = Math.max(1, baseSize);
            if (current >= settings.integer("auto-aof-rewrite-min-size") && (current - base) * 100 / base >= percentage
                    && !snapshotRunning()) {
                Log.notice("Starting automatic rewriting of AOF on " + (current - base) * 100 / base + "% growth");
                startRewrite();
            }
        }
    }

    // ---- startup and shutdown --------------------------------------------------------------------

    /**
     * With {@code appendonly yes}: loads the files the manifest names (the dataset comes from the
     * AOF alone, as in Redis), then opens the last incremental file for appending, creating a base
     * and a manifest first when there are none. Returns true when a dataset was loaded. Runs on
     * the engine thread; call before the server accepts clients.
     */
    public boolean startup() throws IOException, AofLoader.AofLoadException {
        if (!settings.bool("appendonly")) {
            return false;
        }
        return onEngine(() -> {
            dir = directory();
            Files.createDirectories(dir);
            String prefix = settings.text("appendfilename");
            AofManifest found = AofManifest.load(dir, prefix);
            boolean loaded = false;
            if (found != null && !found.isEmpty()) {
                long started = System.nanoTime();
                AofLoader loader = new AofLoader(engine, settings.bool("aof-load-truncated"));
                replaying = true;
                try {
                    loader.load(dir, found);
                } finally {
                    replaying = false;
                }
                Log.notice(String.format("DB loaded from append only file: %.3f seconds",
                        (System.nanoTime() - started) / 1e9));
                deleteHistory(found);
                found = found.withoutHistory();
                loaded = true;
            }
            AofManifest current = found == null ? AofManifest.empty(prefix) : found;
            if (current.base() == null && current.incrs().isEmpty()) {
                current = writeBaseNow(current);
            }
            if (current.lastIncr() == null) {
                current = current.withNewIncr();
                Files.write(dir.resolve(current.lastIncr().name()), new byte[0]);
                current.persist(dir);
            }
            synchronized (manifestLock) {
                manifest = current;
            }
            openWriter(dir.resolve(current.lastIncr().name()));
            markSizes();
            feeding = true;
            return loaded;
        });
    }

    /** A base file of the current dataset written synchronously (startup with no AOF yet). */
    private AofManifest writeBaseNow(AofManifest current) throws IOException {
        AofBuffer out = new AofBuffer(1 << 16);
        AofKeyWriter keys = new AofKeyWriter(out, System.currentTimeMillis());
        Database[] databases = engine.databases();
        for (int i = 0; i < databases.length; i++) {
            int db = i;
            Keyspace keyspace = databases[i].keyspace();
            keyspace.forEach(entry -> keys.entry(db, keyspace, entry));
        }
        String name = current.nextBaseName(false);
        Path temp = dir.resolve("temp-" + name);
        Files.write(temp, out.toByteArray());
        try (var channel = java.nio.channels.FileChannel.open(temp, java.nio.file.StandardOpenOption.WRITE)) {
            channel.force(true);
        }
        Files.move(temp, dir.resolve(name), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        AofManifest.syncDirectory(dir);
        return current.withNewBase(false, null);
    }

    private void openWriter(Path file) throws IOException {
        published = 0;
        feed.forgetSelectedDb();
        writer = new AofWriter(dir, file, AofWriter.Policy.of(settings.text("appendfsync")), this::afterAlwaysSync);
    }

    /** Shutdown (SHUTDOWN, SIGTERM): everything appended is written and fsynced. Any thread, after the engine stopped. */
    public void close() {
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
        if (feeding) {
            return;
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
        waitingForFirstBase = true;
        if (snapshotRunning()) {
            rewriteScheduled = true;
        } else {
            startRewrite();
        }
    }

    /** CONFIG SET appendonly no: stop feeding; the writer finishes and fsyncs in the background. */
    private void switchOff() {
        if (!feeding) {
            return;
        }
        publish();
        feeding = false;
        rewriteScheduled = false;
        if (rewrite != null) {
            rewrite.abandon();
        }
        AofWriter old = writer;
        writer = null;
        gate.releaseAll();
        Thread closer = new Thread(old::close, "magpie-aof-close");
        closer.setDaemon(true);
        closer.start();
    }

    private Path directory() {
        return Path.of(settings.text("dir")).resolve(settings.text("appenddirname"));
    }

    // ---- rewrite ----------------------------------------------------------------------------------

    /** BGREWRITEAOF: returns the status reply text, or an error starting with "ERR". */
    public String requestRewrite() {
        if (rewrite != null) {
            return "ERR Background append only file rewriting already in progress";
        }
        if (snapshotRunning()) {
            rewriteScheduled = true;
            return "Background append only file rewriting scheduled";
        }
        if (!feeding) {
            // As Redis: with appendonly off, BGREWRITEAOF still writes a compacted AOF of the dataset.
            return "ERR Background append only file rewriting is only supported with appendonly yes";
        }
        startRewrite();
        return "Background append only file rewriting started";
    }

    private static boolean snapshotRunning(Engine engine) {
        for (Database db : engine.databases()) {
            if (db.keyspace().snapshotActive()) {
                return true;
            }
        }
        return false;
    }

    private boolean snapshotRunning() {
        return snapshotRunning(engine);
    }

    /** Switches to a new incremental file and starts a base of this very moment (engine thread). */
    private void startRewrite() {
        publish();
        AofManifest next;
        synchronized (manifestLock) {
            next = manifest.withNewIncr();
            manifest = next;
        }
        Path incr = dir.resolve(next.lastIncr().name());
        CompletableFuture<Void> switched = writer.switchTo(incr, waitingForFirstBase ? null : next);
        feed.forgetSelectedDb();
        rewrite = new AofRewrite(this, engine, dir, next.lastIncr(), switched);
        rewrite.start();
        Log.notice("Background append only file rewriting started");
    }

    /** The rewrite thread wrote and synced the new base under a temporary name: make it the base. */
    void installBase(Path tempBase, AofManifest.FileInfo firstKept) throws IOException {
        AofManifest next;
        synchronized (manifestLock) {
            String name = manifest.nextBaseName(false);
            Files.move(tempBase, dir.resolve(name), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            AofManifest.syncDirectory(dir);
            next = manifest.withNewBase(false, firstKept);
            next.persist(dir);
            deleteHistory(next);
            next = next.withoutHistory();
            next.persist(dir);
            manifest = next;
        }
    }

    /** Engine thread: the rewrite ended. */
    void rewriteDone(AofRewrite finished, boolean ok, long seconds) {
        if (rewrite != finished) {
            return;
        }
        rewrite = null;
        lastRewriteSeconds = seconds;
        lastRewriteOk = ok;
        if (ok) {
            rewrites++;
            consecutiveFailures = 0;
            waitingForFirstBase = false;
            markSizes();
            Log.notice("Background AOF rewrite finished successfully");
        } else {
            consecutiveFailures++;
            if (waitingForFirstBase && feeding) {
                rewriteScheduled = true;
            }
            Log.warning("Background AOF rewrite failed");
        }
    }

    boolean feedingNow() {
        return feeding;
    }

    private void deleteHistory(AofManifest m) {
        for (AofManifest.FileInfo old : m.history()) {
            try {
                Files.deleteIfExists(dir.resolve(old.name()));
            } catch (IOException e) {
                Log.warning("Can't delete the old AOF file " + old.name() + ": " + e.getMessage());
            }
        }
    }

    // ---- INFO ------------------------------------------------------------------------------------

    private void markSizes() {
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
        baseSize = Math.max(baseSize, total);
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
        return rewrite != null;
    }

    public boolean rewriteScheduled() {
        return rewriteScheduled;
    }

    public long lastRewriteSeconds() {
        return lastRewriteSeconds;
    }

    public long currentRewriteSeconds() {
        return rewrite == null ? -1 : rewrite.elapsedSeconds();
    }

    public String lastBgrewriteStatus() {
        return lastRewriteOk ? "ok" : "err";
    }

    public long rewrites() {
        return rewrites;
    }

    public long consecutiveFailures() {
        return consecutiveFailures;
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
        line(out, "aof_pending_rewrite", rewriteScheduled ? 1 : 0);
        line(out, "aof_buffer_length", bufferLength());
        line(out, "aof_pending_bio_fsync", 0);
        line(out, "aof_delayed_fsync", delayedFsyncs());
    }

    private static void line(StringBuilder out, String name, long value) {
        out.append(name).append(':').append(value).append("\r\n");
    }

    // ---- helpers -----------------------------------------------------------------------------------

    /** Runs {@code task} on the engine thread and waits for it (startup only: the engine serves nobody yet). */
    private <T> T onEngine(Callable<T> task) throws IOException, AofLoader.AofLoadException {
        if (engine.thread() == null || engine.thread().inEngineThread()) {
            try {
                return task.call();
            } catch (IOException | AofLoader.AofLoadException | RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
        CompletableFuture<T> result = new CompletableFuture<>();
        engine.thread().execute(() -> {
            try {
                result.complete(task.call());
            } catch (Throwable e) {
                result.completeExceptionally(e);
            }
        });
        try {
            return result.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while loading the AOF");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException io) {
                throw io;
            }
            if (cause instanceof AofLoader.AofLoadException load) {
                throw load;
            }
            if (cause instanceof UncheckedIOException unchecked) {
                throw unchecked.getCause();
            }
            throw new IllegalStateException(cause);
        }
    }
}
