package dev.magpie.server.types.hll;

/**
 * The sparse encoding, a run-length code of the registers with three opcodes: ZERO
 * ({@code 00xxxxxx}, 1..64 zero registers), XZERO ({@code 01xxxxxx yyyyyyyy}, 1..16384 zero
 * registers) and VAL ({@code 1vvvvvxx}, 1..4 registers of value 1..32). Updates split and
 * merge opcodes exactly as Redis does, so a value built here has Redis's bytes.
 */
public final class HllSparse {
    private static final int VAL_MAX_VALUE = 32;
    private static final int VAL_MAX_LEN = 4;
    private static final int ZERO_MAX_LEN = 64;

    private HllSparse() {
    }

    static boolean isZero(int op) {
        return (op & 0xC0) == 0;
    }

    static boolean isXZero(int op) {
        return (op & 0xC0) == 0x40;
    }

    static boolean isVal(int op) {
        return (op & 0x80) != 0;
    }

    static int valValue(int op) {
        return ((op >>> 2) & 0x1F) + 1;
    }

    static int valLength(int op) {
        return (op & 3) + 1;
    }

    static byte val(int value, int length) {
        return (byte) (0x80 | (value - 1) << 2 | (length - 1));
    }

    static void putXZero(byte[] d, int at, int length) {
        int l = length - 1;
        d[at] = (byte) (l >>> 8 | 0x40);
        d[at + 1] = (byte) l;
    }

    /**
     * Raises register {@code index} to {@code count} in a sparse value: 1 when it changed, 0 when
     * it already held as much, -1 when the value is corrupt. Promotes the value to dense when the
     * count does not fit a VAL opcode or the value would outgrow {@code maxBytes}.
     */
    public static int set(HllValue v, int index, int count, long maxBytes) {
        if (count > VAL_MAX_VALUE) {
            return promote(v, index, count);
        }
        v.ensureCapacity(v.length + 3);
        byte[] d = v.data;
        int start = Hll.HEADER;
        int end = v.length;
        int p = start;
        int first = 0;
        int prev = -1;
        int span = 0;
        while (p < end) {
            int op = d[p] & 0xFF;
            int opLength = 1;
            if (isZero(op)) {
                span = (op & 0x3F) + 1;
            } else if (isVal(op)) {
                span = valLength(op);
            } else {
                span = ((op & 0x3F) << 8 | v.byteAt(p + 1)) + 1;
                opLength = 2;
            }
            if (index <= first + span - 1) {
                break;
            }
            prev = p;
            p += opLength;
            first += span;
        }
        if (span == 0 || p >= end) {
            return -1;
        }
        int op = d[p] & 0xFF;
        int next = isXZero(op) ? p + 2 : p + 1;
        if (next >= end) {
            next = -1;
        }
        boolean zero = isZero(op);
        boolean xzero = isXZero(op);
        boolean val = isVal(op);
        int runLength = zero ? (op & 0x3F) + 1 : xzero ? span : valLength(op);
        if (val) {
            if (valValue(op) >= count) {
                return 0;
            }
            if (runLength == 1) {
                d[p] = val(count, 1);
                return merged(v, prev, end);
            }
        }
        if (zero && runLength == 1) {
            d[p] = val(count, 1);
            return merged(v, prev, end);
        }
        // The general case: split the opcode into up to three (at most five bytes).
        byte[] seq = v.sequence;
        int n = 0;
        int last = first + span - 1;
        if (zero || xzero) {
            if (index != first) {
                n = putZeros(seq, n, index - first);
            }
            seq[n++] = val(count, 1);
            if (index != last) {
                n = putZeros(seq, n, last - index);
            }
        } else {
            int current = valValue(op);
            if (index != first) {
                seq[n++] = val(current, index - first);
            }
            seq[n++] = val(count, 1);
            if (index != last) {
                seq[n++] = val(current, last - index);
            }
        }
        int delta = n - (xzero ? 2 : 1);
        if (delta > 0 && (long) v.length + delta > maxBytes) {
            return promote(v, index, count);
        }
        if (delta != 0 && next >= 0) {
            System.arraycopy(d, next, d, next + delta, end - next);
        }
        v.length += delta;
        System.arraycopy(seq, 0, d, p, n);
        end += delta;
        return merged(v, prev, end);
    }

    private static int putZeros(byte[] seq, int n, int length) {
        if (length > ZERO_MAX_LEN) {
            putXZero(seq, n, length);
            return n + 2;
        }
        seq[n] = (byte) (length - 1);
        return n + 1;
    }

    /** Joins neighbouring VAL opcodes of equal value around the update, as Redis does (five opcodes from the previous one). */
    private static int merged(HllValue v, int prev, int end) {
        byte[] d = v.data;
        int p = prev >= 0 ? prev : Hll.HEADER;
        int scan = 5;
        while (p < end && scan-- > 0) {
            int op = d[p] & 0xFF;
            if (isXZero(op)) {
                p += 2;
                continue;
            }
            if (isZero(op)) {
                p++;
                continue;
            }
            if (p + 1 < end && isVal(d[p + 1] & 0xFF)) {
                int nextOp = d[p + 1] & 0xFF;
                if (valValue(op) == valValue(nextOp)) {
                    int length = valLength(op) + valLength(nextOp);
                    if (length <= VAL_MAX_LEN) {
                        d[p + 1] = val(valValue(op), length);
                        System.arraycopy(d, p + 1, d, p, end - p - 1);
                        v.length--;
                        end--;
                        continue;
                    }
                }
            }
            p++;
        }
        v.invalidateCache();
        return 1;
    }

    private static int promote(HllValue v, int index, int count) {
        if (!v.toDense()) {
            return -1;
        }
        HllDense.raise(v.data, Hll.HEADER, index, count);
        return 1;
    }

    /** The dense form of a sparse value (header copied, encoding changed), or null when the body is corrupt. */
    static byte[] toDense(byte[] d, int length) {
        byte[] dense = new byte[Hll.DENSE_SIZE];
        System.arraycopy(d, 0, dense, 0, Hll.HEADER);
        dense[Hll.ENCODING_AT] = Hll.DENSE;
        int index = 0;
        int p = Hll.HEADER;
        while (p < length) {
            int op = d[p] & 0xFF;
            if (isZero(op)) {
                index += (op & 0x3F) + 1;
                p++;
            } else if (isXZero(op)) {
                index += ((op & 0x3F) << 8 | (p + 1 < length ? d[p + 1] & 0xFF : 0)) + 1;
                p += 2;
            } else {
                int run = valLength(op);
                int value = valValue(op);
                if (run + index > Hll.REGISTERS) {
                    break;
                }
                while (run-- > 0) {
                    HllDense.set(dense, Hll.HEADER, index++, value);
                }
                p++;
            }
        }
        return index == Hll.REGISTERS ? dense : null;
    }

    /** Adds the registers' values to the histogram; false when the body does not cover exactly 16384 registers. */
    static boolean histogram(byte[] d, int length, int[] histogram) {
        int index = 0;
        int p = Hll.HEADER;
        while (p < length) {
            int op = d[p] & 0xFF;
            if (isZero(op)) {
                int run = (op & 0x3F) + 1;
                index += run;
                histogram[0] += run;
                p++;
            } else if (isXZero(op)) {
                int run = ((op & 0x3F) << 8 | (p + 1 < length ? d[p + 1] & 0xFF : 0)) + 1;
                index += run;
                histogram[0] += run;
                p += 2;
            } else {
                int run = valLength(op);
                index += run;
                histogram[valValue(op)] += run;
                p++;
            }
        }
        return index == Hll.REGISTERS;
    }

    /** Raises {@code max[i]} to each register's value; false when the body is corrupt. */
    static boolean maxInto(byte[] d, int length, byte[] max) {
        int index = 0;
        int p = Hll.HEADER;
        while (p < length) {
            int op = d[p] & 0xFF;
            if (isZero(op)) {
                index += (op & 0x3F) + 1;
                p++;
            } else if (isXZero(op)) {
                index += ((op & 0x3F) << 8 | (p + 1 < length ? d[p + 1] & 0xFF : 0)) + 1;
                p += 2;
            } else {
                int run = valLength(op);
                int value = valValue(op);
                if (run + index > Hll.REGISTERS) {
                    break;
                }
                while (run-- > 0) {
                    if (value > (max[index] & 0xFF)) {
                        max[index] = (byte) value;
                    }
                    index++;
                }
                p++;
            }
        }
        return index == Hll.REGISTERS;
    }

    /** PFDEBUG DECODE's text: "z:N", "Z:N" and "v:value,run" separated by spaces. */
    public static String decode(byte[] d, int length) {
        StringBuilder out = new StringBuilder();
        int p = Hll.HEADER;
        while (p < length) {
            int op = d[p] & 0xFF;
            if (isZero(op)) {
                out.append("z:").append((op & 0x3F) + 1).append(' ');
                p++;
            } else if (isXZero(op)) {
                out.append("Z:").append(((op & 0x3F) << 8 | (p + 1 < length ? d[p + 1] & 0xFF : 0)) + 1).append(' ');
                p += 2;
            } else {
                out.append("v:").append(valValue(op)).append(',').append(valLength(op)).append(' ');
                p++;
            }
        }
        int trimmed = out.length();
        while (trimmed > 0 && out.charAt(trimmed - 1) == ' ') {
            trimmed--;
        }
        return out.substring(0, trimmed);
    }
}
