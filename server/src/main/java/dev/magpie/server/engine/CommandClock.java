package dev.magpie.server.engine;

/**
 * The engine's time while it runs a batch: one clock read per command, like Redis's command time
 * snapshot. The end of one command is the start of the next, and wall-clock milliseconds are
 * derived from the monotonic reading against an anchor taken when the batch began. Outside a
 * batch (cron, timers) every question reads the real clock.
 */
final class CommandClock {
    private long anchorMillis;
    private long anchorNanos;
    private long nanos;
    private int depth;

    /** Entering a batch; nested batches (a resumed session run from inside a command) share the anchor. */
    void enter() {
        if (depth++ == 0) {
            anchorNanos = System.nanoTime();
            anchorMillis = System.currentTimeMillis();
            nanos = anchorNanos;
        }
    }

    void exit() {
        depth--;
    }

    /** The reading the current command started at (the end of the previous one). */
    long nanos() {
        return depth > 0 ? nanos : System.nanoTime();
    }

    /** Reads the clock: the current command ended, the next one starts now. */
    long advance() {
        nanos = System.nanoTime();
        return nanos;
    }

    long millis() {
        return depth > 0 ? anchorMillis + (nanos - anchorNanos) / 1_000_000 : System.currentTimeMillis();
    }
}
