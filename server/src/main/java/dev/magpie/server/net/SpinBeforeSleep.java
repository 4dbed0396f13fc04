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
 * {@code writingInBackground} says a snapshot or rewrite thread is at work: that thread runs in
 * the gaps the loop leaves.
 */
final class SpinBeforeSleep implements SelectStrategy, SelectStrategyFactory {
    private final long spinNanos;
    private final BooleanSupplier writingInBackground;
    /** Whether the last pass followed events that came within a window of the previous pass. */
    private boolean busy;
    /** When the loop last went to sleep, or 0 while it has not since the last check. */
    private long sleptAt;

    SpinBeforeSleep(long spinNanos, BooleanSupplier writingInBackground) {
        this.spinNanos = spinNanos;
        this.writingInBackground = writingInBackground;
    }

    /** One per event loop: the state belongs to that loop's thread. */
    @Override
    public SelectStrategy newSelectStrategy() {
        return new SpinBeforeSleep(spinNanos, writingInBackground);
    }

    @Override
    public int calculateStrategy(IntSupplier selectNow, boolean hasTasks) throws Exception {
        if (hasTasks) {
            return selectNow.get();
        }
        if (spinNanos == 0) {
            return SelectStrategy.SELECT;
        }
        long now = System.nanoTime();
        if (sleptAt != 0) {
            busy = now - sleptAt < spinNanos;
            sleptAt = 0;
        }
        if (busy && !writingInBackground.getAsBoolean()) {
            long deadline = now + spinNanos;
            do {
                int ready = selectNow.get();
                if (ready > 0) {
                    return ready;
                }
                Thread.onSpinWait();
                now = System.nanoTime();
            } while (now < deadline);
        }
        sleptAt = now;
        return SelectStrategy.SELECT;
    }
}
