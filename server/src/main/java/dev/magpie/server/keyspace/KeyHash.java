package dev.magpie.server.keyspace;

import java.security.SecureRandom;

/**
 * A seeded 64-bit hash over key bytes, the same whether the bytes are on the heap (a request)
 * or off it (a stored key). The random seed keeps crafted keys from colliding on purpose.
 */
public final class KeyHash {
    private static final long SEED = new SecureRandom().nextLong();
    private static final long M1 = 0x9E3779B97F4A7C15L;
    private static final long M2 = 0xC2B2AE3D27D4EB4FL;

    private KeyHash() {
    }

    public static long hash(byte[] key, int offset, int length) {
        return hash(key, OffHeap.BYTE_ARRAY_BASE + offset, length);
    }

    public static long hashAt(long address, int length) {
        return hash(null, address, length);
    }

    private static long hash(Object base, long offset, int length) {
        long h = SEED ^ (length * M1);
        int i = 0;
        for (; i + 8 <= length; i += 8) {
            long k = OffHeap.UNSAFE.getLong(base, offset + i);
            h = Long.rotateLeft(h ^ (k * M2), 31) * M1;
        }
        long tail = 0;
        for (int shift = 0; i < length; i++, shift += 8) {
            tail |= (OffHeap.UNSAFE.getByte(base, offset + i) & 0xFFL) << shift;
        }
        h = Long.rotateLeft(h ^ (tail * M2), 27) * M1;
        h ^= h >>> 33;
        h *= 0xFF51AFD7ED558CCDL;
        h ^= h >>> 33;
        h *= 0xC4CEB9FE1A85EC53L;
        h ^= h >>> 33;
        return h;
    }
}
