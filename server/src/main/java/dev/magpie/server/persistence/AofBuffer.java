package dev.magpie.server.persistence;

import dev.magpie.server.command.Arguments;
import dev.magpie.server.keyspace.OffHeap;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Commands in RESP form, appended on the engine thread into a reusable byte array. The AOF
 * feed, the rewrite's base and the tests all build commands through it.
 */
final class AofBuffer {
    /** A header's most bytes: its kind, a sign and 10 digits, CRLF. */
    private static final int MAX_HEADER = 1 + 11 + 2;
    /** Lengths and counts under this have their header in a table: "$999\r\n" still fits in seven bytes. */
    private static final int TABLED = 1000;
    private static final long[] BULK_HEADERS = headers('$');
    private static final long[] ARRAY_HEADERS = headers('*');
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

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

    /**
     * A command made of {@code args} as they are. Nearly every write the engine executes takes
     * this path, and nearly every client sends its commands as Redis would write them, so their
     * text is copied as it came ({@link Arguments#verbatimStart()}); only an inline command or
     * one with odd line ends is written again from its arguments.
     */
    void command(Arguments args) {
        int verbatim = args.verbatimStart();
        if (verbatim >= 0) {
            int len = args.verbatimLength();
            ensure(len);
            System.arraycopy(args.data(), verbatim, bytes, length, len);
            length += len;
            return;
        }
        arrayHeader(args.count());
        for (int i = 0; i < args.count(); i++) {
            bulk(args.data(), args.offset(i), args.length(i));
        }
    }

    /**
     * Writes {@code kind} ('*' or '$'), {@code n} in decimal and CRLF at {@code at} and returns
     * the position after them. Under {@link #TABLED} it is one 8-byte store from a table (the
     * header's bytes in the low seven, their count in the high one): the caller must have room
     * for eight bytes; what it writes next overwrites the extra.
     */
    private int header(byte[] out, int at, byte kind, int n) {
        if (n >= 0 && n < TABLED) {
            long header = (kind == '*' ? ARRAY_HEADERS : BULK_HEADERS)[n];
            LONGS.set(out, at, header);
            return at + (int) (header >>> 56);
        }
        out[at++] = kind;
        int from = digitsOf(n);
        int digitCount = digits.length - from;
        System.arraycopy(digits, from, out, at, digitCount);
        at += digitCount;
        out[at] = '\r';
        out[at + 1] = '\n';
        return at + 2;
    }

    private static long[] headers(char kind) {
        long[] table = new long[TABLED];
        for (int n = 0; n < TABLED; n++) {
            byte[] text = (kind + Integer.toString(n) + "\r\n").getBytes(StandardCharsets.US_ASCII);
            long packed = (long) text.length << 56;
            for (int i = 0; i < text.length; i++) {
                packed |= (text[i] & 0xFFL) << (8 * i);
            }
            table[n] = packed;
        }
        return table;
    }

    void arrayHeader(int count) {
        ensure(MAX_HEADER);
        length = header(bytes, length, (byte) '*', count);
    }

    void bulk(byte[] data, int offset, int len) {
        ensure(MAX_HEADER + len + 2L);
        length = header(bytes, length, (byte) '$', len);
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
        ensure(MAX_HEADER + len + 2L);
        length = header(bytes, length, (byte) '$', len);
        OffHeap.copyToArray(address, bytes, length, len);
        length += len;
        crlf();
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

    private void ensure(long more) {
        if (length + more > bytes.length) {
            if (length + more > Integer.MAX_VALUE - 8) {
                throw new IllegalStateException("AOF buffer cannot hold " + (length + more) + " bytes");
            }
            bytes = Arrays.copyOf(bytes, (int) Math.max(length + more, Math.min(bytes.length * 2L, Integer.MAX_VALUE - 8)));
        }
    }
}
