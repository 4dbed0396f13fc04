package dev.magpie.server.engine;

import dev.magpie.server.keyspace.Keyspace;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Frees detached memory on a background thread, as Redis's lazyfree does, so FLUSHALL ASYNC
 * and UNLINK of large values never stall the engine. Only memory no longer reachable from any
 * keyspace is handed over, so this thread never touches live data.
 */
public final class LazyFree implements AutoCloseable {
    private final ExecutorService thread = Executors.newSingleThreadExecutor(runnable -> {
        Thread t = new Thread(runnable, "magpie-lazyfree");
        t.setDaemon(true);
        return t;
    });
    private final AtomicLong pending = new AtomicLong();
    private final AtomicLong freed = new AtomicLong();

    public void freeTables(long[][] tables, long entries) {
        pending.addAndGet(entries);
        thread.execute(() -> {
            long count = Keyspace.freeDetached(tables);
            pending.addAndGet(-entries);
            freed.addAndGet(count);
        });
    }

    public void free(Runnable release, long objects) {
        pending.addAndGet(objects);
        thread.execute(() -> {
            release.run();
            pending.addAndGet(-objects);
            freed.addAndGet(objects);
        });
    }

    public long pendingObjects() {
        return pending.get();
    }

    public long freedObjects() {
        return freed.get();
    }

    /** Waits until everything handed over so far is freed (tests, shutdown). */
    public void drain() {
        try {
            thread.submit(() -> { }).get();
        } catch (Exception e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        thread.shutdown();
    }
}
