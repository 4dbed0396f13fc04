package dev.magpie.server.types.hll;

/**
 * Redis's HyperLogLog layout, shared by the dense and sparse codecs: a 16-byte header
 * ({@code "HYLL"}, the encoding byte, three unused bytes, the cached cardinality in little
 * endian whose top bit marks it stale), then 16384 registers of 6 bits (dense) or a run-length
 * code of them (sparse). The element hash is MurmurHash64A with Redis's seed, so registers and
 * therefore the bytes of a value are the same as Redis computes.
 */
public final class Hll {
    public static final int P = 14;
    public static final int REGISTERS = 1 << P;
    public static final int Q = 64 - P;
    public static final int REGISTER_MAX = 63;
    public static final int HEADER = 16;
    public static final int DENSE_REGISTER_BYTES = (REGISTERS * 6 + 7) / 8;
    public static final int DENSE_SIZE = HEADER + DENSE_REGISTER_BYTES;
    public static final byte DENSE = 0;
    public static final byte SPARSE = 1;
    /** Offset of the encoding byte and of the cached cardinality in the header. */
    public static final int ENCODING_AT = 4;
    public static final int CARDINALITY_AT = 8;

    private static final long SEED = 0xadc83b19L;
    private static final long M = 0xc6a4a7935bd1e995L;

    private Hll() {
    }

    /** MurmurHash64A as Redis computes it (little-endian word reads, whatever the platform). */
    public static long murmur64a(byte[] data, int offset, int length) {
        long h = SEED ^ (length * M);
        int end = offset + (length & ~7);
        int p = offset;
        for (; p < end; p += 8) {
            long k = (data[p] & 0xFFL) | (data[p + 1] & 0xFFL) << 8 | (data[p + 2] & 0xFFL) << 16
                    | (data[p + 3] & 0xFFL) << 24 | (data[p + 4] & 0xFFL) << 32 | (data[p + 5] & 0xFFL) << 40
                    | (data[p + 6] & 0xFFL) << 48 | (data[p + 7] & 0xFFL) << 56;
            k *= M;
            k ^= k >>> 47;
            k *= M;
            h ^= k;
            h *= M;
        }
        int tail = length & 7;
        if (tail > 0) {
            for (int i = tail - 1; i >= 0; i--) {
                h ^= (data[p + i] & 0xFFL) << (8 * i);
            }
            h *= M;
        }
        h ^= h >>> 47;
        h *= M;
        h ^= h >>> 47;
        return h;
    }

    /**
     * The register an element falls into (the low {@link #P} bits of its hash) and the
     * length of its "000..1" pattern after them, packed as {@code index | count << 16}.
     */
    public static int hashElement(byte[] data, int offset, int length) {
        long hash = murmur64a(data, offset, length);
        int index = (int) (hash & (REGISTERS - 1));
        hash >>>= P;
        hash |= 1L << Q;
        int count = Long.numberOfTrailingZeros(hash) + 1;
        return index | count << 16;
    }

    /** The empty HyperLogLog PFADD creates: sparse, one XZERO opcode covering all registers. */
    public static byte[] emptySparse() {
        byte[] value = new byte[HEADER + 2];
        writeMagic(value, SPARSE);
        HllSparse.putXZero(value, HEADER, REGISTERS);
        return value;
    }

    static void writeMagic(byte[] value, byte encoding) {
        value[0] = 'H';
        value[1] = 'Y';
        value[2] = 'L';
        value[3] = 'L';
        value[ENCODING_AT] = encoding;
    }

    /**
     * Redis's test of a string holding a HyperLogLog: long enough for the header, the magic, a
     * known encoding, and for dense exactly the dense size (a sparse body is checked lazily).
     */
    public static boolean looksValid(byte magic0, byte magic1, byte magic2, byte magic3, byte encoding, int length) {
        if (length < HEADER || magic0 != 'H' || magic1 != 'Y' || magic2 != 'L' || magic3 != 'L') {
            return false;
        }
        if ((encoding & 0xFF) > SPARSE) {
            return false;
        }
        return encoding != DENSE || length == DENSE_SIZE;
    }
}
