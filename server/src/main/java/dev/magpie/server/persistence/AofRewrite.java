package dev.magpie.server.persistence;

import dev.magpie.server.Log;
import dev.magpie.server.engine.Engine;
import dev.magpie.server.keyspace.ChangedSegments;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One BGREWRITEAOF. The moment it starts, the feed moves to a new incremental file and a
 * {@link KeyspaceSnapshot} (copy-on-write per key) begins; the snapshot is walked in slices of
 * 200 µs between the engine's other work, each key encoded by an {@link AofBaseEncoder} (RDB or
 * commands, per {@code aof-use-rdb-preamble}) into a buffer that a background thread appends to
 * a temporary base file. In the RDB form, string keys are copied and large lists frozen instead
 * ({@link DeferredKeys}) and serialized by that thread in their place. When the walk ends, that thread syncs the file,
 * renames it to the new base, and persists a manifest naming it plus the incremental file
 * started with the snapshot; the older files are deleted.
 *
 * <p>An RDB base is divided into segments ({@link BaseReuse}): those in which nothing changed
 * since the previous base are not walked but copied from it by the kernel, at the start of the
 * file, and the walk records where the others lie for the next rewrite.
 */
final class AofRewrite implements KeyspaceSnapshot.Segments {
    /** Short slices, paced by the snapshot while clients are served, keep their latency near normal. */
    private static final long SLICE_NANOS = TimeUnit.MICROSECONDS.toNanos(200);
    private static final int HANDOFF_BYTES = 1 << 20;
    /**
     * Captured bytes the rewrite thread has not written yet, above which the walk waits for it. An
     * idle engine walks faster than the thread encodes, and a busy machine gives the thread (at
     * nice 10) little CPU: without a bound the copies of a whole dataset could pile up. Copies
     * that commands make before changing a key still go through; they are bounded by the keys
     * written during the rewrite, as a fork's copied pages are.
     */
    static final long BACKLOG_LIMIT_BYTES = 8L << 20;

    private final Aof aof;
    private final Engine engine;
    private final BaseReuse reuse;
    /** What this rewrite copies and records, or null for a base not divided into segments. */
    private BaseReuse.Plan plan;
    /** The previous base, opened by the rewrite thread for the first copy. */
    private DirectAppender.Source source;
    /** Set on the engine thread when the rewrite starts; read by others once it ended. */
    private volatile int reusedSegments;
    private volatile long reusedBytes;
    private final AofManifest.FileInfo firstKept;
    private final CompletableFuture<Void> switched;
    private final Path temp;
    private final boolean rdb;
    private final ExecutorService io = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(() -> {
            BackgroundPriority.lowerCurrentThread();
            runnable.run();
        }, "magpie-aof-rewrite");
        thread.setDaemon(true);
        return thread;
    });
    private final long startedMillis = System.currentTimeMillis();
    private AofBaseEncoder encoder;
    private KeyspaceSnapshot snapshot;
    /** Opened, written and committed on the I/O thread only. */
    private AofBaseFile file;
    /** Encodes deferred keys into {@link #file}; I/O thread only, made with the file. */
    private DeferredEncoder deferredEncoder;
    private volatile boolean failed;
    private volatile boolean abandoned;
    private final Runnable stepTask = this::step;
    private final AtomicLong backlog = new AtomicLong();
    /** The largest {@link #backlog} seen; written by the engine thread only. */
    private volatile long peakBacklog;

    AofRewrite(Aof aof, Engine engine, BaseReuse reuse, Path dir, AofManifest.FileInfo firstKept,
               CompletableFuture<Void> switched, boolean rdb) {
        this.aof = aof;
        this.engine = engine;
        this.reuse = reuse;
        this.firstKept = firstKept;
        this.switched = switched;
        this.rdb = rdb;
        this.temp = dir.resolve("temp-rewriteaof-bg-" + ProcessHandle.current().pid() + ".aof");
    }

    long elapsedSeconds() {
        return (System.currentTimeMillis() - startedMillis) / 1000;
    }

    /** The AOF was switched off: the walk completes, but its file is thrown away. */
    void abandon() {
        abandoned = true;
    }

    /** Engine thread: the point in time of the new base. */
    void start() {
        boolean checksum = engine.settings().bool("rdbchecksum");
        boolean compress = engine.settings().bool("rdbcompression");
        io.execute(() -> {
            try {
                file = new AofBaseFile(temp, rdb, checksum);
                deferredEncoder = new DeferredEncoder(compress, file::write);
            } catch (IOException e) {
                fail(e);
            }
        });
        encoder = AofBaseEncoder.of(engine, rdb, startedMillis);
        encoder.begin();
        encoder.defer(keys -> {
            if (encoder.pending() > 0) {
                handOff(encoder.take());
            }
            submit(keys.bytes(), () -> writeDeferred(keys));
        });
        snapshot = KeyspaceSnapshot.start(engine, encoder);
        snapshot.leaveOutReplacedKeys();
        plan = reuse.begin(rdb);
        if (plan != null) {
            snapshot.divide(this);
            copyReusedSegments();
        }
        engine.thread().execute(stepTask);
    }

    /** Where this rewrite's base holds each segment, or null when it is not divided. */
    BaseReuse.Layout layout() {
        return plan == null ? null : plan.target();
    }

    /** Keys the walk and the commands before it handed over; engine thread, once the walk ended. */
    long keysWritten() {
        return snapshot.visited();
    }

    /** Keys left out because a command replaced them before the walk came ({@link KeyspaceSnapshot#leaveOutReplacedKeys}). */
    long keysLeftOut() {
        return snapshot.leftOut();
    }

    /** Segments copied from the previous base, and their bytes (for the log and tests). */
    int reusedSegments() {
        return reusedSegments;
    }

    long reusedBytes() {
        return reusedBytes;
    }

    private void copyReusedSegments() {
        BaseReuse.Layout from = plan.source();
        BaseReuse.Layout to = plan.target();
        for (int db = 0; db < engine.databases().length; db++) {
            for (int s = 0, n = to.buckets(db) == 0 ? 0 : ChangedSegments.segments(to.buckets(db)); s < n; s++) {
                if (plan.reuses(db, s)) {
                    reusedSegments++;
                    int database = db;
                    int segment = s;
                    encoder.mark(db, marker(channel -> {
                        long at = channel.position();
                        long length = from.length(database, segment);
                        channel.append(source(from), from.offset(database, segment), length, from.crc(database, segment));
                        to.copied(database, segment, at, length, from.crc(database, segment));
                        reusedBytes += length;
                    }));
                }
            }
        }
    }

    /** Rewrite thread: the previous base, open for reading. */
    private DirectAppender.Source source(BaseReuse.Layout from) throws IOException {
        if (source == null) {
            source = DirectAppender.Source.open(from.file());
        }
        return source;
    }

    @Override
    public int buckets(int database) {
        return plan.target().buckets(database);
    }

    @Override
    public boolean reused(int database, int segment) {
        return plan.reuses(database, segment);
    }

    @Override
    public void walkStarts(int database, int segment) {
        BaseReuse.Layout to = plan.target();
        encoder.mark(database, marker(channel -> to.walkStarted(channel.position(), channel.crc())));
    }

    @Override
    public void walkEnds(int database, int segment) {
        BaseReuse.Layout to = plan.target();
        encoder.mark(database, marker(channel -> to.walkEnded(database, segment, channel.position(), channel.crc())));
    }

    /** Work on the base file at a point of the stream, done by the rewrite thread. */
    private interface FileWork {
        void run(ChecksummedChannel channel) throws IOException;
    }

    private DeferredKeys marker(FileWork work) {
        return new DeferredKeys() {
            @Override
            public void writeTo(DeferredEncoder deferred) throws IOException {
                deferred.flush();
                work.run(file.channel());
            }

            @Override
            public long bytes() {
                return 0;
            }

            @Override
            public void release() {
            }
        };
    }

    private void step() {
        if (backlog.get() > BACKLOG_LIMIT_BYTES) {
            engine.thread().schedule(stepTask, 1);
            return;
        }
        boolean more;
        try {
            more = snapshot.step(SLICE_NANOS);
        } catch (RuntimeException e) {
            snapshot.finish();
            fail(new IOException(e));
            more = false;
        }
        if (!more) {
            encoder.end();
        }
        if (encoder.pending() >= HANDOFF_BYTES || !more) {
            handOff(encoder.take());
        }
        if (more) {
            long pause = snapshot.pauseBeforeNextSliceMillis();
            if (pause == 0) {
                engine.thread().execute(stepTask);
            } else {
                engine.thread().schedule(stepTask, pause);
            }
        } else {
            io.execute(this::complete);
        }
    }

    /** The bytes captured so far that the rewrite thread had not yet written, at their most. */
    long peakBacklog() {
        return peakBacklog;
    }

    /** Engine thread: queues {@code task} for the rewrite thread, counting {@code bytes} until it has run. */
    private void submit(long bytes, Runnable task) {
        long queued = backlog.addAndGet(bytes);
        if (queued > peakBacklog) {
            peakBacklog = queued;
        }
        io.execute(() -> {
            try {
                task.run();
            } finally {
                backlog.addAndGet(-bytes);
            }
        });
    }

    private void handOff(byte[] bytes) {
        submit(bytes.length, () -> {
            if (failed || file == null) {
                return;
            }
            try {
                file.write(bytes);
            } catch (IOException e) {
                fail(e);
            }
        });
    }

    /** Rewrite thread: keys the engine captured, serialized here in their place in the file. */
    private void writeDeferred(DeferredKeys keys) {
        if (failed || file == null) {
            keys.release();
            return;
        }
        try {
            keys.writeTo(deferredEncoder);
        } catch (IOException | RuntimeException e) {
            fail(e);
        }
    }

    /** Rewrite thread: sync, rename, manifest, old files gone; then tell the engine. */
    private void complete() {
        boolean ok = false;
        try {
            if (!failed && file != null) {
                file.commit();
                switched.get(30, TimeUnit.SECONDS);
                if (!abandoned) {
                    Path installed = aof.installBase(temp, firstKept, rdb);
                    if (plan != null) {
                        plan.target().installedAs(installed);
                    }
                    ok = true;
                }
            }
        } catch (Exception e) {
            fail(e);
        } finally {
            if (file != null) {
                file.close();
            }
            closeSource();
            try {
                Files.deleteIfExists(temp);
            } catch (IOException ignored) {
                // a stale temporary file is harmless: the next rewrite truncates it
            }
            boolean success = ok;
            long seconds = elapsedSeconds();
            engine.thread().execute(() -> aof.rewriteDone(this, success, seconds));
            io.shutdown();
        }
    }

    private void closeSource() {
        if (source != null) {
            try {
                source.close();
            } catch (IOException ignored) {
                // read only: nothing was lost
            }
        }
    }

    private void fail(Exception e) {
        if (!failed) {
            failed = true;
            Log.warning("Error writing the AOF rewrite base: " + e.getMessage());
        }
    }
}
