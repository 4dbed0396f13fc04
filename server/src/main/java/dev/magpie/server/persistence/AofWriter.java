package dev.magpie.server.persistence;

import dev.magpie.server.Log;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The thread that owns the current incremental AOF file. The engine hands it filled buffers
 * ({@link #offer}); it writes them in order, and fsyncs as {@code appendfsync} says: after every
 * round of writes ({@code always}: a group commit: everything handed over while the previous
 * fsync ran goes into the next), once a second ({@code everysec}), or never ({@code no}).
 * Offsets count bytes of the logical stream since the writer started, across file switches.
 */
final class AofWriter implements Runnable {
    enum Policy {
        ALWAYS, EVERYSEC, NO;

        static Policy of(String text) {
            return switch (text) {
                case "always" -> ALWAYS;
                case "no" -> NO;
                default -> EVERYSEC;
            };
        }
    }

    /** A buffer of commands to append. */
    private record Chunk(byte[] bytes, int length) {
    }

    /** Switch to a new incremental file at this point of the stream, then optionally persist a manifest. */
    private record Switch(Path file, AofManifest manifest, CompletableFuture<Void> done) {
    }

    static final int BUFFER_SIZE = 256 * 1024;
    /**
     * How long a tail the appender keeps for its next direct write waits for more before it goes
     * to the file alone: a few commands' worth under load, well inside what a process crash may
     * lose under {@code everysec} or {@code no} (the engine itself hands over every 5 ms).
     */
    private static final long TAIL_WAIT_NANOS = TimeUnit.MILLISECONDS.toNanos(2);
    /**
     * How long appended bytes may gather before they are sent, while more keep coming (under
     * {@code everysec} and {@code no}; {@code always} writes and syncs after every batch). Each
     * direct write is a request to the disk, and on a virtual machine a request costs an exit to
     * the hypervisor: under a stream of SETs, sending after every batch made about 600 writes a
     * second of 165 KB each. Like the tail's wait, it is well inside what a process crash may lose.
     */
    private static final long SEND_WAIT_NANOS = TimeUnit.MILLISECONDS.toNanos(4);

    private final Path dir;
    private final Object lock = new Object();
    private ArrayList<Object> inbox = new ArrayList<>();
    private ArrayList<Object> draining = new ArrayList<>();
    /** Written buffers for the engine to fill again, last written first: the one most likely still in a cache. */
    private final ArrayDeque<byte[]> spares = new ArrayDeque<>();
    private final Runnable onAlwaysSync;
    private volatile Policy policy;
    private volatile boolean parked;
    private volatile boolean stopping;
    private volatile long writtenOffset;
    private volatile long syncedOffset;
    private volatile boolean lastWriteOk = true;
    /** The operating system's words for the last failed write or fsync, while it lasts. */
    private volatile String lastError;
    private volatile long delayedFsyncs;
    /** An {@code everysec} fsync is running on {@link #fsyncer}. */
    private volatile boolean fsyncInFlight;
    /** An fsync on this thread ({@code always}, shutdown) is running. */
    private volatile boolean syncing;
    private final ExecutorService fsyncer = Executors.newSingleThreadExecutor(runnable -> {
        Thread t = new Thread(runnable, "magpie-aof-fsync");
        t.setDaemon(true);
        return t;
    });
    private long lastFsyncNanos = System.nanoTime();
    /** The writer waited {@link #TAIL_WAIT_NANOS} for more after its last write. */
    private boolean waitedForMore;
    private long lastSendNanos;
    private DirectAppender appender;
    private Path currentFile;
    private final Thread thread;

    /**
     * @param file         the incremental file to append to (created if absent), or null until a {@link #switchTo}
     * @param onAlwaysSync run (on this thread) after each fsync under {@code always}, to release held replies
     */
    AofWriter(Path dir, Path file, Policy policy, Runnable onAlwaysSync) throws IOException {
        this.dir = dir;
        this.policy = policy;
        this.onAlwaysSync = onAlwaysSync;
        if (file != null) {
            open(file);
        }
        this.thread = new Thread(this, "magpie-aof-writer");
        thread.setDaemon(true);
        thread.start();
    }

    void policy(Policy policy) {
        this.policy = policy;
        wake();
    }

    Policy policy() {
        return policy;
    }

    long syncedOffset() {
        return syncedOffset;
    }

    /**
     * Whether this thread or its fsync has work now or queued: bytes handed over up to
     * {@code handedOver} (the offer's running total) and not yet written, or an fsync running.
     * What an fsync flushes is written back by the kernel's threads meanwhile.
     */
    boolean atWork(long handedOver) {
        return handedOver > writtenOffset || fsyncInFlight || syncing;
    }

    long writtenOffset() {
        return writtenOffset;
    }

    /** Null while writes succeed; else why the last one failed (e.g. "No space left on device"). */
    String lastError() {
        return lastWriteOk ? null : lastError;
    }

    boolean lastWriteOk() {
        return lastWriteOk;
    }

    long delayedFsyncs() {
        return delayedFsyncs;
    }

    Path currentFile() {
        return currentFile;
    }

    /** Hands over {@code length} bytes of {@code bytes} (engine thread); returns an empty buffer to fill next. */
    byte[] offer(byte[] bytes, int length) {
        byte[] next;
        synchronized (lock) {
            inbox.add(new Chunk(bytes, length));
            next = spares.poll();
        }
        wake();
        return next != null ? next : new byte[BUFFER_SIZE];
    }

    /** Everything offered after this call goes to {@code file}; the returned future completes once it is open. */
    CompletableFuture<Void> switchTo(Path file, AofManifest manifestToPersist) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        synchronized (lock) {
            inbox.add(new Switch(file, manifestToPersist, done));
        }
        wake();
        return done;
    }

    private void wake() {
        if (parked) {
            LockSupport.unpark(thread);
        }
    }

    /** Writes and fsyncs everything offered so far, then stops the thread (shutdown). */
    void close() {
        stopping = true;
        LockSupport.unpark(thread);
        try {
            thread.join(TimeUnit.SECONDS.toMillis(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void run() {
        while (true) {
            List<Object> items;
            synchronized (lock) {
                items = inbox;
                inbox = draining;
                draining = (ArrayList<Object>) items;
            }
            if (items.isEmpty()) {
                if (stopping) {
                    sync();
                    closeChannel();
                    fsyncer.shutdown();
                    return;
                }
                if (appender != null && appender.pending() > 0 && !waitedForMore) {
                    waitedForMore = true;
                    idle(TAIL_WAIT_NANOS);
                    continue;
                }
                flushTail();
                waitedForMore = false;
                if (policy == Policy.EVERYSEC && writtenOffset > syncedOffset && secondPassed()) {
                    syncInBackground();
                }
                idle(TimeUnit.SECONDS.toNanos(1));
                continue;
            }
            waitedForMore = false;
            writeAll(items);
            items.clear();
            Policy now = policy;
            if (now == Policy.ALWAYS) {
                sync();
            } else {
                if (System.nanoTime() - lastSendNanos >= SEND_WAIT_NANOS) {
                    send();
                }
                if (now == Policy.EVERYSEC && secondPassed()) {
                    syncInBackground();
                }
            }
            if (now == Policy.ALWAYS) {
                onAlwaysSync.run();
            }
        }
    }

    private boolean secondPassed() {
        return System.nanoTime() - lastFsyncNanos >= TimeUnit.SECONDS.toNanos(1);
    }

    private void idle(long atMostNanos) {
        parked = true;
        try {
            synchronized (lock) {
                if (!inbox.isEmpty()) {
                    return;
                }
            }
            if (!stopping) {
                long waitNanos = policy == Policy.EVERYSEC && writtenOffset > syncedOffset
                        ? Math.max(1, TimeUnit.SECONDS.toNanos(1) - (System.nanoTime() - lastFsyncNanos))
                        : TimeUnit.SECONDS.toNanos(1);
                LockSupport.parkNanos(this, Math.min(waitNanos, atMostNanos));
            }
        } finally {
            parked = false;
        }
    }

    private void writeAll(List<Object> items) {
        for (Object item : items) {
            if (item instanceof Chunk chunk) {
                write(chunk);
                synchronized (lock) {
                    if (chunk.bytes().length == BUFFER_SIZE && spares.size() < 8) {
                        spares.push(chunk.bytes());
                    }
                }
            } else if (item instanceof Switch change) {
                switchFile(change);
            }
        }
    }

    /** Writes one chunk, retrying a failing disk once a second: the data stays in order, never skipped. */
    private void write(Chunk chunk) {
        int done = 0;
        while (true) {
            try {
                if (appender == null) {
                    throw new IOException("no AOF file is open");
                }
                appender.append(chunk.bytes(), done, chunk.length() - done);
                writeSucceeded();
                break;
            } catch (IOException e) {
                done += appender == null ? 0 : appender.taken();
                writeFailed(e);
            }
        }
        writtenOffset += chunk.length();
    }

    /**
     * Puts into the file what the appender keeps for its next direct write (a tail under one
     * block), once nothing more came for {@link #TAIL_WAIT_NANOS}, before an fsync and before a
     * switch: so the stream reaches the kernel as soon as the writer has nothing else to do.
     */
    private void flushTail() {
        untilWritten(DirectAppender::flushTail);
        lastSendNanos = System.nanoTime();
    }

    /** Sends what the chunks just written left in the appender's buffer, in as few writes as it can. */
    private void send() {
        untilWritten(DirectAppender::send);
        lastSendNanos = System.nanoTime();
    }

    /** A write step on the open file, if any. */
    private interface FileStep {
        void run(DirectAppender appender) throws IOException;
    }

    /** Runs {@code step} until it succeeds, retrying a failing disk once a second, as {@link #write} does. */
    private void untilWritten(FileStep step) {
        while (true) {
            try {
                if (appender != null) {
                    step.run(appender);
                }
                writeSucceeded();
                return;
            } catch (IOException e) {
                writeFailed(e);
            }
        }
    }

    private void writeSucceeded() {
        if (!lastWriteOk) {
            Log.notice("AOF write error looks solved, Magpie can write again.");
        }
        lastWriteOk = true;
    }

    private void writeFailed(IOException e) {
        if (lastWriteOk) {
            Log.warning("Error writing to the AOF file: " + e.getMessage());
        }
        lastError = String.valueOf(e.getMessage());
        lastWriteOk = false;
        LockSupport.parkNanos(TimeUnit.SECONDS.toNanos(1));
    }

    private void sync() {
        if (appender == null) {
            syncedOffset = writtenOffset;
            return;
        }
        flushTail();
        long upTo = writtenOffset;
        syncing = true;
        try {
            appender.force(false);
            syncedOffset = upTo;
        } catch (IOException e) {
            lastError = String.valueOf(e.getMessage());
            lastWriteOk = false;
            delayedFsyncs++;
            Log.warning("Can't fsync the AOF file: " + e.getMessage());
        } finally {
            syncing = false;
        }
        lastFsyncNanos = System.nanoTime();
    }

    /**
     * {@code everysec}: the fsync runs on another thread, as Redis's does, so writes (which alone
     * make data survive a process crash) never wait behind it. At most one is in flight.
     */
    private void syncInBackground() {
        if (fsyncInFlight) {
            return;
        }
        flushTail();
        fsyncInFlight = true;
        lastFsyncNanos = System.nanoTime();
        DirectAppender target = appender;
        long upTo = writtenOffset;
        fsyncer.execute(() -> {
            try {
                if (target != null) {
                    target.force(false);
                }
                syncedOffset = Math.max(syncedOffset, upTo);
            } catch (java.nio.channels.ClosedChannelException switched) {
                // the file was switched or closed, which synced it
            } catch (IOException e) {
                delayedFsyncs++;
                Log.warning("Can't fsync the AOF file in the background: " + e.getMessage());
            } finally {
                fsyncInFlight = false;
            }
        });
    }

    private void switchFile(Switch change) {
        try {
            sync();
            closeChannel();
            open(change.file());
            AofManifest.syncDirectory(dir);
            if (change.manifest() != null) {
                change.manifest().persist(dir);
            }
            change.done().complete(null);
        } catch (IOException | RuntimeException e) {
            lastError = String.valueOf(e.getMessage());
            lastWriteOk = false;
            Log.warning("Can't open the append-only file " + change.file() + ": " + e.getMessage());
            change.done().completeExceptionally(e);
        }
    }

    private void open(Path file) throws IOException {
        appender = DirectAppender.open(file);
        currentFile = file;
    }

    private void closeChannel() {
        if (appender != null) {
            flushTail();
            try {
                appender.close();
            } catch (IOException e) {
                Log.warning("Error closing the AOF file: " + e.getMessage());
            }
            appender = null;
        }
    }
}
