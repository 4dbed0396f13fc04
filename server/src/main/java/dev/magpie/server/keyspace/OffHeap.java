package dev.magpie.server.keyspace;

import org.agrona.UnsafeAccess;
import sun.misc.Unsafe;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Raw native memory for entries. Allocation happens on the engine thread, and on a loader's
 * parser thread for entries not yet in any index; freeing also on the lazy-free thread and the
 * snapshot writers. That is why the byte count is atomic.
 */
public final class OffHeap {
    static final Unsafe UNSAFE = UnsafeAccess.UNSAFE;
    static final long BYTE_ARRAY_BASE = Unsafe.ARRAY_BYTE_BASE_OFFSET;
    private static final AtomicLong ALLOCATED = new AtomicLong();

    private OffHeap() {
    }

    public static long allocate(long bytes) {
        long address = UNSAFE.allocateMemory(bytes);
        ALLOCATED.addAndGet(bytes);
        return address;
    }

    public static void free(long address, long bytes) {
        UNSAFE.freeMemory(address);
        ALLOCATED.addAndGet(-bytes);
    }

    /** Bytes currently held by entries (requested sizes; the allocator adds its own overhead). */
    public static long allocatedBytes() {
        return ALLOCATED.get();
    }

    public static void copy(long from, long to, long bytes) {
        UNSAFE.copyMemory(from, to, bytes);
    }

    public static void copyFromArray(byte[] source, int offset, long to, int bytes) {
        UNSAFE.copyMemory(source, BYTE_ARRAY_BASE + offset, null, to, bytes);
    }

    public static void copyToArray(long from, byte[] target, int offset, int bytes) {
        UNSAFE.copyMemory(null, from, target, BYTE_ARRAY_BASE + offset, bytes);
    }

    public static byte getByte(long address) {
        return UNSAFE.getByte(address);
    }

    public static void putByte(long address, byte value) {
        UNSAFE.putByte(address, value);
    }

    public static int getInt(long address) {
        return UNSAFE.getInt(address);
    }

    public static void putInt(long address, int value) {
        UNSAFE.putInt(address, value);
    }

    public static long getLong(long address) {
        return UNSAFE.getLong(address);
    }

    public static void putLong(long address, long value) {
        UNSAFE.putLong(address, value);
    }

    public static void setMemory(long address, long bytes, byte value) {
        UNSAFE.setMemory(address, bytes, value);
    }

    /** True when {@code length} bytes at {@code address} equal {@code array[offset..]}. */
    public static boolean equals(long address, byte[] array, int offset, int length) {
        long arrayBase = BYTE_ARRAY_BASE + offset;
        int i = 0;
        for (; i + 8 <= length; i += 8) {
            if (UNSAFE.getLong(address + i) != UNSAFE.getLong(array, arrayBase + i)) {
                return false;
            }
        }
        for (; i < length; i++) {
            if (UNSAFE.getByte(address + i) != array[offset + i]) {
                return false;
            }
        }
        return true;
    }
}
