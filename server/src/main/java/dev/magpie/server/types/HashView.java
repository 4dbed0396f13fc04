package dev.magpie.server.types;

import java.util.Arrays;

/**
 * A reusable view of one field and its value, as {@link HashValue#load} fills it; both live in
 * {@code array}: the hash's own array, or (for a hash kept in native memory) the view's buffer,
 * where the pair is copied. Read it before the next load or write.
 */
public final class HashView {
    public byte[] array;
    public int fieldOffset;
    public int fieldLength;
    public int valueOffset;
    public int valueLength;
    private byte[] buffer = new byte[64];

    public byte[] field() {
        return Arrays.copyOfRange(array, fieldOffset, fieldOffset + fieldLength);
    }

    public byte[] value() {
        return Arrays.copyOfRange(array, valueOffset, valueOffset + valueLength);
    }

    /** The view's own array, at least {@code length} bytes (its content is not kept). */
    byte[] buffer(int length) {
        if (buffer.length < length) {
            buffer = new byte[Math.max(length, buffer.length * 2)];
        }
        return buffer;
    }
}
