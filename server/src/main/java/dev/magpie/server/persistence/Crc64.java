package dev.magpie.server.persistence;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Redis's CRC-64 (the "Jones" polynomial 0xad93d23594c935a9, reflected, initial value 0, no final
 * xor), which checks RDB files and DUMP payloads. Sixteen bytes per step through sixteen tables: one
 * table lookup per byte would make the checksum the slowest part of a save.
 *
 * <p>A step waits for the one before it (its lookups need the running value), so a long buffer is
 * checksummed as two halves side by side, whose steps overlap in the processor, and the halves are
 * joined: with no initial or final xor the CRC is linear, so the CRC of {@code A || B} is that of
 * {@code A} multiplied by {@code x^(8|B|)} modulo the polynomial, xored with that of {@code B} alone.
 */
public final class Crc64 {
    private static final long POLY = Long.reverse(0xad93d23594c935a9L);
    /** Slicing-by-16: table t (t = 0..15) at [256 t, 256 t + 256), one flat array of constant length. */
    private static final long[] TABLE = new long[16 * 256];
    /** Eight bytes in one load: assembling them byte by byte cost more than the table lookups. */
    private static final VarHandle WORDS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    /**
     * Below this the join costs about what the overlap saves: one multiplication modulo the
     * polynomial, plus up to one per bit of the length to build its factor when the length is new.
     */
    static final int TWO_LANES_MIN = 4096;
    /** {@code x^(2^k)} modulo the polynomial, reflected, for k = 0..63: the squarings that build any power. */
    private static final long[] X_POW_2K = new long[64];
    /** The last join's factor: the writers hand over pieces of one size, so it is nearly always the same. */
    private static Factor lastFactor = new Factor(-1, 0);

    /** {@code x^(8 bytes)} modulo the polynomial, for one byte count. Immutable, so shared safely. */
    private record Factor(long bytes, long power) {
    }

    static {
        for (int i = 0; i < 256; i++) {
            long crc = i;
            for (int bit = 0; bit < 8; bit++) {
                crc = (crc & 1) != 0 ? (crc >>> 1) ^ POLY : crc >>> 1;
            }
            TABLE[i] = crc;
        }
        for (int i = 0; i < 256; i++) {
            long crc = TABLE[i];
            for (int t = 1; t < 16; t++) {
                crc = TABLE[(int) (crc & 0xFF)] ^ (crc >>> 8);
                TABLE[t * 256 + i] = crc;
            }
        }
        X_POW_2K[0] = 1L << 62; // x^1: reflected, bit 63 is x^0
        for (int k = 1; k < 64; k++) {
            X_POW_2K[k] = multiply(X_POW_2K[k - 1], X_POW_2K[k - 1]);
        }
    }

    private Crc64() {
    }

    /** Continues {@code crc} over {@code data[offset, offset+length)}. */
    public static long update(long crc, byte[] data, int offset, int length) {
        if (length < TWO_LANES_MIN) {
            return updateOneLane(crc, data, offset, length);
        }
        int first = (length >>> 1) & ~15;
        int second = length - first;
        long[] t = TABLE;
        long a = crc;
        long b = 0;
        int i = offset;
        int j = offset + first;
        for (int end = j; i < end; i += 16, j += 16) {
            long lowA = a ^ (long) WORDS.get(data, i);
            long highA = (long) WORDS.get(data, i + 8);
            long lowB = b ^ (long) WORDS.get(data, j);
            long highB = (long) WORDS.get(data, j + 8);
            a = step16(t, lowA, highA);
            b = step16(t, lowB, highB);
        }
        b = updateOneLane(b, data, j, offset + length - j);
        return multiply(a, power(second)) ^ b;
    }

    /**
     * The CRC of two byte sequences one after the other, from the CRC of each and the length of
     * the second (the CRC has no initial or final xor, so it is linear).
     */
    static long combine(long first, long second, long secondLength) {
        return secondLength == 0 ? first : multiply(first, power(secondLength)) ^ second;
    }

    private static long step16(long[] t, long low, long high) {
        return t[0xF00 | (int) (low & 0xFF)] ^ t[0xE00 | (int) ((low >>> 8) & 0xFF)]
                ^ t[0xD00 | (int) ((low >>> 16) & 0xFF)] ^ t[0xC00 | (int) ((low >>> 24) & 0xFF)]
                ^ t[0xB00 | (int) ((low >>> 32) & 0xFF)] ^ t[0xA00 | (int) ((low >>> 40) & 0xFF)]
                ^ t[0x900 | (int) ((low >>> 48) & 0xFF)] ^ t[0x800 | (int) (low >>> 56)]
                ^ t[0x700 | (int) (high & 0xFF)] ^ t[0x600 | (int) ((high >>> 8) & 0xFF)]
                ^ t[0x500 | (int) ((high >>> 16) & 0xFF)] ^ t[0x400 | (int) ((high >>> 24) & 0xFF)]
                ^ t[0x300 | (int) ((high >>> 32) & 0xFF)] ^ t[0x200 | (int) ((high >>> 40) & 0xFF)]
                ^ t[0x100 | (int) ((high >>> 48) & 0xFF)] ^ t[(int) (high >>> 56)];
    }

    /** {@code x^(8 bytes)} modulo the polynomial: the factor that moves a CRC past {@code bytes} bytes. */
    private static long power(long bytes) {
        Factor last = lastFactor;
        if (last.bytes == bytes) {
            return last.power;
        }
        long power = 1L << 63; // x^0
        long exponent = bytes << 3;
        for (int k = 0; exponent != 0; k++, exponent >>>= 1) {
            if ((exponent & 1) != 0) {
                power = multiply(power, X_POW_2K[k]);
            }
        }
        lastFactor = new Factor(bytes, power);
        return power;
    }

    /** {@code a * b} modulo the polynomial, both reflected (bit 63 holds x^0). */
    static long multiply(long a, long b) {
        long product = 0;
        for (long bit = 1L << 63; a != 0; bit >>>= 1) {
            if ((a & bit) != 0) {
                product ^= b;
                a ^= bit;
            }
            b = (b & 1) != 0 ? (b >>> 1) ^ POLY : b >>> 1;
        }
        return product;
    }

    private static long updateOneLane(long crc, byte[] data, int offset, int length) {
        long[] t = TABLE;
        int i = offset;
        int end = offset + length;
        while (end - i >= 16) {
            crc = step16(t, crc ^ (long) WORDS.get(data, i), (long) WORDS.get(data, i + 8));
            i += 16;
        }
        while (end - i >= 8) {
            long word = crc ^ (long) WORDS.get(data, i);
            crc = t[0x700 | (int) (word & 0xFF)] ^ t[0x600 | (int) ((word >>> 8) & 0xFF)]
                    ^ t[0x500 | (int) ((word >>> 16) & 0xFF)] ^ t[0x400 | (int) ((word >>> 24) & 0xFF)]
                    ^ t[0x300 | (int) ((word >>> 32) & 0xFF)] ^ t[0x200 | (int) ((word >>> 40) & 0xFF)]
                    ^ t[0x100 | (int) ((word >>> 48) & 0xFF)] ^ t[(int) (word >>> 56)];
            i += 8;
        }
        while (i < end) {
            crc = t[(int) ((crc ^ data[i++]) & 0xFF)] ^ (crc >>> 8);
        }
        return crc;
    }

    public static long of(byte[] data, int offset, int length) {
        return update(0, data, offset, length);
    }
}
