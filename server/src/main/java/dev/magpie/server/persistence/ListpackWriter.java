package dev.magpie.server.persistence;

import dev.magpie.protocol.RespNumbers;
import dev.magpie.server.keyspace.OffHeap;

import java.util.Arrays;

/**
 * Builds a listpack exactly as Redis 7.0 lays one out (the blob RDB types 16, 17 and 18 carry):
 * a 6-byte header (total bytes, element count), elements that are integers when their text is
 * a canonical 64-bit integer, each followed by its back-length, and a 0xFF terminator.
 */
final class ListpackWriter {
    private static final int HEADER = 6;
    private byte[] buf = new byte[256];
    private int size;
    private int count;
    private final byte[] digits = new byte[24];
    /** A short element copied out of native memory, to see whether it is an integer. */
    private final byte[] text = new byte[20];

    void begin() {
        size = HEADER;
        count = 0;
    }

    int count() {
        return count;
    }

    /** Bytes so far, with the terminator to come. */
    int bytes() {
        return size + 1;
    }

    private void ensure(int more) {
        if (size + more > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, size + more));
        }
    }

    void addString(byte[] data, int offset, int length) {
        if (length > 0 && length <= 20) {
            long value = RespNumbers.parseLong(data, offset, length);
            if (value != RespNumbers.INVALID || RespNumbers.isMinValue(data, offset, length)) {
                addInteger(value);
                return;
            }
        }
        int start = stringHeader(length);
        System.arraycopy(data, offset, buf, size, length);
        endString(start, length);
    }

    /** {@link #addString(byte[], int, int)} for bytes in native memory (a list's node). */
    void addString(long address, int length) {
        if (length > 0 && length <= 20) {
            OffHeap.copyToArray(address, text, 0, length);
            addString(text, 0, length);
            return;
        }
        int start = stringHeader(length);
        OffHeap.copyToArray(address, buf, size, length);
        endString(start, length);
    }

    private void endString(int start, int length) {
        size += length;
        backLength(size - start);
        count++;
    }

    /** Makes room for a string of {@code length} bytes and writes its header; returns where the element starts. */
    private int stringHeader(int length) {
        ensure(length + 10);
        int start = size;
        if (length < 64) {
            buf[size++] = (byte) (0x80 | length);
        } else if (length < 4096) {
            buf[size++] = (byte) (0xE0 | (length >>> 8));
            buf[size++] = (byte) length;
        } else {
            buf[size++] = (byte) 0xF0;
            for (int i = 0; i < 4; i++) {
                buf[size++] = (byte) (length >>> (8 * i));
            }
        }
        return start;
    }

    void addInteger(long value) {
        ensure(16);
        int start = size;
        if (value >= 0 && value <= 127) {
            buf[size++] = (byte) value;
        } else if (value >= -4096 && value <= 4095) {
            long v = value < 0 ? (1L << 13) + value : value;
            buf[size++] = (byte) (0xC0 | (v >>> 8));
            buf[size++] = (byte) v;
        } else if (value >= Short.MIN_VALUE && value <= Short.MAX_VALUE) {
            buf[size++] = (byte) 0xF1;
            little(value, 2);
        } else if (value >= -(1 << 23) && value <= (1 << 23) - 1) {
            buf[size++] = (byte) 0xF2;
            little(value, 3);
        } else if (value >= Integer.MIN_VALUE && value <= Integer.MAX_VALUE) {
            buf[size++] = (byte) 0xF3;
            little(value, 4);
        } else {
            buf[size++] = (byte) 0xF4;
            little(value, 8);
        }
        backLength(size - start);
        count++;
    }

    /** A double as Redis's listpack sorted sets keep scores: text, or an integer when integral. */
    void addScore(double score) {
        byte[] text = dev.magpie.server.commands.ScoreFormat.listpackText(score)
                .getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        addString(text, 0, text.length);
    }

    void addLong(long value) {
        addInteger(value);
    }

    private void little(long value, int bytes) {
        for (int i = 0; i < bytes; i++) {
            buf[size++] = (byte) (value >>> (8 * i));
        }
    }

    private void backLength(int l) {
        if (l <= 127) {
            buf[size++] = (byte) l;
        } else if (l < 16383) {
            buf[size++] = (byte) (l >>> 7);
            buf[size++] = (byte) ((l & 127) | 128);
        } else if (l < 2097151) {
            buf[size++] = (byte) (l >>> 14);
            buf[size++] = (byte) (((l >>> 7) & 127) | 128);
            buf[size++] = (byte) ((l & 127) | 128);
        } else if (l < 268435455) {
            buf[size++] = (byte) (l >>> 21);
            buf[size++] = (byte) (((l >>> 14) & 127) | 128);
            buf[size++] = (byte) (((l >>> 7) & 127) | 128);
            buf[size++] = (byte) ((l & 127) | 128);
        } else {
            buf[size++] = (byte) (l >>> 28);
            buf[size++] = (byte) (((l >>> 21) & 127) | 128);
            buf[size++] = (byte) (((l >>> 14) & 127) | 128);
            buf[size++] = (byte) (((l >>> 7) & 127) | 128);
            buf[size++] = (byte) ((l & 127) | 128);
        }
    }

    /** Terminates the listpack and fills its header; the blob is {@code array()[0, length)}. */
    int finish() {
        ensure(1);
        buf[size++] = (byte) 0xFF;
        for (int i = 0; i < 4; i++) {
            buf[i] = (byte) (size >>> (8 * i));
        }
        int shown = Math.min(count, 65535);
        buf[4] = (byte) shown;
        buf[5] = (byte) (shown >>> 8);
        return size;
    }

    byte[] array() {
        return buf;
    }

    byte[] digits() {
        return digits;
    }
}
