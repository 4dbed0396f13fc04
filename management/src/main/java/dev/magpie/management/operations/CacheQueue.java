package dev.magpie.management.operations;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * The work waiting for one cache, run strictly one piece at a time in arrival order. Confined to the
 * operations thread, so it needs no locks.
 */
final class CacheQueue {

    private final Deque<Supplier<CompletableFuture<?>>> waiting = new ArrayDeque<>();
    private boolean busy;

    boolean isFull(int limit) {
        return waiting.size() >= limit;
    }

    void add(Supplier<CompletableFuture<?>> work) {
        waiting.add(work);
    }

    /** Starts the next piece of work unless one is running; its end (however it ends) starts the one after. */
    void pump(Executor operationsThread) {
        if (busy || waiting.isEmpty()) {
            return;
        }
        busy = true;
        CompletableFuture<?> running;
        try {
            running = waiting.poll().get();
        } catch (RuntimeException e) {
            running = CompletableFuture.failedFuture(e);
        }
        running.whenCompleteAsync((ignored, error) -> {
            busy = false;
            pump(operationsThread);
        }, operationsThread);
    }
}
