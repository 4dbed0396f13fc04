package dev.magpie.server.commands;

import dev.magpie.protocol.RespWriter;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * Doubles as Redis 7.0 reads and prints them. Printing is C's {@code "%.17g"} computed from the
 * exact binary value (Java's own formatter rounds the shortest decimal form instead, which
 * differs in the 17th digit), with "inf"/"-inf"; RESP3 sends the double type. Parsing is C's
 * {@code strtod}: leading spaces, hex floats, "inf"/"infinity"/"nan" and the point where it stops.
 */
public final class ScoreFormat {
    private static final MathContext SEVENTEEN = new MathContext(17, RoundingMode.HALF_EVEN);
    private static final double INTEGER_FAST_LIMIT = 1e17;

    private ScoreFormat() {
    }

    /** {@code "%.17g"} of {@code value}, or "inf"/"-inf"/"nan". */
    public static String format(double value) {
        if (Double.isInfinite(value)) {
            return value > 0 ? "inf" : "-inf";
        }
        if (Double.isNaN(value)) {
            return "nan";
        }
        if (value == 0) {
            return (Double.doubleToRawLongBits(value) < 0) ? "-0" : "0";
        }
        if (value == Math.rint(value) && Math.abs(value) < INTEGER_FAST_LIMIT) {
            return Long.toString((long) value);
        }
        BigDecimal rounded = new BigDecimal(value).round(SEVENTEEN);
        String digits = rounded.unscaledValue().abs().toString();
        // Exponent of the leading digit, as %e would print it.
        int exponent = digits.length() - 1 - rounded.scale();
        digits = stripZeros(digits);
        StringBuilder out = new StringBuilder(26);
        if (value < 0) {
            out.append('-');
        }
        if (exponent < -4 || exponent >= 17) {
            out.append(digits.charAt(0));
            if (digits.length() > 1) {
                out.append('.').append(digits, 1, digits.length());
            }
            out.append(exponent < 0 ? "e-" : "e+");
            int magnitude = Math.abs(exponent);
            if (magnitude < 10) {
                out.append('0');
            }
            out.append(magnitude);
        } else if (exponent < 0) {
            out.append("0.");
            for (int i = -1; i > exponent; i--) {
                out.append('0');
            }
            out.append(digits);
        } else if (digits.length() <= exponent + 1) {
            out.append(digits);
            for (int i = digits.length(); i <= exponent; i++) {
                out.append('0');
            }
        } else {
            out.append(digits, 0, exponent + 1).append('.').append(digits, exponent + 1, digits.length());
        }
        return out.toString();
    }

    private static String stripZeros(String digits) {
        int end = digits.length();
        while (end > 1 && digits.charAt(end - 1) == '0') {
            end--;
        }
        return digits.substring(0, end);
    }

    /**
     * A score as Redis's listpack holds it (its d2string): integral values up to 2^62 as plain
     * integers, others as {@code "%.17g"}; ZSCAN of a small set shows these.
     */
    public static String listpackText(double value) {
        if (value == Math.rint(value) && Math.abs(value) <= 0x1p62) {
            return Long.toString((long) value);
        }
        return format(value);
    }

    /** Writes a score reply: a bulk string in RESP2, the double type in RESP3. */
    public static void reply(RespWriter out, double value) {
        out.doubleValue(format(value));
    }

    /**
     * Redis's {@code "%.17Lf"} of a double widened to long double, trailing zeros (and a bare
     * point) removed, "-0" shown as "0": the "human" form GEOPOS and WITHCOORD print.
     */
    public static String human(double value) {
        if (Double.isInfinite(value)) {
            return value > 0 ? "inf" : "-inf";
        }
        BigDecimal fixed = new BigDecimal(value).setScale(17, RoundingMode.HALF_EVEN);
        String text = fixed.toPlainString();
        int end = text.length();
        while (text.charAt(end - 1) == '0') {
            end--;
        }
        if (text.charAt(end - 1) == '.') {
            end--;
        }
        text = text.substring(0, end);
        return text.equals("-0") ? "0" : text;
    }

    // ---- parsing ------------------------------------------------------------------------------

    /** Result holder of {@link #strtod}: the value and where parsing stopped (engine thread only). */
    public static final class Parsed {
        public double value;
        /** Index just past the number; equal to the start when nothing was read. */
        public int end;
        /** True when a finite number overflowed or a non-zero one underflowed to zero (C's ERANGE). */
        public boolean range;
    }

    /**
     * Redis's string2d (ZADD scores, weights, increments): the whole text must be a number for
     * strtod, with no leading space, no NaN, no overflow and no underflow to zero. Returns NaN
     * when it is not a valid float (a real NaN is refused too).
     */
    public static double parseStrict(byte[] data, int offset, int length, Parsed scratch) {
        if (length == 0 || isSpace(data[offset])) {
            return Double.NaN;
        }
        strtod(data, offset, offset + length, scratch);
        if (scratch.end != offset + length || scratch.range || Double.isNaN(scratch.value)) {
            return Double.NaN;
        }
        return scratch.value;
    }

    /**
     * C's strtod over {@code data[offset..end)}, where a NUL byte also ends the text: skips
     * leading white space, reads an optional sign, then "inf", "infinity", "nan[(...)]", a hex
     * float or a decimal one. When nothing is read, {@code end} is {@code offset} and the value 0.
     */
    public static void strtod(byte[] data, int offset, int end, Parsed out) {
        out.value = 0;
        out.end = offset;
        out.range = false;
        for (int i = offset; i < end; i++) {
            if (data[i] == 0) {
                end = i;
                break;
            }
        }
        int i = offset;
        while (i < end && isSpace(data[i])) {
            i++;
        }
        boolean negative = false;
        if (i < end && (data[i] == '+' || data[i] == '-')) {
            negative = data[i] == '-';
            i++;
        }
        if (matchesWord(data, i, end, "infinity")) {
            out.value = negative ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
            out.end = i + 8;
            return;
        }
        if (matchesWord(data, i, end, "inf")) {
            out.value = negative ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
            out.end = i + 3;
            return;
        }
        if (matchesWord(data, i, end, "nan")) {
            int stop = i + 3;
            if (stop < end && data[stop] == '(') {
                int j = stop + 1;
                while (j < end && (Character.isLetterOrDigit(data[j]) || data[j] == '_')) {
                    j++;
                }
                if (j < end && data[j] == ')') {
                    stop = j + 1;
                }
            }
            out.value = Double.NaN;
            out.end = stop;
            return;
        }
        if (i + 1 < end && data[i] == '0' && (data[i + 1] | 0x20) == 'x') {
            if (hex(data, i + 2, end, negative, out)) {
                return;
            }
            // "0x" without hex digits: strtod reads the "0" alone.
            out.value = negative ? -0.0 : 0.0;
            out.end = i + 1;
            return;
        }
        decimal(data, i, end, negative, out);
    }

    private static void decimal(byte[] data, int start, int end, boolean negative, Parsed out) {
        int i = start;
        boolean nonZero = false;
        int digits = 0;
        while (i < end && isDigit(data[i])) {
            nonZero |= data[i] != '0';
            i++;
            digits++;
        }
        if (i < end && data[i] == '.') {
            i++;
            while (i < end && isDigit(data[i])) {
                nonZero |= data[i] != '0';
                i++;
                digits++;
            }
        }
        if (digits == 0) {
            return;
        }
        int mantissaEnd = i;
        if (i < end && (data[i] | 0x20) == 'e') {
            int j = i + 1;
            if (j < end && (data[j] == '+' || data[j] == '-')) {
                j++;
            }
            if (j < end && isDigit(data[j])) {
                while (j < end && isDigit(data[j])) {
                    j++;
                }
                i = j;
            }
        }
        String text = new String(data, start, i - start, java.nio.charset.StandardCharsets.ISO_8859_1);
        double value;
        try {
            value = Double.parseDouble(text);
        } catch (NumberFormatException e) {
            return;
        }
        if (Double.isInfinite(value) || (value == 0 && nonZero)) {
            out.range = true;
        }
        out.value = negative ? -value : value;
        out.end = i;
        assert mantissaEnd <= i;
    }

    private static boolean hex(byte[] data, int start, int end, boolean negative, Parsed out) {
        int i = start;
        int digits = 0;
        boolean nonZero = false;
        while (i < end && Character.digit(data[i], 16) >= 0) {
            nonZero |= data[i] != '0';
            i++;
            digits++;
        }
        if (i < end && data[i] == '.') {
            i++;
            while (i < end && Character.digit(data[i], 16) >= 0) {
                nonZero |= data[i] != '0';
                i++;
                digits++;
            }
        }
        if (digits == 0) {
            return false;
        }
        String mantissa = new String(data, start, i - start, java.nio.charset.StandardCharsets.ISO_8859_1);
        String exponent = "0";
        if (i < end && (data[i] | 0x20) == 'p') {
            int j = i + 1;
            if (j < end && (data[j] == '+' || data[j] == '-')) {
                j++;
            }
            if (j < end && isDigit(data[j])) {
                while (j < end && isDigit(data[j])) {
                    j++;
                }
                exponent = new String(data, i + 1, j - i - 1, java.nio.charset.StandardCharsets.ISO_8859_1);
                i = j;
            }
        }
        if (mantissa.startsWith(".")) {
            mantissa = "0" + mantissa;
        }
        double value;
        try {
            value = Double.parseDouble("0x" + mantissa + "p" + clampExponent(exponent));
        } catch (NumberFormatException e) {
            return false;
        }
        if (Double.isInfinite(value) || (value == 0 && nonZero)) {
            out.range = true;
        }
        out.value = negative ? -value : value;
        out.end = i;
        return true;
    }

    /** Java refuses exponents beyond an int; any such exponent over- or underflows anyway. */
    private static String clampExponent(String exponent) {
        boolean negative = exponent.startsWith("-");
        String digits = exponent.replaceFirst("^[+-]", "").replaceFirst("^0+(?=\\d)", "");
        if (digits.length() > 6) {
            return negative ? "-999999" : "999999";
        }
        return (negative ? "-" : "") + digits;
    }

    private static boolean matchesWord(byte[] data, int i, int end, String word) {
        if (end - i < word.length()) {
            return false;
        }
        for (int k = 0; k < word.length(); k++) {
            if ((data[i + k] | 0x20) != word.charAt(k)) {
                return false;
            }
        }
        return true;
    }

    private static boolean isDigit(byte b) {
        return b >= '0' && b <= '9';
    }

    static boolean isSpace(byte b) {
        return b == ' ' || (b >= '\t' && b <= '\r');
    }
}
