package dev.magpie.server.persistence;

/**
 * Redis's CRC-64 (the "Jones" polynomial 0xad93d23594c935a9, reflected, initial value 0, no final
 * xor), which checks RDB files and DUMP payloads. Slicing-by-8 tables: one table lookup per byte
 * would make the checksum the slowest part of a save.
 */
public final class Crc64 {
    private static final long POLY = Long.reverse(0xad93d23594c935a9L);
    private static final long[][] TABLES = new long[8][256];

    static {
        for (int i = 0; i < 256; i++) {
            long crc = i;
            for (int bit = 0; bit < 8; bit++) {
                crc = (crc & 1) != 0 ? (crc >>> 1) ^ POLY : crc >>> 1;
            }
            TABLES[0][i] = crc;
        }
        for (int i = 0; i < 256; i++) {
            long crc = TABLES[0][i];
            for (int t = 1; t < 8; t++) {
                crc = TABLES[0][(int) (crc & 0xFF)] ^ (crc >>> 8);
                TABLES[t][i] = crc;
            }
        }
    }

    private Crc64() {
    }

    /** Continues {@code crc} over {@code data[offset, offset+length)}. */
    public static long update(long crc, byte[] data, int offset, int length) {
        long[] t0 = TABLES[0];
        long[] t1 = TABLES[1];
        long[] t2 = TABLES[2];
        long[] t3 = TABLES[3];
        long[] t4 = TABLES[4];
        long[] t5 = TABLES[5];
        long[] t6 = TABLES[6];
        long[] t7 = TABLES[7];
        int i = offset;
        int end = offset + length;
        while (end - i >= 8) {
            long word = crc ^ ((data[i] & 0xFFL) | (data[i + 1] & 0xFFL) << 8 | (data[i + 2] & 0xFFL) << 16
                    | (data[i + 3] & 0xFFL) << 24 | (data[i + 4] & 0xFFL) << 32 | (data[i + 5] & 0xFFL) << 40
                    | (data[i + 6] & 0xFFL) << 48 | (data[i + 7] & 0xFFL) << 56);
            crc = t7[(int) (word & 0xFF)] ^ t6[(int) ((word >>> 8) & 0xFF)] ^ t5[(int) ((word >>> 16) & 0xFF)]
                    ^ t4[(int) ((word >>> 24) & 0xFF)] ^ t3[(int) ((word >>> 32) & 0xFF)]
                    ^ t2[(int) ((word >>> 40) & 0xFF)] ^ t1[(int) ((word >>> 48) & 0xFF)] ^ t0[(int) (word >>> 56)];
            i += 8;
        }
        while (i < end) {
            crc = t0[(int) ((crc ^ data[i++]) & 0xFF)] ^ (crc >>> 8);
        }
        return crc;
    }

    public static long of(byte[] data, int offset, int length) {
        return update(0, data, offset, length);
    }
}
