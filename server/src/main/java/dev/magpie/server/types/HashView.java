package dev.magpie.server.types;

import java.util.Arrays;

/** A reusable view of one field and its value, as {@link HashValue#load} fills it; both live in {@code array}. */
public final class HashView {
    public byte[] array;
    public int fieldOffset;
    public int fieldLength;
    public int valueOffset;
    public int valueLength;

    public byte[] field() {
        return Arrays.copyOfRange(array, fieldOffset, fieldOffset + fieldLength);
    }

    public byte[] value() {
        return Arrays.copyOfRange(array, valueOffset, valueOffset + valueLength);
    }
}
