package dev.magpie.server.persistence;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * Reads RDB primitives from a stream or an array, counting the offset (for error messages) and
 * keeping the CRC-64 of everything consumed so far (for the file's trailing checksum).
 */
public final class RdbInput {
    private final InputStream stream;
    private byte[] buf;
    private int pos;
    private int limit;
    /** Bytes before {@code buf[0]}. */
    private long base;
    private long crc;
    /** Index in {@code buf} up to which {@link #crc} covers. */
    private int crcMark;
    private boolean lastWasEncoded;

    public RdbInput(InputStream stream) {
        this.stream = stream;
        this.buf = new byte[1 << 16];
    }

    public RdbInput(byte[] data, int length) {
        this.stream = null;
        this.buf = data;
        this.limit = length;
    }

    public long offset() {
        return base + pos;
    }

    /** The checksum of every byte consumed so far. */
    public long crc() {
        crc = Crc64.update(crc, buf, crcMark, pos - crcMark);
        crcMark = pos;
        return crc;
    }

    private RdbException truncated() {
        return new RdbException("unexpected end of file", offset());
    }

    /** Makes {@code n} bytes available at {@code pos}. */
    private void require(int n) throws RdbException {
        if (limit - pos >= n) {
            return;
        }
        if (stream == null) {
            throw truncated();
        }
        crc();
        int remaining = limit - pos;
        if (n > buf.length) {
            byte[] bigger = new byte[Math.max(n, buf.length * 2)];
            System.arraycopy(buf, pos, bigger, 0, remaining);
            buf = bigger;
        } else {
            System.arraycopy(buf, pos, buf, 0, remaining);
        }
        base += pos;
        pos = 0;
        crcMark = 0;
        limit = remaining;
        try {
            while (limit < n) {
                int read = stream.read(buf, limit, buf.length - limit);
                if (read < 0) {
                    throw truncated();
                }
                limit += read;
            }
        } catch (IOException e) {
            throw new RdbException("read error: " + e.getMessage(), offset());
        }
    }

    public int readByte() throws RdbException {
        require(1);
        return buf[pos++] & 0xFF;
    }

    public byte[] readBytes(int n) throws RdbException {
        byte[] out = new byte[n];
        if (n <= (1 << 20)) {
            require(n);
            System.arraycopy(buf, pos, out, 0, n);
            pos += n;
            return out;
        }
        int done = 0;
        while (done < n) {
            int step = Math.min(n - done, 1 << 16);
            require(step);
            System.arraycopy(buf, pos, out, done, step);
            pos += step;
            done += step;
        }
        return out;
    }

    public long readLittleEndian(int bytes) throws RdbException {
        require(bytes);
        long value = 0;
        for (int i = 0; i < bytes; i++) {
            value |= (buf[pos++] & 0xFFL) << (8 * i);
        }
        return value;
    }

    public long readBigEndian(int bytes) throws RdbException {
        require(bytes);
        long value = 0;
        for (int i = 0; i < bytes; i++) {
            value = (value << 8) | (buf[pos++] & 0xFFL);
        }
        return value;
    }

    /**
     * An RDB length; when the first byte announces a special encoding, returns that encoding's
     * number and {@link #lastWasEncoded()} tells so.
     */
    public long readLengthOrEncoding() throws RdbException {
        int first = readByte();
        lastWasEncoded = false;
        int kind = (first & 0xC0) >>> 6;
        if (kind == Rdb.ENCVAL) {
            lastWasEncoded = true;
            return first & 0x3F;
        }
        if (kind == Rdb.LEN_6BIT) {
            return first & 0x3F;
        }
        if (kind == Rdb.LEN_14BIT) {
            return ((first & 0x3F) << 8) | readByte();
        }
        if (first == Rdb.LEN_32BIT) {
            return readBigEndian(4);
        }
        if (first == Rdb.LEN_64BIT) {
            return readBigEndian(8);
        }
        throw new RdbException("unknown length encoding " + first, offset() - 1);
    }

    public boolean lastWasEncoded() {
        return lastWasEncoded;
    }

    public long readLength() throws RdbException {
        long start = offset();
        long length = readLengthOrEncoding();
        if (lastWasEncoded) {
            throw new RdbException("expected a length, found a string encoding", start);
        }
        return length;
    }

    /** A length that must fit an array. */
    public int readSize(String what) throws RdbException {
        long start = offset();
        long length = readLength();
        if (length < 0 || length > Integer.MAX_VALUE - 16) {
            throw new RdbException(what + " length " + length + " out of range", start);
        }
        return (int) length;
    }

    /** A string, decoding integer and LZF encodings. */
    public byte[] readString() throws RdbException {
        long start = offset();
        long length = readLengthOrEncoding();
        if (lastWasEncoded) {
            switch ((int) length) {
                case Rdb.ENC_INT8:
                    return digits((byte) readByte());
                case Rdb.ENC_INT16:
                    return digits((short) readLittleEndian(2));
                case Rdb.ENC_INT32:
                    return digits((int) readLittleEndian(4));
                case Rdb.ENC_LZF: {
                    int compressedLength = readSize("compressed string");
                    int plainLength = readSize("string");
                    byte[] plain;
                    if (compressedLength <= (1 << 20)) {
                        // Straight from the read buffer: no copy of the compressed bytes per value.
                        require(compressedLength);
                        plain = Lzf.decompress(buf, pos, compressedLength, plainLength);
                        pos += compressedLength;
                    } else {
                        byte[] packed = readBytes(compressedLength);
                        plain = Lzf.decompress(packed, 0, packed.length, plainLength);
                    }
                    if (plain == null) {
                        throw new RdbException("invalid LZF compressed string", start);
                    }
                    return plain;
                }
                default:
                    throw new RdbException("unknown string encoding " + length, start);
            }
        }
        if (length > Integer.MAX_VALUE - 16) {
            throw new RdbException("string length " + length + " out of range", start);
        }
        return readBytes((int) length);
    }

    private static byte[] digits(long value) {
        return Long.toString(value).getBytes(StandardCharsets.US_ASCII);
    }

    /** A double in the old text form: a length byte (253 nan, 254 +inf, 255 -inf) and ASCII. */
    public double readTextDouble() throws RdbException {
        long start = offset();
        int length = readByte();
        switch (length) {
            case 253:
                return Double.NaN;
            case 254:
                return Double.POSITIVE_INFINITY;
            case 255:
                return Double.NEGATIVE_INFINITY;
            default:
                String text = new String(readBytes(length), StandardCharsets.US_ASCII);
                try {
                    return Double.parseDouble(text);
                } catch (NumberFormatException e) {
                    throw new RdbException("invalid double '" + text + "'", start);
                }
        }
    }

    public double readBinaryDouble() throws RdbException {
        return Double.longBitsToDouble(readLittleEndian(8));
    }
}
