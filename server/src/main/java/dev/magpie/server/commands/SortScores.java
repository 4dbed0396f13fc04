package dev.magpie.server.commands;

/**
 * Turns SORT's weights into doubles the way Redis does with C's strtod over the value read as a
 * C string: leading white space, an optional sign, a decimal or hexadecimal number or
 * inf/infinity, and nothing after it but the end (or a NUL byte). A value with no number at
 * all but also nothing else (the empty string) weighs 0. NaN and out-of-range values are
 * errors, reported as {@link #INVALID}.
 */
final class SortScores {
    /** Marks a weight Redis refuses ("One or more scores can't be converted into double"). */
    static final double INVALID = Double.NaN;

    private SortScores() {
    }

    static double parse(byte[] text) {
        int end = 0;
        while (end < text.length && text[end] != 0) {
            end++;
        }
        if (end == 0) {
            return 0;
        }
        int i = 0;
        while (i < end && isSpace(text[i])) {
            i++;
        }
        int numberStart = i;
        boolean negative = false;
        if (i < end && (text[i] == '+' || text[i] == '-')) {
            negative = text[i] == '-';
            i++;
        }
        double value;
        int consumed;
        if (matchesWord(text, i, end, "infinity")) {
            value = Double.POSITIVE_INFINITY;
            consumed = i + 8;
        } else if (matchesWord(text, i, end, "inf")) {
            value = Double.POSITIVE_INFINITY;
            consumed = i + 3;
        } else if (matchesWord(text, i, end, "nan")) {
            return INVALID;
        } else if (i + 1 < end && text[i] == '0' && (text[i + 1] | 0x20) == 'x' && hasHexDigits(text, i + 2, end)) {
            consumed = hexEnd(text, i + 2, end);
            value = Double.parseDouble(hexLiteral(text, i, consumed));
            if (Double.isInfinite(value)) {
                return INVALID;
            }
        } else {
            consumed = decimalEnd(text, i, end);
            if (consumed < 0) {
                return INVALID; // no number at all: strtod consumed nothing, and something is left
            }
            String literal = new String(text, i, consumed - i, java.nio.charset.StandardCharsets.ISO_8859_1);
            value = Double.parseDouble(literal);
            if (Double.isInfinite(value) || (value == 0 && hasNonZeroDigit(text, i, consumed))
                    || (value != 0 && Math.abs(value) < Double.MIN_NORMAL)) {
                return INVALID; // ERANGE: overflow, or underflow to zero or to a subnormal
            }
        }
        if (consumed != end || numberStart == end) {
            return INVALID;
        }
        return negative ? -value : value;
    }

    private static boolean isSpace(byte b) {
        return b == ' ' || (b >= '\t' && b <= '\r');
    }

    private static boolean matchesWord(byte[] text, int at, int end, String word) {
        if (end - at < word.length()) {
            return false;
        }
        for (int j = 0; j < word.length(); j++) {
            if ((text[at + j] | 0x20) != word.charAt(j)) {
                return false;
            }
        }
        return true;
    }

    private static boolean isDigit(byte b) {
        return b >= '0' && b <= '9';
    }

    private static boolean isHexDigit(byte b) {
        return isDigit(b) || ((b | 0x20) >= 'a' && (b | 0x20) <= 'f');
    }

    private static boolean hasHexDigits(byte[] text, int at, int end) {
        if (at < end && isHexDigit(text[at])) {
            return true;
        }
        return at + 1 < end && text[at] == '.' && isHexDigit(text[at + 1]);
    }

    /** Where a decimal number starting at {@code at} ends, or -1 when there are no digits. */
    private static int decimalEnd(byte[] text, int at, int end) {
        int i = at;
        int digits = 0;
        while (i < end && isDigit(text[i])) {
            i++;
            digits++;
        }
        if (i < end && text[i] == '.') {
            i++;
            while (i < end && isDigit(text[i])) {
                i++;
                digits++;
            }
        }
        if (digits == 0) {
            return -1;
        }
        if (i < end && (text[i] | 0x20) == 'e') {
            int j = i + 1;
            if (j < end && (text[j] == '+' || text[j] == '-')) {
                j++;
            }
            if (j < end && isDigit(text[j])) {
                while (j < end && isDigit(text[j])) {
                    j++;
                }
                i = j;
            }
        }
        return i;
    }

    private static int hexEnd(byte[] text, int at, int end) {
        int i = at;
        while (i < end && isHexDigit(text[i])) {
            i++;
        }
        if (i < end && text[i] == '.') {
            i++;
            while (i < end && isHexDigit(text[i])) {
                i++;
            }
        }
        if (i < end && (text[i] | 0x20) == 'p') {
            int j = i + 1;
            if (j < end && (text[j] == '+' || text[j] == '-')) {
                j++;
            }
            if (j < end && isDigit(text[j])) {
                while (j < end && isDigit(text[j])) {
                    j++;
                }
                i = j;
            }
        }
        return i;
    }

    /** Java wants a binary exponent on every hexadecimal literal; C does not. */
    private static String hexLiteral(byte[] text, int at, int end) {
        String literal = new String(text, at, end - at, java.nio.charset.StandardCharsets.ISO_8859_1);
        return literal.toLowerCase(java.util.Locale.ROOT).contains("p") ? literal : literal + "p0";
    }

    private static boolean hasNonZeroDigit(byte[] text, int at, int end) {
        for (int i = at; i < end; i++) {
            if ((text[i] | 0x20) == 'e') {
                return false;
            }
            if (text[i] >= '1' && text[i] <= '9') {
                return true;
            }
        }
        return false;
    }
}
