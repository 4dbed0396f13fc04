package dev.magpie.server.types;

import java.util.Arrays;

/**
 * An immutable byte string usable as a hash-map key and sorted as Redis sorts members
 * (memcmp: unsigned bytes, then length). Collections hold their members as these.
 */
public final class Bytes implements Comparable<Bytes> {
    public static final Bytes EMPTY = new Bytes(new byte[0]);

    private final byte[] bytes;
    private int hash;

    private Bytes(byte[] bytes) {
        this.bytes = bytes;
    }

    /** Wraps without copying; the caller gives up the array. */
    public static Bytes wrap(byte[] bytes) {
        return new Bytes(bytes);
    }

    public static Bytes copyOf(byte[] data, int offset, int length) {
        return new Bytes(Arrays.copyOfRange(data, offset, offset + length));
    }

    /** The bytes themselves; callers must not modify them. */
    public byte[] array() {
        return bytes;
    }

    public int length() {
        return bytes.length;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Bytes that && Arrays.equals(bytes, that.bytes);
    }

    /** True when equal to {@code data[offset..offset+length)}, without allocating. */
    public boolean contentEquals(byte[] data, int offset, int length) {
        return Arrays.equals(bytes, 0, bytes.length, data, offset, offset + length);
    }

    @Override
    public int hashCode() {
        int h = hash;
        if (h == 0) {
            h = Arrays.hashCode(bytes);
            hash = h;
        }
        return h;
    }

    @Override
    public int compareTo(Bytes other) {
        return Arrays.compareUnsigned(bytes, other.bytes);
    }

    @Override
    public String toString() {
        return new String(bytes, java.nio.charset.StandardCharsets.ISO_8859_1);
    }
}
