package dev.magpie.server.types;

import java.util.Arrays;

/**
 * A reusable view of one set member, as {@link SetValue#load} fills it: its bytes, and for an
 * intset member also the integer itself (its decimal text is written into a scratch buffer).
 */
public final class SetMember {
    private final byte[] digits = new byte[20];
    public byte[] array;
    public int offset;
    public int length;
    public boolean isInteger;
    public long integer;

    void bytes(byte[] array, int offset, int length) {
        this.array = array;
        this.offset = offset;
        this.length = length;
        this.isInteger = false;
    }

    void integer(long value) {
        this.integer = value;
        this.isInteger = true;
        this.array = digits;
        int at = digits.length;
        long rest = value;
        do {
            digits[--at] = (byte) ('0' + Math.abs(rest % 10));
            rest /= 10;
        } while (rest != 0);
        if (value < 0) {
            digits[--at] = '-';
        }
        this.offset = at;
        this.length = digits.length - at;
    }

    /** A copy of the member's bytes. */
    public byte[] copy() {
        return Arrays.copyOfRange(array, offset, offset + length);
    }
}
