package dev.magpie.server.persistence;

import dev.magpie.protocol.RespNumbers;
import dev.magpie.server.keyspace.OffHeap;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A growing buffer of RDB bytes with the format's primitives: lengths, strings (integer-encoded
 * or LZF-compressed where Redis would), doubles and little-endian numbers. Owners take the bytes
 * out in chunks ({@link #take()}) or read them in place ({@link #array()}, {@link #size()}).
 */
public final class RdbOutput {
    /** Redis compresses strings longer than this (and only when that saves at least 4 bytes). */
    private static final int COMPRESS_ABOVE = 20;
    /** Strings in a row that LZF could not shrink before an adaptive output starts sampling. */
    private static final int FAILURES_BEFORE_SAMPLING = 32;
    /** While sampling, one string in this many is tried. */
    private static final int SAMPLE_EVERY = 32;
    /** A compressed record is kept ({@link #writeStringKeepingSmall}) only when this many times smaller. */
    static final int KEEP_RATIO = 8;

    private byte[] buf;
    private int size;
    private final boolean compress;
    private final Lzf lzf = new Lzf();
    private byte[] scratch = new byte[256];
    private byte[] compressed = new byte[256];
    /** An LZF record's header: the encoding byte and two lengths. */
    private final byte[] recordHeader = new byte[1 + 9 + 9];
    private Spill spill;
    private int spillAt;
    private boolean adaptive;
    private int failuresInARow;
    private int untilNextTry;

    /** Receives the bytes of a streamed output each time its buffer fills. */
    interface Spill {
        void write(byte[] data, int length) throws IOException;
    }

    public RdbOutput(int capacity, boolean compress) {
        this.buf = new byte[Math.max(16, capacity)];
        this.compress = compress;
    }

    /**
     * Makes this output stop searching data that does not compress: after
     * {@value #FAILURES_BEFORE_SAMPLING} strings in a row that LZF could not shrink, only one in
     * {@value #SAMPLE_EVERY} is tried, until one shrinks again. For snapshots, whose keys tend to hold
     * values alike: a dataset of random or already-compressed values no longer pays a failed LZF
     * search per key (on random 64-byte values, about 40% of a rewrite thread's time), and one
     * whose values compress is written as before. Not for DUMP, whose payload Redis always tries.
     */
    RdbOutput adaptiveCompression() {
        adaptive = true;
        return this;
    }

    public int size() {
        return size;
    }

    public byte[] array() {
        return buf;
    }

    /** The bytes written so far, leaving the buffer empty. */
    public byte[] take() {
        byte[] chunk = Arrays.copyOf(buf, size);
        size = 0;
        return chunk;
    }

    public void reset() {
        size = 0;
    }

    /**
     * Streams the output: whenever the bytes written reach {@code threshold}, they go to
     * {@code spill} and the buffer starts over, so a large value never sits whole in memory.
     * Only for writers that never read back what they wrote. A spill failure surfaces as an
     * {@link UncheckedIOException} from the write that triggered it.
     */
    void spillTo(Spill spill, int threshold) {
        this.spill = spill;
        this.spillAt = threshold;
    }

    private void ensure(int more) {
        if (spill != null && size + more > spillAt && size > 0) {
            try {
                spill.write(buf, size);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            size = 0;
        }
        if (size + more > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, size + more));
        }
    }

    public void writeByte(int b) {
        ensure(1);
        buf[size++] = (byte) b;
    }

    public void write(byte[] data, int offset, int length) {
        ensure(length);
        System.arraycopy(data, offset, buf, size, length);
        size += length;
    }

    public void writeLittleEndian(long value, int bytes) {
        ensure(bytes);
        for (int i = 0; i < bytes; i++) {
            buf[size++] = (byte) (value >>> (8 * i));
        }
    }

    /** An RDB length: 6-bit, 14-bit, 32-bit or 64-bit big-endian form. */
    public void writeLength(long length) {
        ensure(9);
        size = putLength(buf, size, length);
    }

    /** Puts {@code length} in RDB form at {@code buf[at]} (room for 9 bytes); returns the position after it. */
    private static int putLength(byte[] buf, int at, long length) {
        if (length < (1 << 6)) {
            buf[at++] = (byte) length;
        } else if (length < (1 << 14)) {
            buf[at++] = (byte) ((length >>> 8) | (Rdb.LEN_14BIT << 6));
            buf[at++] = (byte) length;
        } else if (length <= 0xFFFFFFFFL) {
            buf[at++] = (byte) Rdb.LEN_32BIT;
            for (int shift = 24; shift >= 0; shift -= 8) {
                buf[at++] = (byte) (length >>> shift);
            }
        } else {
            buf[at++] = (byte) Rdb.LEN_64BIT;
            for (int shift = 56; shift >= 0; shift -= 8) {
                buf[at++] = (byte) (length >>> shift);
            }
        }
        return at;
    }

    /** Writes {@code value} as an integer-encoded string if it fits 32 bits; false when it does not. */
    private boolean writeEncodedInteger(long value) {
        ensure(5);
        if (value >= Byte.MIN_VALUE && value <= Byte.MAX_VALUE) {
            buf[size++] = (byte) ((Rdb.ENCVAL << 6) | Rdb.ENC_INT8);
            buf[size++] = (byte) value;
        } else if (value >= Short.MIN_VALUE && value <= Short.MAX_VALUE) {
            buf[size++] = (byte) ((Rdb.ENCVAL << 6) | Rdb.ENC_INT16);
            buf[size++] = (byte) value;
            buf[size++] = (byte) (value >>> 8);
        } else if (value >= Integer.MIN_VALUE && value <= Integer.MAX_VALUE) {
            buf[size++] = (byte) ((Rdb.ENCVAL << 6) | Rdb.ENC_INT32);
            for (int i = 0; i < 4; i++) {
                buf[size++] = (byte) (value >>> (8 * i));
            }
        } else {
            return false;
        }
        return true;
    }

    /** A string object holding an integer (Redis's rdbSaveLongLongAsStringObject). */
    public void writeLongString(long value) {
        if (!writeEncodedInteger(value)) {
            byte[] digits = Long.toString(value).getBytes(StandardCharsets.US_ASCII);
            writeLength(digits.length);
            write(digits, 0, digits.length);
        }
    }

    /** A string, as Redis's rdbSaveRawString writes it: integer-encoded, LZF-compressed, or plain. */
    public void writeString(byte[] data, int offset, int length) {
        writeString(data, offset, length, false);
    }

    /** Whether strings are LZF-compressed (rdbcompression), so a kept compressed record may be written as it is. */
    boolean compressing() {
        return compress;
    }

    /**
     * Writes a string as {@link #writeString(byte[], int, int)} does, and returns its record (the
     * bytes written) when LZF shrank it to at most 1/{@value #KEEP_RATIO} of its length, else null.
     * A writer that will meet the same bytes again (a list node that cannot change) keeps the
     * record and writes it as it is next time; the bound caps what keeping it costs in memory.
     */
    byte[] writeStringKeepingSmall(byte[] data, int offset, int length) {
        return writeString(data, offset, length, true);
    }

    private byte[] writeString(byte[] data, int offset, int length, boolean keepSmall) {
        if (length <= 11 && length > 0) {
            long number = RespNumbers.parseLong(data, offset, length);
            if (number != RespNumbers.INVALID && writeEncodedInteger(number)) {
                return null;
            }
        }
        if (compress && length > COMPRESS_ABOVE && worthTrying()) {
            int written = compress(data, offset, length);
            if (recordAttempt(written > 0)) {
                if (keepSmall && (long) written * KEEP_RATIO <= length) {
                    return writeKeptRecord(written, length);
                }
                writeCompressedRecord(written, length);
                return null;
            }
        }
        writeLength(length);
        write(data, offset, length);
        return null;
    }

    /** Writes the LZF record of what {@link #compressed} holds, and returns a copy of it to keep. */
    private byte[] writeKeptRecord(int written, int length) {
        recordHeader[0] = (byte) ((Rdb.ENCVAL << 6) | Rdb.ENC_LZF);
        int headerLength = putLength(recordHeader, putLength(recordHeader, 1, written), length);
        byte[] record = new byte[headerLength + written];
        System.arraycopy(recordHeader, 0, record, 0, headerLength);
        System.arraycopy(compressed, 0, record, headerLength, written);
        write(record, 0, record.length);
        return record;
    }

    public void writeString(byte[] data) {
        writeString(data, 0, data.length);
    }

    public void writeString(String text) {
        writeString(text.getBytes(StandardCharsets.UTF_8));
    }

    /** A string held in native memory (a string entry's value). */
    public void writeStringAt(long address, int length) {
        if (scratch.length < length) {
            scratch = new byte[Math.max(length, scratch.length * 2)];
        }
        OffHeap.copyToArray(address, scratch, 0, length);
        writeString(scratch, 0, length);
    }

    private boolean worthTrying() {
        if (!adaptive || failuresInARow < FAILURES_BEFORE_SAMPLING) {
            return true;
        }
        if (--untilNextTry > 0) {
            return false;
        }
        untilNextTry = SAMPLE_EVERY;
        return true;
    }

    private boolean recordAttempt(boolean shrunk) {
        failuresInARow = shrunk ? 0 : failuresInARow + 1;
        return shrunk;
    }

    /** LZF into {@link #compressed}; the compressed length, or 0 when it would not save 4 bytes. */
    private int compress(byte[] data, int offset, int length) {
        int limit = length - 4;
        if (compressed.length < limit) {
            compressed = new byte[Math.max(limit, Math.min(compressed.length * 2, 1 << 20))];
        }
        return lzf.compress(data, offset, length, compressed, limit);
    }

    private void writeCompressedRecord(int written, int length) {
        writeByte((Rdb.ENCVAL << 6) | Rdb.ENC_LZF);
        writeLength(written);
        writeLength(length);
        write(compressed, 0, written);
    }

    /** A double as ZSET_2 stores it: 8 bytes, little-endian IEEE 754. */
    public void writeBinaryDouble(double value) {
        writeLittleEndian(Double.doubleToRawLongBits(value), 8);
    }
}
