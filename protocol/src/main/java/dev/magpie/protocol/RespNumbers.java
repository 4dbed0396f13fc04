package dev.magpie.protocol;

/** Redis's strict integer syntax (its {@code string2ll}): no sign but '-', no leading zeros, no spaces. */
public final class RespNumbers {
    /** Returned by {@link #parseLong} for text that is not a valid 64-bit integer. */
    public static final long INVALID = Long.MIN_VALUE;

    private RespNumbers() {
    }

    /**
     * Parses {@code bytes[offset..offset+length)}. Because {@link Long#MIN_VALUE} is the failure marker,
     * callers that must accept it check {@link #isMinValue} first.
     */
    public static long parseLong(byte[] bytes, int offset, int length) {
        if (length == 0 || length > 20) {
            return INVALID;
        }
        if (length == 1 && bytes[offset] == '0') {
            return 0;
        }
        int i = offset;
        int end = offset + length;
        boolean negative = false;
        if (bytes[i] == '-') {
            negative = true;
            i++;
            if (i == end) {
                return INVALID;
            }
        }
        byte first = bytes[i];
        if (first < '1' || first > '9') {
            return INVALID;
        }
        long value = 0;
        for (; i < end; i++) {
            int digit = bytes[i] - '0';
            if (digit < 0 || digit > 9) {
                return INVALID;
            }
            if (value > (Long.MAX_VALUE - digit) / 10) {
                return negative && isMinValueDigits(bytes, offset, length) ? Long.MIN_VALUE : INVALID;
            }
            value = value * 10 + digit;
        }
        return negative ? -value : value;
    }

    public static boolean isMinValue(byte[] bytes, int offset, int length) {
        return isMinValueDigits(bytes, offset, length);
    }

    private static final byte[] MIN_VALUE_TEXT = "-9223372036854775808".getBytes();

    private static boolean isMinValueDigits(byte[] bytes, int offset, int length) {
        if (length != MIN_VALUE_TEXT.length) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            if (bytes[offset + i] != MIN_VALUE_TEXT[i]) {
                return false;
            }
        }
        return true;
    }

    /** Number of decimal characters {@code value} prints as. */
    public static int decimalLength(long value) {
        if (value == Long.MIN_VALUE) {
            return 20;
        }
        int length = 1;
        if (value < 0) {
            length++;
            value = -value;
        }
        while (value >= 10) {
            value /= 10;
            length++;
        }
        return length;
    }
}
