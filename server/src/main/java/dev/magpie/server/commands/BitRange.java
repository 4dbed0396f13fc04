package dev.magpie.server.commands;

/**
 * The byte range BITCOUNT and BITPOS read, from their start and end arguments as Redis converts
 * them: negative indexes count from the end, then are clamped to the string; in BIT mode the bit
 * indexes become byte indexes plus masks of the edge bytes' bits that lie outside the range.
 * One instance per family, reused between calls (engine thread only).
 */
final class BitRange {
    long start;
    long end;
    /** The first byte's bits before the range (BIT mode), 0 when none. */
    int firstMask;
    /** The last byte's bits after the range (BIT mode), 0 when none. */
    int lastMask;

    void resolve(long startArg, long endArg, boolean bit, long length) {
        long total = bit ? length << 3 : length;
        start = clamp(startArg, total);
        end = clamp(endArg, total);
        if (end >= total) {
            end = total - 1;
        }
        firstMask = 0;
        lastMask = 0;
        if (bit && start <= end) {
            firstMask = ~((1 << (8 - (start & 7))) - 1) & 0xFF;
            lastMask = (1 << (7 - (end & 7))) - 1;
            start >>= 3;
            end >>= 3;
        }
    }

    /** Redis's index conversion: negative counts from the end, then floored at 0. */
    private static long clamp(long index, long total) {
        if (index < 0) {
            index += total;
        }
        return Math.max(index, 0);
    }
}
