package dev.magpie.server.persistence;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Redis's CRC-64 (the "Jones" polynomial 0xad93d23594c935a9, reflected, initial value 0, no final
 * xor), which checks RDB files and DUMP payloads. Sixteen bytes per step through sixteen tables: one
 * table lookup per byte would make the checksum the slowest part of a save.
 */
public final class Crc64 {
    private static final long POLY = Long.reverse(0xad93d23594c935a9L);
    /** Slicing-by-16: table t (t = 0..15) at [256 t, 256 t + 256), one flat array of constant length. */
    private static final long[] TABLE = new long[16 * 256];
    /** Eight bytes in one load: assembling them byte by byte cost more than the table lookups. */
    private static final VarHandle WORDS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    static {
        for (int i = 0; i < 256; i++) {
            long crc = i;
            for (int bit = 0; bit < 8; bit++) {
                crc = (crc & 1) != 0 ? (crc >>> 1) ^ POLY : crc >>> 1;
            }
            TABLE[i] = crc;
        }
        for (int i = 0; i < 256; i++) {
            long crc = TABLE[i];
            for (int t = 1; t < 16; t++) {
                crc = TABLE[(int) (crc & 0xFF)] ^ (crc >>> 8);
                TABLE[t * 256 + i] = crc;
            }
        }
    }

    private Crc64() {
    }

    /** Continues {@code crc} over {@code data[offset, offset+length)}. */
    public static long update(long crc, byte[] data, int offset, int length) {
        long[] t = TABLE;
        int i = offset;
        int end = offset + length;
        while (end - i >= 16) {
            long low = crc ^ (long) WORDS.get(data, i);
            long high = (long) WORDS.get(data, i + 8);
            crc = t[0xF00 | (int) (low & 0xFF)] ^ t[0xE00 | (int) ((low >>> 8) & 0xFF)]
                    ^ t[0xD00 | (int) ((low >>> 16) & 0xFF)] ^ t[0xC00 | (int) ((low >>> 24) & 0xFF)]
                    ^ t[0xB00 | (int) ((low >>> 32) & 0xFF)] ^ t[0xA00 | (int) ((low >>> 40) & 0xFF)]
                    ^ t[0x900 | (int) ((low >>> 48) & 0xFF)] ^ t[0x800 | (int) (low >>> 56)]
                    ^ t[0x700 | (int) (high & 0xFF)] ^ t[0x600 | (int) ((high >>> 8) & 0xFF)]
                    ^ t[0x500 | (int) ((high >>> 16) & 0xFF)] ^ t[0x400 | (int) ((high >>> 24) & 0xFF)]
                    ^ t[0x300 | (int) ((high >>> 32) & 0xFF)] ^ t[0x200 | (int) ((high >>> 40) & 0xFF)]
                    ^ t[0x100 | (int) ((high >>> 48) & 0xFF)] ^ t[(int) (high >>> 56)];
            i += 16;
        }
        while (end - i >= 8) {
            long word = crc ^ (long) WORDS.get(data, i);
            crc = t[0x700 | (int) (word & 0xFF)] ^ t[0x600 | (int) ((word >>> 8) & 0xFF)]
                    ^ t[0x500 | (int) ((word >>> 16) & 0xFF)] ^ t[0x400 | (int) ((word >>> 24) & 0xFF)]
                    ^ t[0x300 | (int) ((word >>> 32) & 0xFF)] ^ t[0x200 | (int) ((word >>> 40) & 0xFF)]
                    ^ t[0x100 | (int) ((word >>> 48) & 0xFF)] ^ t[(int) (word >>> 56)];
            i += 8;
        }
        while (i < end) {
            crc = t[(int) ((crc ^ data[i++]) & 0xFF)] ^ (crc >>> 8);
        }
        return crc;
    }

    public static long of(byte[] data, int offset, int length) {
        return update(0, data, offset, length);
    }
}
