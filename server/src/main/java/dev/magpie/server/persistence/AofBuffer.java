package dev.magpie.server.persistence;

import dev.magpie.server.keyspace.OffHeap;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Commands in RESP form, appended on the engine thread into a reusable byte array. The AOF
 * feed, the rewrite's base and the tests all build commands through it.
 */
final class AofBuffer {
    private byte[] bytes;
    private int length;
    private final byte[] digits = new byte[20];
    /** A number's digits while {@link #digits} formats its length. */
    private final byte[] valueDigits = new byte[20];

    AofBuffer(int capacity) {
        this.bytes = new byte[capacity];
    }

    byte[] bytes() {
        return bytes;
    }

    int length() {
        return length;
    }

    /** Takes the filled array away and continues in {@code fresh}. */
    byte[] swap(byte[] fresh) {
        byte[] filled = bytes;
        bytes = fresh;
        length = 0;
        return filled;
    }

    void clear() {
        length = 0;
    }

    byte[] toByteArray() {
        return Arrays.copyOf(bytes, length);
    }

    void arrayHeader(int count) {
        ensure(1 + 20 + 2);
        bytes[length++] = '*';
        number(count);
        crlf();
    }

    void bulk(byte[] data, int offset, int len) {
        ensure(1 + 20 + 2 + len + 2);
        bytes[length++] = '$';
        number(len);
        crlf();
        System.arraycopy(data, offset, bytes, length, len);
        length += len;
        crlf();
    }

    void bulk(byte[] data) {
        bulk(data, 0, data.length);
    }

    void bulk(String text) {
        bulk(text.getBytes(StandardCharsets.UTF_8));
    }

    void bulk(long value) {
        int at = digitsOf(value);
        System.arraycopy(digits, at, valueDigits, 0, digits.length - at);
        bulk(valueDigits, 0, digits.length - at);
    }

    /** A bulk string read from native memory (a key or value inside an entry). */
    void bulkFromAddress(long address, int len) {
        ensure(1 + 20 + 2 + len + 2);
        bytes[length++] = '$';
        number(len);
        crlf();
        OffHeap.copyToArray(address, bytes, length, len);
        length += len;
        crlf();
    }

    private void number(long value) {
        // Argument counts and lengths are nearly always under 1000: written without the digit buffer.
        if (value >= 0 && value < 1000) {
            int small = (int) value;
            if (small >= 100) {
                bytes[length++] = (byte) ('0' + small / 100);
            }
            if (small >= 10) {
                bytes[length++] = (byte) ('0' + small / 10 % 10);
            }
            bytes[length++] = (byte) ('0' + small % 10);
            return;
        }
        int at = digitsOf(value);
        int n = digits.length - at;
        System.arraycopy(digits, at, bytes, length, n);
        length += n;
    }

    private int digitsOf(long value) {
        int at = digits.length;
        long rest = value;
        do {
            digits[--at] = (byte) ('0' + Math.abs(rest % 10));
            rest /= 10;
        } while (rest != 0);
        if (value < 0) {
            digits[--at] = '-';
        }
        return at;
    }

    private void crlf() {
        bytes[length++] = '\r';
        bytes[length++] = '\n';
    }

    private void ensure(int more) {
        if (length + more > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(length + more, bytes.length * 2));
        }
    }
}
