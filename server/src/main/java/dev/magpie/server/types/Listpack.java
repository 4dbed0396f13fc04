package dev.magpie.server.types;

import dev.magpie.server.keyspace.OffHeap;

/**
 * Byte strings packed back to back in one array, each behind its length as a little-endian
 * base-128 varint: the compact form of small hashes (field, value, field, value, ...) and the
 * record format of {@link HashSlots}. One byte of overhead per string up to 127 bytes, where a
 * Java object per string would cost dozens. The same layout is read in place in native memory
 * (the address overloads), where a keyspace keeps small hashes.
 */
public final class Listpack {
    private Listpack() {
    }

    /** Bytes the length header of a string of {@code length} bytes takes. */
    public static int headerSize(int length) {
        if (length < 0x80) {
            return 1;
        }
        if (length < 0x4000) {
            return 2;
        }
        if (length < 0x200000) {
            return 3;
        }
        return length < 0x10000000 ? 4 : 5;
    }

    /** Bytes a whole string of {@code length} bytes takes (header and data). */
    public static int entrySize(int length) {
        return headerSize(length) + length;
    }

    /** Writes a length header at {@code at}; returns the index after it. */
    public static int writeHeader(byte[] array, int at, int length) {
        int value = length;
        while (value >= 0x80) {
            array[at++] = (byte) (value | 0x80);
            value >>>= 7;
        }
        array[at++] = (byte) value;
        return at;
    }

    /** Writes a whole string at {@code at}; returns the index after it. */
    public static int write(byte[] array, int at, byte[] data, int offset, int length) {
        at = writeHeader(array, at, length);
        System.arraycopy(data, offset, array, at, length);
        return at + length;
    }

    /** The length of the string whose header starts at {@code at}. */
    public static int length(byte[] array, int at) {
        int b = array[at];
        if (b >= 0) {
            return b;
        }
        int value = b & 0x7F;
        int shift = 7;
        while (true) {
            b = array[++at];
            value |= (b & 0x7F) << shift;
            if (b >= 0) {
                return value;
            }
            shift += 7;
        }
    }

    /** Where the data of the string whose header starts at {@code at} begins. */
    public static int dataOffset(byte[] array, int at) {
        while (array[at] < 0) {
            at++;
        }
        return at + 1;
    }

    /** The index of the string after the one at {@code at}. */
    public static int next(byte[] array, int at) {
        int length = length(array, at);
        return dataOffset(array, at) + length;
    }

    /** True when the string at {@code at} equals {@code data[offset, offset+length)}. */
    public static boolean equalsAt(byte[] array, int at, byte[] data, int offset, int length) {
        if (length(array, at) != length) {
            return false;
        }
        int start = dataOffset(array, at);
        return java.util.Arrays.equals(array, start, start + length, data, offset, offset + length);
    }

    // ---- the same strings in native memory, at an address --------------------------------------

    /** The length of the string whose header starts at {@code address}. */
    public static int length(long address) {
        int b = OffHeap.getByte(address);
        if (b >= 0) {
            return b;
        }
        int value = b & 0x7F;
        int shift = 7;
        while (true) {
            b = OffHeap.getByte(++address);
            value |= (b & 0x7F) << shift;
            if (b >= 0) {
                return value;
            }
            shift += 7;
        }
    }

    /** The address where the data of the string whose header starts at {@code address} begins. */
    public static long dataAddress(long address) {
        while (OffHeap.getByte(address) < 0) {
            address++;
        }
        return address + 1;
    }

    /** The address of the string after the one at {@code address}. */
    public static long next(long address) {
        int length = length(address);
        return dataAddress(address) + length;
    }

    /** True when the string at {@code address} equals {@code data[offset, offset+length)}. */
    public static boolean equalsAt(long address, byte[] data, int offset, int length) {
        return length(address) == length && OffHeap.equals(dataAddress(address), data, offset, length);
    }
}
