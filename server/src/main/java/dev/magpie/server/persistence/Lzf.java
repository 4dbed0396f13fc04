package dev.magpie.server.persistence;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * LZF, the compression RDB files use for strings (rdbcompression): literal runs of up to 32
 * bytes behind a control byte below 32, and back references of 3 to 264 bytes up to 8 KB back.
 * Any correct LZF stream loads in Redis; this encoder is a greedy one-hash-probe matcher that
 * steps faster through data it finds no matches in.
 *
 * <p>An instance keeps its hash table between calls (one per thread): stale slots are told
 * apart by a base that grows with every call, so small strings do not pay for clearing it.
 */
public final class Lzf {
    private static final int HASH_LOG = 13;
    private static final int MAX_OFFSET = 1 << 13;
    private static final int MAX_REF = (1 << 8) + (1 << 3);
    private static final int MAX_LITERAL = 32;
    /**
     * After 2^SKIP_SHIFT positions in a row without a match the search steps two bytes at a time,
     * then three, and so on: data that does not compress is given up on quickly, and a match
     * resets the step.
     */
    private static final int SKIP_SHIFT = 5;
    private static final VarHandle INTS = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private final int[] table = new int[1 << HASH_LOG];
    private int base = 1;

    /**
     * Compresses {@code input[offset, offset+length)} into {@code out}; returns the compressed
     * length, or 0 when it does not fit in {@code outLimit} bytes (the caller stores it plainly).
     */
    public int compress(byte[] input, int offset, int length, byte[] out, int outLimit) {
        if (base > Integer.MAX_VALUE - length - MAX_OFFSET - 2) {
            java.util.Arrays.fill(table, 0);
            base = 1;
        }
        int start = base;
        base += length + 1;
        int ip = 0;
        int literalStart = 0;
        int op = 0;
        int misses = 0;
        // Each probe reads four bytes (three are hashed), so it stops one byte short of the end.
        int lastProbe = length - 4;
        while (ip <= lastProbe) {
            int at = offset + ip;
            int next3 = (int) INTS.get(input, at) & 0xFFFFFF;
            int h = (next3 * 0x9E3779B1) >>> (32 - HASH_LOG);
            int ref = table[h] - start;
            table[h] = ip + start;
            if (ref >= 0 && ip - ref - 1 < MAX_OFFSET
                    && ((int) INTS.get(input, offset + ref) & 0xFFFFFF) == next3) {
                int len = 3 + matchLength(input, offset + ref + 3, at + 3, Math.min(MAX_REF, length - ip) - 3);
                op = literals(input, offset + literalStart, ip - literalStart, out, op, outLimit);
                if (op < 0 || op + 3 > outLimit) {
                    return 0;
                }
                int distance = ip - ref - 1;
                int code = len - 2;
                if (code < 7) {
                    out[op++] = (byte) ((code << 5) | (distance >>> 8));
                } else {
                    out[op++] = (byte) ((7 << 5) | (distance >>> 8));
                    out[op++] = (byte) (code - 7);
                }
                out[op++] = (byte) distance;
                ip += len;
                literalStart = ip;
                misses = 0;
            } else {
                ip += 1 + (misses++ >>> SKIP_SHIFT);
            }
        }
        op = literals(input, offset + literalStart, length - literalStart, out, op, outLimit);
        return op < 0 ? 0 : op;
    }

    /** How many of {@code input[a, a+max)} and {@code input[b, b+max)} are equal from the start. */
    private static int matchLength(byte[] input, int a, int b, int max) {
        int len = 0;
        while (len + 8 <= max) {
            long diff = (long) LONGS.get(input, a + len) ^ (long) LONGS.get(input, b + len);
            if (diff != 0) {
                return len + (Long.numberOfTrailingZeros(diff) >>> 3);
            }
            len += 8;
        }
        while (len < max && input[a + len] == input[b + len]) {
            len++;
        }
        return len;
    }

    private static int literals(byte[] input, int from, int count, byte[] out, int op, int outLimit) {
        while (count > 0) {
            int run = Math.min(count, MAX_LITERAL);
            if (op + 1 + run > outLimit) {
                return -1;
            }
            out[op++] = (byte) (run - 1);
            System.arraycopy(input, from, out, op, run);
            op += run;
            from += run;
            count -= run;
        }
        return op;
    }

    /**
     * Decompresses exactly {@code expected} bytes; returns null when the stream is malformed or
     * does not produce exactly that many bytes.
     */
    public static byte[] decompress(byte[] input, int offset, int length, int expected) {
        byte[] out = new byte[expected];
        int ip = offset;
        int end = offset + length;
        int op = 0;
        while (ip < end) {
            int control = input[ip++] & 0xFF;
            if (control < 32) {
                int run = control + 1;
                if (ip + run > end || op + run > expected) {
                    return null;
                }
                System.arraycopy(input, ip, out, op, run);
                ip += run;
                op += run;
            } else {
                int len = control >>> 5;
                if (len == 7) {
                    if (ip >= end) {
                        return null;
                    }
                    len += input[ip++] & 0xFF;
                }
                if (ip >= end) {
                    return null;
                }
                int ref = op - ((control & 0x1F) << 8) - 1 - (input[ip++] & 0xFF);
                len += 2;
                if (ref < 0 || op + len > expected) {
                    return null;
                }
                if (op - ref >= len) {
                    System.arraycopy(out, ref, out, op, len);
                    op += len;
                } else if (op - ref == 1) {
                    // A run of one repeated byte, the commonest overlapping reference.
                    java.util.Arrays.fill(out, op, op + len, out[ref]);
                    op += len;
                } else {
                    for (int i = 0; i < len; i++) {
                        out[op++] = out[ref++];
                    }
                }
            }
        }
        return op == expected ? out : null;
    }
}
