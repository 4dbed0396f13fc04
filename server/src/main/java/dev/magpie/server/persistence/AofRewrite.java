package dev.magpie.server.persistence;

import dev.magpie.server.Log;
import dev.magpie.server.engine.Engine;

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
 */
final class AofRewrite {
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

    AofRewrite(Aof aof, Engine engine, Path dir, AofManifest.FileInfo firstKept, CompletableFuture<Void> switched,
               boolean rdb) {
        this.aof = aof;
        this.engine = engine;
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
        engine.thread().execute(stepTask);
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
                    aof.installBase(temp, firstKept, rdb);
                    ok = true;
                }
            }
        } catch (Exception e) {
            fail(e);
        } finally {
            if (file != null) {
                file.close();
            }
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

    private void fail(Exception e) {
        if (!failed) {
            failed = true;
            Log.warning("Error writing the AOF rewrite base: " + e.getMessage());
        }
    }
}
