package dev.magpie.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.util.internal.PlatformDependent;

import java.nio.charset.StandardCharsets;

/**
 * Text is written as ISO-8859-1, one byte per char: strings that came from request arguments
 * (decoded the same way) go back out byte for byte, whatever their encoding.
 *
 * <p>Writes replies straight into a connection's send buffer, in the connection's protocol
 * version. Callers describe one logical reply (a map, a double, a null...) and the writer picks
 * its RESP2 or RESP3 form, as Redis's reply functions do.
 */
public final class RespWriter {
    private static final byte[] CRLF = {'\r', '\n'};
    private static final byte[] NULL_BULK = "$-1\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] NULL_ARRAY = "*-1\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] NULL_RESP3 = "_\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] OK = "+OK\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] EMPTY_ARRAY = "*0\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] TRUE_RESP3 = "#t\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] FALSE_RESP3 = "#f\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final int SHARED_INTEGERS = 10000;
    private static final byte[][] INTEGER_REPLIES = new byte[SHARED_INTEGERS][];
    private static final byte[][] BULK_HEADERS = new byte[1024][];

    static {
        for (int i = 0; i < SHARED_INTEGERS; i++) {
            INTEGER_REPLIES[i] = (":" + i + "\r\n").getBytes(StandardCharsets.US_ASCII);
        }
        for (int i = 0; i < BULK_HEADERS.length; i++) {
            BULK_HEADERS[i] = ("$" + i + "\r\n").getBytes(StandardCharsets.US_ASCII);
        }
    }

    private ByteBuf out;
    private int protocol = 2;

    public RespWriter(ByteBuf out) {
        this.out = out;
    }

    public ByteBuf buffer() {
        return out;
    }

    /** Hands the filled buffer over (to be flushed) and continues in {@code next}. */
    public ByteBuf swap(ByteBuf next) {
        ByteBuf filled = out;
        out = next;
        return filled;
    }

    public int protocol() {
        return protocol;
    }

    public void protocol(int version) {
        this.protocol = version;
    }

    public boolean resp3() {
        return protocol == 3;
    }

    public int size() {
        return out.readableBytes();
    }

    public void ok() {
        out.writeBytes(OK);
    }

    public void simple(String text) {
        out.writeByte('+');
        out.writeCharSequence(text, StandardCharsets.ISO_8859_1);
        out.writeBytes(CRLF);
    }

    /** An error reply; {@code message} starts with its code ("ERR ...", "WRONGTYPE ..."). */
    public void error(String message) {
        out.writeByte('-');
        writeSanitized(message);
        out.writeBytes(CRLF);
    }

    /** Redis replaces newlines in error texts with spaces so they stay one line. */
    private void writeSanitized(String message) {
        for (int i = 0; i < message.length(); i++) {
            char c = message.charAt(i);
            if (c == '\r' || c == '\n') {
                message = message.replace('\r', ' ').replace('\n', ' ');
                break;
            }
        }
        out.writeCharSequence(message, StandardCharsets.ISO_8859_1);
    }

    public void integer(long value) {
        if (value >= 0 && value < SHARED_INTEGERS) {
            out.writeBytes(INTEGER_REPLIES[(int) value]);
            return;
        }
        out.writeByte(':');
        writeDecimal(value);
        out.writeBytes(CRLF);
    }

    public void bulk(byte[] value) {
        bulk(value, 0, value.length);
    }

    public void bulk(byte[] value, int offset, int length) {
        bulkHeader(length);
        out.writeBytes(value, offset, length);
        out.writeBytes(CRLF);
    }

    public void bulk(String value) {
        bulk(value.getBytes(StandardCharsets.ISO_8859_1));
    }

    /** A bulk string whose bytes live off the heap at {@code address}. */
    public void bulkFromAddress(long address, int length) {
        bulkHeader(length);
        writeFromAddress(address, length);
        out.writeBytes(CRLF);
    }

    /** Copies raw bytes from off-heap memory into the reply. */
    public void writeFromAddress(long address, int length) {
        out.ensureWritable(length);
        int index = out.writerIndex();
        if (out.hasMemoryAddress()) {
            PlatformDependent.copyMemory(address, out.memoryAddress() + index, length);
        } else if (out.hasArray()) {
            PlatformDependent.copyMemory(address, out.array(), out.arrayOffset() + index, length);
        } else {
            for (int i = 0; i < length; i++) {
                out.setByte(index + i, PlatformDependent.getByte(address + i));
            }
        }
        out.writerIndex(index + length);
    }

    /** A bulk string holding the decimal form of {@code value}. */
    public void bulkLong(long value) {
        bulkHeader(RespNumbers.decimalLength(value));
        writeDecimal(value);
        out.writeBytes(CRLF);
    }

    public void bulkHeader(long length) {
        if (length < BULK_HEADERS.length) {
            out.writeBytes(BULK_HEADERS[(int) length]);
            return;
        }
        out.writeByte('$');
        writeDecimal(length);
        out.writeBytes(CRLF);
    }

    /** The end of a bulk string written in parts after {@link #bulkHeader(long)}. */
    public void bulkEnd() {
        out.writeBytes(CRLF);
    }

    public void raw(byte[] bytes) {
        out.writeBytes(bytes);
    }

    public void raw(byte[] bytes, int offset, int length) {
        out.writeBytes(bytes, offset, length);
    }

    /** The null reply where Redis 2 answers a null bulk string ({@code $-1}). */
    public void nullBulk() {
        out.writeBytes(protocol == 3 ? NULL_RESP3 : NULL_BULK);
    }

    /** The null reply where Redis 2 answers a null array ({@code *-1}). */
    public void nullArray() {
        out.writeBytes(protocol == 3 ? NULL_RESP3 : NULL_ARRAY);
    }

    public void arrayHeader(long count) {
        if (count == 0) {
            out.writeBytes(EMPTY_ARRAY);
            return;
        }
        aggregateHeader('*', count);
    }

    public void emptyArray() {
        out.writeBytes(EMPTY_ARRAY);
    }

    /** A map of {@code pairs} entries: RESP3 {@code %}, RESP2 a flat array of keys and values. */
    public void mapHeader(long pairs) {
        if (protocol == 3) {
            aggregateHeader('%', pairs);
        } else {
            aggregateHeader('*', pairs * 2);
        }
    }

    public void setHeader(long count) {
        aggregateHeader(protocol == 3 ? '~' : '*', count);
    }

    public void pushHeader(long count) {
        aggregateHeader(protocol == 3 ? '>' : '*', count);
    }

    /** An attribute map ({@code |}); RESP2 has none, so nothing is written. */
    public boolean attributeHeader(long pairs) {
        if (protocol != 3) {
            return false;
        }
        aggregateHeader('|', pairs);
        return true;
    }

    private void aggregateHeader(char type, long count) {
        out.writeByte(type);
        writeDecimal(count);
        out.writeBytes(CRLF);
    }

    /** A double already formatted the way the command formats it ("inf", "1.5", "3"). */
    public void doubleValue(String formatted) {
        if (protocol == 3) {
            out.writeByte(',');
            out.writeCharSequence(formatted, StandardCharsets.US_ASCII);
            out.writeBytes(CRLF);
        } else {
            bulk(formatted.getBytes(StandardCharsets.US_ASCII));
        }
    }

    public void bool(boolean value) {
        if (protocol == 3) {
            out.writeBytes(value ? TRUE_RESP3 : FALSE_RESP3);
        } else {
            integer(value ? 1 : 0);
        }
    }

    public void bigNumber(String digits) {
        if (protocol == 3) {
            out.writeByte('(');
            out.writeCharSequence(digits, StandardCharsets.US_ASCII);
            out.writeBytes(CRLF);
        } else {
            bulk(digits.getBytes(StandardCharsets.US_ASCII));
        }
    }

    /** Verbatim text: RESP3 {@code =} with a three-letter format, RESP2 a plain bulk string. */
    public void verbatim(String format, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.ISO_8859_1);
        if (protocol == 3) {
            out.writeByte('=');
            writeDecimal(bytes.length + 4L);
            out.writeBytes(CRLF);
            out.writeCharSequence(format, StandardCharsets.US_ASCII);
            out.writeByte(':');
            out.writeBytes(bytes);
            out.writeBytes(CRLF);
        } else {
            bulk(bytes);
        }
    }

    private void writeDecimal(long value) {
        if (value < 0) {
            if (value == Long.MIN_VALUE) {
                out.writeCharSequence("-9223372036854775808", StandardCharsets.US_ASCII);
                return;
            }
            out.writeByte('-');
            value = -value;
        }
        int digits = RespNumbers.decimalLength(value);
        out.ensureWritable(digits);
        int end = out.writerIndex() + digits;
        int index = end;
        do {
            out.setByte(--index, (int) ('0' + value % 10));
            value /= 10;
        } while (value != 0);
        out.writerIndex(end);
    }
}
