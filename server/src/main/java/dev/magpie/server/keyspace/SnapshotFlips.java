package dev.magpie.server.keyspace;

/**
 * Which groups of keys read their snapshot bit inverted. A snapshot can then count every key of a
 * segment ({@link ChangedSegments}) as covered at once, by inverting its groups, instead of
 * setting each key's bit: an AOF rewrite copies the segments nothing changed in from the previous
 * base, and a keyspace of a million unchanged keys would otherwise cost the engine a cache miss
 * per key to mark them.
 *
 * <p>A group is fixed by bits {@value #GROUP_SHIFT} to {@value #GROUP_SHIFT} + {@value #GROUP_BITS}
 * of a key's hash, whatever the table's size, so a key keeps its group, and its effective bit,
 * while the table grows or shrinks. A segment of a table of up to {@link #MAX_BUCKETS} buckets
 * (hash bits {@value #GROUP_SHIFT} up to the table's) is the union of whole groups; a larger
 * table's segments are finer than groups and cannot be covered this way.
 */
final class SnapshotFlips {
    static final int GROUP_SHIFT = ChangedSegments.SEGMENT_SHIFT;
    static final int GROUP_BITS = 16;
    static final int MAX_BUCKETS = 1 << (GROUP_SHIFT + GROUP_BITS);
    private static final int GROUPS = 1 << GROUP_BITS;

    /** A bit per group, allocated with the first inversion. */
    private long[] inverted;

    /** Whether keys with hash {@code hash} read their snapshot bit inverted. */
    boolean of(long hash) {
        if (inverted == null) {
            return false;
        }
        int group = (int) (hash >>> GROUP_SHIFT) & (GROUPS - 1);
        return (inverted[group >>> 6] & (1L << group)) != 0;
    }

    /** Whether any group is inverted: otherwise no key's hash need be computed to read its bit. */
    boolean any() {
        return inverted != null;
    }

    /** Inverts every group of {@code segment} of a table of {@code buckets} buckets (at most {@link #MAX_BUCKETS}). */
    void invertSegment(int segment, int buckets) {
        if (buckets > MAX_BUCKETS) {
            throw new IllegalArgumentException("segments of " + buckets + " buckets are finer than groups");
        }
        if (inverted == null) {
            inverted = new long[GROUPS / 64];
        }
        // The segment is hash bits GROUP_SHIFT up to the table's: the low bits of a group number.
        int segmentBits = Integer.numberOfTrailingZeros(ChangedSegments.segments(buckets));
        for (int group = segment, step = 1 << segmentBits; group < GROUPS; group += step) {
            inverted[group >>> 6] ^= 1L << group;
        }
    }
}
