package dev.magpie.server.net;

import io.netty.channel.SelectStrategy;
import io.netty.channel.SelectStrategyFactory;
import io.netty.util.IntSupplier;

import java.util.function.BooleanSupplier;

/**
 * An event loop's choice between polling and sleeping ({@code io-poll-micros}). While clients
 * keep the loop busy, it keeps polling for up to {@code spinNanos} after each pass before it
 * blocks: a client that sends its next request within that window finds the loop awake, so
 * neither side pays for a sleep and a wake-up on the other core. The loop polls again only if
 * what woke it from its last sleep came within one window, so a server that is idle, or that
 * gets a request only now and then, sleeps as before. Nor does it poll while
 * {@code writingInBackground} says a thread of persistence is at work (a snapshot's or rewrite's,
 * or the AOF writer with bytes to write or an fsync running): on a machine whose cores the loop
 * and the clients fill, that thread runs in the gaps the loop leaves instead of taking a client's
 * core.
 *
 * <p>A task another thread queues while the loop polls does not wake it (Netty signals only a
 * sleeping loop), so polling also ends as soon as {@link #watchTasks} says one waits: an
 * {@code appendfsync always} writer releasing replies is not kept waiting for the window's end.
 */
final class SpinBeforeSleep implements SelectStrategyFactory {
    private final long spinNanos;
    private final BooleanSupplier writingInBackground;
    private volatile BooleanSupplier tasksWaiting = () -> false;

    SpinBeforeSleep(long spinNanos, BooleanSupplier writingInBackground) {
        this.spinNanos = spinNanos;
        this.writingInBackground = writingInBackground;
    }

    /** Where the polling loop learns of tasks queued by other threads (the loop exists only after this factory). */
    void watchTasks(BooleanSupplier tasksWaiting) {
        this.tasksWaiting = tasksWaiting;
    }

    /** One per event loop: the state belongs to that loop's thread. */
    @Override
    public SelectStrategy newSelectStrategy() {
        return new LoopStrategy();
    }

    private final class LoopStrategy implements SelectStrategy {
        /** Whether the last pass followed events that came within a window of the previous pass. */
        private boolean busy;
        /** Whether the loop went to sleep after the last pass, and when. */
        private boolean slept;
        private long sleptAt;

        @Override
        public int calculateStrategy(IntSupplier selectNow, boolean hasTasks) throws Exception {
            if (hasTasks) {
                return selectNow.get();
            }
            if (spinNanos == 0) {
                return SelectStrategy.SELECT;
            }
            long now = System.nanoTime();
            if (slept) {
                busy = now - sleptAt < spinNanos;
                slept = false;
            }
            if (busy && !writingInBackground.getAsBoolean()) {
                BooleanSupplier tasks = tasksWaiting;
                long deadline = now + spinNanos;
                do {
                    int ready = selectNow.get();
                    if (ready > 0 || tasks.getAsBoolean()) {
                        return ready;
                    }
                    Thread.onSpinWait();
                    now = System.nanoTime();
                } while (now < deadline);
            }
            slept = true;
            sleptAt = now;
            return SelectStrategy.SELECT;
        }
    }
}
