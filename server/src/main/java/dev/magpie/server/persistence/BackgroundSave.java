package dev.magpie.server.persistence;

import dev.magpie.server.engine.Engine;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.function.Consumer;

/**
 * One BGSAVE: a {@link KeyspaceSnapshot} walked in short slices on the engine thread, serialized
 * into chunks that a writer thread of its own appends to the temporary file, then commits.
 * String keys are copied and large lists frozen rather than serialized by the engine; the writer
 * serializes them in their place ({@link DeferredKeys}). The walk pauses while the writer is
 * behind, so chunks never pile up. {@code onDone} runs on the engine thread once the file is
 * committed or given up (not after {@link #abandon}).
 */
final class BackgroundSave {
    /** Bytes gathered before a chunk goes to the writer thread. */
    private static final int CHUNK_BYTES = 64 * 1024;
    /** Chunks the writer may lag behind before the walk pauses. */
    private static final int WRITER_QUEUE = 64;
    /**
     * Engine time per walk slice. Short, and paced by the snapshot while clients are served: a
     * request that arrives during a slice waits for it, so its length bounds the added latency.
     */
    private static final long SLICE_NANOS = 200_000;
    private static final byte[] END = new byte[0];

    private final Engine engine;
    private final RdbFile file;
    private final Consumer<BackgroundSave> onDone;
    /** Chunks of bytes ({@code byte[]}) and keys the writer serializes itself ({@link DeferredKeys}), in file order. */
    private final BlockingQueue<Object> queue = new ArrayBlockingQueue<>(WRITER_QUEUE);
    private final ArrayDeque<Object> pending = new ArrayDeque<>();
    private final boolean compress;
    private final CountDownLatch finished = new CountDownLatch(1);
    private final RdbOutput out;
    private final RdbSerializer serializer;
    private final long dirtyAtStart;
    private final long startedMillis = System.currentTimeMillis();
    private final KeyspaceSnapshot snapshot;
    private boolean discard;
    private volatile boolean aborted;
    private boolean footerWritten;
    private volatile boolean endSent;
    private volatile Exception failure;

    /** Takes the snapshot now and starts writing it to {@code file}. Engine thread. */
    BackgroundSave(Engine engine, RdbFile file, Consumer<BackgroundSave> onDone) {
        this.engine = engine;
        this.file = file;
        this.onDone = onDone;
        this.compress = engine.settings().bool("rdbcompression");
        this.out = new RdbOutput(CHUNK_BYTES * 2, compress).adaptiveCompression();
        this.serializer = new RdbSerializer(engine, out);
        serializer.defer(keys -> {
            if (out.size() > 0) {
                pending.add(out.take());
            }
            pending.add(keys);
        });
        serializer.header(engine, false);
        this.dirtyAtStart = engine.dirty();
        this.snapshot = KeyspaceSnapshot.start(engine, (db, keyspace, entry) -> {
            if (!discard) {
                serializer.entry(db, keyspace, entry);
                if (out.size() >= CHUNK_BYTES) {
                    pending.add(out.take());
                }
            }
        });
        Thread writer = new Thread(this::writeLoop, "magpie-rdb-writer");
        writer.setDaemon(true);
        writer.start();
        engine.thread().schedule(this::step, 0);
    }

    long dirtyAtStart() {
        return dirtyAtStart;
    }

    long startedMillis() {
        return startedMillis;
    }

    /** Keys written so far. */
    long visited() {
        return snapshot.visited();
    }

    /** Why the save failed, or null. */
    Exception failure() {
        return failure;
    }

    /** One slice of the walk, rescheduled until the file is handed over in full. */
    private void step() {
        if (endSent || aborted) {
            return;
        }
        if (failure != null) {
            discard = true;
            clearPending();
        }
        offerPending();
        if (!snapshot.done() && (pending.isEmpty() || discard)) {
            snapshot.step(discard ? Long.MAX_VALUE / 4 : SLICE_NANOS);
        }
        if (snapshot.done() && !footerWritten) {
            footerWritten = true;
            serializer.footer();
            pending.add(out.take());
        }
        offerPending();
        if (footerWritten && pending.isEmpty() && queue.offer(END)) {
            endSent = true;
            return;
        }
        // Behind the writer: come back shortly instead of piling chunks up.
        engine.thread().schedule(this::step, pending.isEmpty() ? snapshot.pauseBeforeNextSliceMillis() : 1);
    }

    private void offerPending() {
        while (!pending.isEmpty() && queue.offer(pending.peek())) {
            pending.poll();
        }
    }

    /** Completes the walk and the file now, waiting for the writer (before a shutdown save). Engine thread. */
    void finishNow() {
        snapshot.finish();
        while (!endSent && !aborted) {
            step();
            Thread.onSpinWait();
        }
        try {
            finished.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Makes sure the walk has ended (it may not have, after a write error); engine thread. */
    void endWalk() {
        if (!snapshot.done()) {
            discard = true;
            snapshot.finish();
        }
    }

    /**
     * Stops without writing the file. The walk stops where it is, so this is only for right
     * before every keyspace is emptied (FLUSHALL); {@code onDone} is not called.
     */
    void abandon() {
        aborted = true;
        discard = true;
        clearPending();
        serializer.discardCopied();
        snapshot.abandon();
        // A full queue means the writer is busy: it sees the flag after its current chunk.
        queue.offer(END);
    }

    private void clearPending() {
        for (Object item : pending) {
            release(item);
        }
        pending.clear();
    }

    private static void release(Object item) {
        if (item instanceof DeferredKeys keys) {
            keys.release();
        }
    }

    /** The writer thread: all disk I/O of a background save happens here, and the encoding of deferred keys. */
    private void writeLoop() {
        BackgroundPriority.lowerCurrentThread();
        DeferredEncoder encoder = new DeferredEncoder(compress, (data, length) -> file.write(data, 0, length));
        try {
            while (true) {
                Object item = queue.take();
                if (aborted) {
                    release(item);
                    break;
                }
                if (item == END) {
                    file.commit();
                    break;
                }
                if (item instanceof DeferredKeys keys) {
                    keys.writeTo(encoder);
                } else {
                    byte[] chunk = (byte[]) item;
                    file.write(chunk, 0, chunk.length);
                }
            }
        } catch (IOException | InterruptedException | RuntimeException e) {
            // An encoding bug fails the save like a disk error: the file is never renamed into place.
            failure = e instanceof IOException ? e
                    : e instanceof InterruptedException ? new IOException("interrupted") : new IOException(e.toString(), e);
            // Drain so the engine never waits on a full queue; it discards further output.
            while (true) {
                Object item = queue.poll();
                if (item == END) {
                    break;
                }
                if (item == null) {
                    if (endSent || aborted) {
                        break;
                    }
                    Thread.onSpinWait();
                }
                release(item);
            }
        } finally {
            for (Object left; (left = queue.poll()) != null; ) {
                release(left);
            }
            file.close();
            finished.countDown();
            if (!aborted) {
                engine.thread().execute(() -> onDone.accept(this));
            }
        }
    }
}
