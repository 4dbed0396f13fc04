package dev.magpie.server.keyspace;

import java.util.function.BooleanSupplier;

/**
 * Which segments of a keyspace's index (runs of {@link #SEGMENT_BUCKETS} buckets of the table as
 * it was when tracking began) had a key added, changed or removed since then. An AOF rewrite
 * starts tracking with the keyspace it walks; the next rewrite copies the bytes of the segments
 * nothing touched from the base the first one wrote instead of walking and encoding them again.
 *
 * <p>A lookup by a fast read-only command changes nothing (only access times, which a base
 * records as hints and only under an LRU or LFU policy, where nothing is reused). Whatever the
 * index cannot follow key by key (a resize, a flush, a swap) changes everything. Engine thread only.
 */
public final class ChangedSegments {
    public static final int SEGMENT_SHIFT = 12;
    public static final int SEGMENT_BUCKETS = 1 << SEGMENT_SHIFT;

    private final int buckets;
    private final long[] changed;
    private final BooleanSupplier onlyReading;
    private boolean everything;

    /** Tracking from now on for a table of {@code buckets} buckets; lookups count as changes unless {@code onlyReading}. */
    public ChangedSegments(int buckets, BooleanSupplier onlyReading) {
        this.buckets = buckets;
        this.changed = new long[(segments(buckets) + 63) >>> 6];
        this.onlyReading = onlyReading;
    }

    /** How many segments a table of {@code buckets} buckets has. */
    public static int segments(int buckets) {
        return Math.max(1, buckets >>> SEGMENT_SHIFT);
    }

    /** The segment of a key with hash {@code hash} in a table of {@code buckets} buckets. */
    public static int segmentOf(long hash, int buckets) {
        return (int) ((hash & (buckets - 1)) >>> SEGMENT_SHIFT);
    }

    public int buckets() {
        return buckets;
    }

    /** Whether anything in {@code segment} may have changed since tracking began. */
    public boolean changed(int segment) {
        return everything || (changed[segment >>> 6] & (1L << segment)) != 0;
    }

    /** Whether every segment counts as changed (the index was resized, flushed or swapped). */
    public boolean everything() {
        return everything;
    }

    void keyChanged(long hash) {
        int segment = segmentOf(hash, buckets);
        changed[segment >>> 6] |= 1L << segment;
    }

    /** A lookup found a key: a change unless a fast read-only command looked. */
    void keyFound(long hash) {
        if (!onlyReading.getAsBoolean()) {
            keyChanged(hash);
        }
    }

    void everythingChanged() {
        everything = true;
    }
}
