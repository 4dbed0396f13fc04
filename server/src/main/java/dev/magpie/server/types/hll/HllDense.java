package dev.magpie.server.types.hll;

import dev.magpie.server.keyspace.OffHeap;

/**
 * The dense encoding: 16384 registers of 6 bits packed from the least significant bit of each
 * byte upwards, over a byte array (from {@code base}) or straight over native memory, so PFADD
 * on a dense value updates the entry in place.
 */
public final class HllDense {
    private static final int LAST_BYTE = Hll.DENSE_REGISTER_BYTES - 1;

    private HllDense() {
    }

    public static int get(byte[] r, int base, int index) {
        int bit = index * 6;
        int at = bit >>> 3;
        int shift = bit & 7;
        int b0 = r[base + at] & 0xFF;
        int b1 = at < LAST_BYTE ? r[base + at + 1] & 0xFF : 0;
        return ((b0 >>> shift) | (b1 << (8 - shift))) & Hll.REGISTER_MAX;
    }

    public static void set(byte[] r, int base, int index, int value) {
        int bit = index * 6;
        int at = bit >>> 3;
        int shift = bit & 7;
        r[base + at] = (byte) ((r[base + at] & ~(Hll.REGISTER_MAX << shift)) | (value << shift));
        if (at < LAST_BYTE) {
            int high = 8 - shift;
            r[base + at + 1] = (byte) ((r[base + at + 1] & ~(Hll.REGISTER_MAX >>> high)) | (value >>> high));
        }
    }

    public static int get(long registers, int index) {
        int bit = index * 6;
        int at = bit >>> 3;
        int shift = bit & 7;
        int b0 = OffHeap.getByte(registers + at) & 0xFF;
        int b1 = at < LAST_BYTE ? OffHeap.getByte(registers + at + 1) & 0xFF : 0;
        return ((b0 >>> shift) | (b1 << (8 - shift))) & Hll.REGISTER_MAX;
    }

    public static void set(long registers, int index, int value) {
        int bit = index * 6;
        int at = bit >>> 3;
        int shift = bit & 7;
        long p = registers + at;
        OffHeap.putByte(p, (byte) ((OffHeap.getByte(p) & ~(Hll.REGISTER_MAX << shift)) | (value << shift)));
        if (at < LAST_BYTE) {
            int high = 8 - shift;
            OffHeap.putByte(p + 1, (byte) ((OffHeap.getByte(p + 1) & ~(Hll.REGISTER_MAX >>> high)) | (value >>> high)));
        }
    }

    /** Raises a register to {@code count} when it is lower; true when it changed (the estimate may have). */
    public static boolean raise(long registers, int index, int count) {
        if (count > get(registers, index)) {
            set(registers, index, count);
            return true;
        }
        return false;
    }

    public static boolean raise(byte[] r, int base, int index, int count) {
        if (count > get(r, base, index)) {
            set(r, base, index, count);
            return true;
        }
        return false;
    }

    /** Adds each register's value to the histogram of values. */
    public static void histogram(byte[] r, int base, int[] histogram) {
        int p = base;
        for (int group = 0; group < Hll.REGISTERS / 4; group++) {
            // Four registers fill exactly three bytes.
            int b0 = r[p] & 0xFF;
            int b1 = r[p + 1] & 0xFF;
            int b2 = r[p + 2] & 0xFF;
            histogram[b0 & 63]++;
            histogram[((b0 >>> 6) | (b1 << 2)) & 63]++;
            histogram[((b1 >>> 4) | (b2 << 4)) & 63]++;
            histogram[b2 >>> 2]++;
            p += 3;
        }
    }

    /** Raises {@code max[i]} to each register's value (PFCOUNT of several keys, PFMERGE). */
    public static void maxInto(byte[] r, int base, byte[] max) {
        for (int i = 0; i < Hll.REGISTERS; i++) {
            int value = get(r, base, i);
            if (value > (max[i] & 0xFF)) {
                max[i] = (byte) value;
            }
        }
    }
}
