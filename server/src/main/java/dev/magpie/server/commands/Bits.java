package dev.magpie.server.commands;

import dev.magpie.server.keyspace.OffHeap;

/**
 * Bit arithmetic over string bytes in native memory, numbering bits as Redis does: bit 0 is the
 * most significant bit of the first byte. Reads past {@code length} see zero bits.
 */
final class Bits {
    private Bits() {
    }

    /** Number of set bits in {@code count} bytes from {@code address}. */
    static long popcount(long address, long count) {
        long bits = 0;
        long i = 0;
        for (; i + 8 <= count; i += 8) {
            bits += Long.bitCount(OffHeap.getLong(address + i));
        }
        for (; i < count; i++) {
            bits += Integer.bitCount(OffHeap.getByte(address + i) & 0xFF);
        }
        return bits;
    }

    /**
     * Position of the first bit equal to {@code bit} in {@code count} bytes. Looking for a 1 that
     * is not there gives -1; looking for a 0 that is not there gives {@code count * 8}, the first
     * bit of the zero padding Redis imagines to the right.
     */
    static long firstBit(long address, long count, int bit) {
        long skip = bit == 1 ? 0 : -1L;
        long i = 0;
        for (; i + 8 <= count; i += 8) {
            if (OffHeap.getLong(address + i) != skip) {
                break;
            }
        }
        int skipByte = bit == 1 ? 0 : 0xFF;
        for (; i < count; i++) {
            int value = OffHeap.getByte(address + i) & 0xFF;
            if (value != skipByte) {
                int inByte = bit == 1 ? Integer.numberOfLeadingZeros(value) - 24
                        : Integer.numberOfLeadingZeros(~value & 0xFF) - 24;
                return i * 8 + inByte;
            }
        }
        return bit == 1 ? -1 : count * 8;
    }

    /** {@link #firstBit} over a single byte value. */
    static long firstBit(int value, int bit) {
        value &= 0xFF;
        if (bit == 1) {
            return value == 0 ? -1 : Integer.numberOfLeadingZeros(value) - 24;
        }
        return value == 0xFF ? 8 : Integer.numberOfLeadingZeros(~value & 0xFF) - 24;
    }

    static int bitAt(long address, long length, long offset) {
        long at = offset >>> 3;
        if (at >= length) {
            return 0;
        }
        return (OffHeap.getByte(address + at) >>> (7 - (offset & 7))) & 1;
    }

    /** Reads an unsigned integer of {@code bits} bits (at most 64) starting at bit {@code offset}. */
    static long getUnsigned(long address, long length, long offset, int bits) {
        long value = 0;
        for (int j = 0; j < bits; j++) {
            value = value << 1 | bitAt(address, length, offset + j);
        }
        return value;
    }

    /** Reads a two's complement integer of {@code bits} bits, extending its sign. */
    static long getSigned(long address, long length, long offset, int bits) {
        long value = getUnsigned(address, length, offset, bits);
        if (bits < 64 && (value & (1L << (bits - 1))) != 0) {
            value |= -1L << bits;
        }
        return value;
    }

    /** Writes the low {@code bits} bits of {@code value}; the string must already reach that far. */
    static void setUnsigned(long address, long offset, int bits, long value) {
        for (int j = 0; j < bits; j++) {
            int bit = (int) ((value >>> (bits - 1 - j)) & 1);
            long at = address + ((offset + j) >>> 3);
            int shift = 7 - (int) ((offset + j) & 7);
            int current = OffHeap.getByte(at) & 0xFF;
            OffHeap.putByte(at, (byte) ((current & ~(1 << shift)) | bit << shift));
        }
    }
}
