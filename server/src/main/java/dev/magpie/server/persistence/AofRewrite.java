package dev.magpie.server.persistence;

import dev.magpie.server.Log;
import dev.magpie.server.engine.Engine;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * One BGREWRITEAOF. The moment it starts, the feed moves to a new incremental file and a
 * {@link KeyspaceSnapshot} (copy-on-write per key) begins; the snapshot is walked in slices of
 * about a millisecond between the engine's other work, each key written as commands into a
 * buffer that a background thread appends to a temporary base file. When the walk ends, that
 * thread syncs the file, renames it to the new base, and persists a manifest naming it plus the
 * incremental file started with the snapshot; the older files are deleted.
 */
final class AofRewrite {
    private static final long SLICE_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
    private static final int HANDOFF_BYTES = 1 << 20;

    private final Aof aof;
    private final Engine engine;
    private final Path dir;
    private final AofManifest.FileInfo firstKept;
    private final CompletableFuture<Void> switched;
    private final Path temp;
    private final ExecutorService io = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "magpie-aof-rewrite");
        thread.setDaemon(true);
        return thread;
    });
    private final long startedMillis = System.currentTimeMillis();
    private AofKeyWriter keys;
    private KeyspaceSnapshot snapshot;
    private FileChannel channel;
    private volatile boolean failed;
    private volatile boolean abandoned;
    private final Runnable stepTask = this::step;

    AofRewrite(Aof aof, Engine engine, Path dir, AofManifest.FileInfo firstKept, CompletableFuture<Void> switched) {
        this.aof = aof;
        this.engine = engine;
        this.dir = dir;
        this.firstKept = firstKept;
        this.switched = switched;
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
        keys = new AofKeyWriter(new AofBuffer(HANDOFF_BYTES + (1 << 16)), startedMillis);
        io.execute(() -> {
            try {
                channel = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                        StandardOpenOption.TRUNCATE_EXISTING);
            } catch (IOException e) {
                fail(e);
            }
        });
        snapshot = KeyspaceSnapshot.start(engine, keys);
        engine.thread().execute(stepTask);
    }

    private void step() {
        boolean more;
        try {
            more = snapshot.step(SLICE_NANOS);
        } catch (RuntimeException e) {
            snapshot.finish();
            fail(new IOException(e));
            more = false;
        }
        if (keys.buffer().length() >= HANDOFF_BYTES || !more) {
            handOff(keys.buffer().toByteArray());
            keys.buffer().clear();
        }
        if (more) {
            engine.thread().execute(stepTask);
        } else {
            io.execute(this::complete);
        }
    }

    private void handOff(byte[] bytes) {
        io.execute(() -> {
            if (failed || channel == null) {
                return;
            }
            try {
                ByteBuffer buffer = ByteBuffer.wrap(bytes);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
            } catch (IOException e) {
                fail(e);
            }
        });
    }

    /** Rewrite thread: sync, rename, manifest, old files gone; then tell the engine. */
    private void complete() {
        boolean ok = false;
        try {
            if (!failed && channel != null) {
                channel.force(true);
                channel.close();
                switched.get(30, TimeUnit.SECONDS);
                if (!abandoned) {
                    aof.installBase(temp, firstKept);
                    ok = true;
                }
            }
        } catch (Exception e) {
            fail(e);
        } finally {
            try {
                if (channel != null && channel.isOpen()) {
                    channel.close();
                }
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
