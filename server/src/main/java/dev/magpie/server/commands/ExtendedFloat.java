package dev.magpie.server.commands;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;

/**
 * The x87 80-bit extended float that Redis's INCRBYFLOAT computes in ({@code long double} on
 * x86-64 Linux), emulated exactly: 64-bit significand, round-half-even, subnormals, overflow to
 * infinity. Parsing follows glibc's strtold as Redis calls it, formatting follows
 * {@code "%.17Lf"} with trailing zeros trimmed, so results match Redis digit for digit
 * (a Java double would differ from the 16th significant digit on).
 *
 * <p>A value is {@code significand * 2^exponent}, the significand below 2^64.
 */
final class ExtendedFloat {
    /** The exponent of the least subnormal, 2^-16445. */
    private static final long MIN_EXPONENT = -16445;
    /** Finite values stay below 2^16384. */
    private static final long OVERFLOW_BITS = 16384;
    private static final int SIGNIFICAND_BITS = 64;
    /** Redis's MAX_LONG_DOUBLE_CHARS: longer inputs are not floats to it. */
    static final int MAX_TEXT = 5 * 1024;
    private static final BigInteger TEN_POW_17 = BigInteger.TEN.pow(17);
    private static final ExtendedFloat ZERO = new ExtendedFloat(false, BigInteger.ZERO, 0, false);
    private static final ExtendedFloat POSITIVE_INFINITY = new ExtendedFloat(false, BigInteger.ZERO, 0, true);
    private static final ExtendedFloat NEGATIVE_INFINITY = new ExtendedFloat(true, BigInteger.ZERO, 0, true);

    private final boolean negative;
    private final BigInteger significand;
    private final long exponent;
    private final boolean infinite;

    private ExtendedFloat(boolean negative, BigInteger significand, long exponent, boolean infinite) {
        this.negative = negative;
        this.significand = significand;
        this.exponent = exponent;
        this.infinite = infinite;
    }

    static ExtendedFloat of(long value) {
        if (value == 0) {
            return ZERO;
        }
        BigInteger magnitude = BigInteger.valueOf(value).abs();
        return new ExtendedFloat(value < 0, magnitude, 0, false);
    }

    boolean isInfinite() {
        return infinite;
    }

    /**
     * Parses text as Redis's string2ld does, or returns null when Redis would answer "not a
     * valid float": no leading space, nothing after the number, no NaN, no overflow, no
     * non-zero number that underflows to zero, no NUL byte.
     */
    static ExtendedFloat parse(byte[] text, int offset, int length) {
        if (length == 0 || length >= MAX_TEXT) {
            return null;
        }
        int end = offset + length;
        for (int i = offset; i < end; i++) {
            if (text[i] == 0) {
                return null; // strtold would stop there, short of the whole text
            }
        }
        if (isSpace(text[offset])) {
            return null;
        }
        return new Parser(text, offset, end).parse();
    }

    /** The exactly rounded sum, possibly infinite (never NaN: infinite inputs are refused before). */
    ExtendedFloat add(ExtendedFloat other) {
        if (infinite || other.infinite) {
            return infinite ? this : other;
        }
        if (significand.signum() == 0) {
            return other;
        }
        if (other.significand.signum() == 0) {
            return this;
        }
        long low = Math.min(exponent, other.exponent);
        BigInteger a = significand.shiftLeft((int) (exponent - low));
        BigInteger b = other.significand.shiftLeft((int) (other.exponent - low));
        BigInteger sum = (negative ? a.negate() : a).add(other.negative ? b.negate() : b);
        if (sum.signum() == 0) {
            return ZERO;
        }
        return round(sum.signum() < 0, sum.abs(), BigInteger.ONE, low);
    }

    /** The text Redis stores: {@code %.17Lf}, trailing zeros and a bare point removed, "-0" as "0". */
    String format() {
        if (infinite) {
            return negative ? "-inf" : "inf";
        }
        String sign = negative ? "-" : "";
        if (exponent >= 0) {
            String digits = significand.shiftLeft((int) exponent).toString();
            return "0".equals(digits) ? "0" : sign + digits;
        }
        int fractionBits = (int) -exponent;
        BigInteger scaled = significand.multiply(TEN_POW_17);
        BigInteger quotient = scaled.shiftRight(fractionBits);
        BigInteger remainder = scaled.subtract(quotient.shiftLeft(fractionBits));
        int half = remainder.compareTo(BigInteger.ONE.shiftLeft(fractionBits - 1));
        if (half > 0 || (half == 0 && quotient.testBit(0))) {
            quotient = quotient.add(BigInteger.ONE);
        }
        BigInteger[] parts = quotient.divideAndRemainder(TEN_POW_17);
        String fraction = parts[1].toString();
        int last = fraction.length();
        while (last > 0 && fraction.charAt(last - 1) == '0') {
            last--;
        }
        StringBuilder out = new StringBuilder(sign).append(parts[0]);
        if (last > 0) {
            out.append('.');
            for (int pad = fraction.length(); pad < 17; pad++) {
                out.append('0');
            }
            out.append(fraction, 0, last);
        }
        String result = out.toString();
        return "-0".equals(result) ? "0" : result;
    }

    byte[] formatBytes() {
        return format().getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * {@code (long long) ceill(value * 1000.0)} computed in long double, as Redis 7.0 turns a timeout
     * in seconds into milliseconds: the product rounded to 64 significant bits, then rounded up to a
     * whole number. Out of range (infinities included) gives Long.MIN_VALUE, as x86-64's conversion does.
     */
    long timesThousandCeiling() {
        if (infinite) {
            return Long.MIN_VALUE;
        }
        if (significand.signum() == 0) {
            return 0;
        }
        ExtendedFloat product = round(negative, significand.multiply(BigInteger.valueOf(1000)), BigInteger.ONE, exponent);
        if (product.infinite || product.significand.bitLength() + product.exponent > 63) {
            return Long.MIN_VALUE;
        }
        if (product.exponent >= 0) {
            long whole = product.significand.shiftLeft((int) product.exponent).longValue();
            return product.negative ? -whole : whole;
        }
        int fractionBits = (int) -product.exponent;
        long whole = product.significand.shiftRight(fractionBits).longValue();
        boolean fraction = product.significand.getLowestSetBit() < fractionBits;
        if (product.negative) {
            return -whole;
        }
        return fraction ? whole + 1 : whole;
    }

    /**
     * Rounds {@code numerator / denominator * 2^shift} (both positive) to the nearest extended
     * value, ties to even; below the normal range the precision shrinks as x87 subnormals do.
     */
    private static ExtendedFloat round(boolean negative, BigInteger numerator, BigInteger denominator, long shift) {
        long e = numerator.bitLength() - denominator.bitLength() + shift - SIGNIFICAND_BITS;
        e = Math.max(e, MIN_EXPONENT);
        BigInteger[] qr = divide(numerator, denominator, shift - e);
        int excess = qr[0].bitLength() - SIGNIFICAND_BITS;
        if (excess > 0) {
            e += excess;
            qr = divide(numerator, denominator, shift - e);
        }
        BigInteger q = qr[0];
        BigInteger twiceRemainder = qr[1].shiftLeft(1);
        BigInteger divisor = qr[2];
        int half = twiceRemainder.compareTo(divisor);
        if (half > 0 || (half == 0 && q.testBit(0))) {
            q = q.add(BigInteger.ONE);
            if (q.bitLength() > SIGNIFICAND_BITS) {
                q = q.shiftRight(1);
                e++;
            }
        }
        if (q.signum() == 0) {
            return ZERO;
        }
        if (e + q.bitLength() > OVERFLOW_BITS) {
            return negative ? NEGATIVE_INFINITY : POSITIVE_INFINITY;
        }
        return new ExtendedFloat(negative, q, e, false);
    }

    /** Floor of {@code numerator * 2^scale / denominator}: quotient, remainder and the divisor used. */
    private static BigInteger[] divide(BigInteger numerator, BigInteger denominator, long scale) {
        BigInteger n = scale >= 0 ? numerator.shiftLeft((int) scale) : numerator;
        BigInteger d = scale >= 0 ? denominator : denominator.shiftLeft((int) -scale);
        BigInteger[] qr = n.divideAndRemainder(d);
        return new BigInteger[] {qr[0], qr[1], d};
    }

    private static boolean isSpace(byte b) {
        return b == ' ' || (b >= '\t' && b <= '\r');
    }

    /** glibc strtold's grammar, required to cover the whole text. */
    private static final class Parser {
        private final byte[] text;
        private final int end;
        private int at;

        Parser(byte[] text, int offset, int end) {
            this.text = text;
            this.at = offset;
            this.end = end;
        }

        ExtendedFloat parse() {
            boolean negative = false;
            if (text[at] == '+' || text[at] == '-') {
                negative = text[at] == '-';
                at++;
            }
            if (word("infinity") || word("inf")) {
                return at == end ? (negative ? NEGATIVE_INFINITY : POSITIVE_INFINITY) : null;
            }
            if (end - at >= 2 && text[at] == '0' && (text[at + 1] | 0x20) == 'x') {
                return hexadecimal(negative);
            }
            return decimal(negative);
        }

        private boolean word(String word) {
            if (end - at < word.length()) {
                return false;
            }
            for (int i = 0; i < word.length(); i++) {
                if ((text[at + i] | 0x20) != word.charAt(i)) {
                    return false;
                }
            }
            at += word.length();
            return true;
        }

        private ExtendedFloat decimal(boolean negative) {
            StringBuilder digits = new StringBuilder();
            int fractionDigits = 0;
            boolean any = false;
            while (at < end && isDigit(text[at])) {
                digits.append((char) text[at++]);
                any = true;
            }
            if (at < end && text[at] == '.') {
                at++;
                while (at < end && isDigit(text[at])) {
                    digits.append((char) text[at++]);
                    fractionDigits++;
                    any = true;
                }
            }
            if (!any) {
                return null;
            }
            long exponent = 0;
            if (at < end && (text[at] | 0x20) == 'e') {
                at++;
                exponent = exponentDigits();
                if (exponent == Long.MIN_VALUE) {
                    return null;
                }
            }
            if (at != end) {
                return null;
            }
            BigInteger mantissa = new BigInteger(digits.toString());
            if (mantissa.signum() == 0) {
                return ZERO;
            }
            long power = exponent - fractionDigits;
            long magnitude = mantissa.toString().length() + power;
            if (magnitude > 4940) {
                return null;
            }
            if (magnitude < -4960) {
                return null;
            }
            ExtendedFloat value = power >= 0
                    ? round(negative, mantissa.multiply(BigInteger.TEN.pow((int) power)), BigInteger.ONE, 0)
                    : round(negative, mantissa, BigInteger.TEN.pow((int) -power), 0);
            return acceptable(value);
        }

        private ExtendedFloat hexadecimal(boolean negative) {
            at += 2;
            BigInteger mantissa = BigInteger.ZERO;
            long binaryExponent = 0;
            boolean any = false;
            while (at < end && Character.digit(text[at], 16) >= 0) {
                mantissa = mantissa.shiftLeft(4).add(BigInteger.valueOf(Character.digit(text[at++], 16)));
                any = true;
            }
            if (at < end && text[at] == '.') {
                at++;
                while (at < end && Character.digit(text[at], 16) >= 0) {
                    mantissa = mantissa.shiftLeft(4).add(BigInteger.valueOf(Character.digit(text[at++], 16)));
                    binaryExponent -= 4;
                    any = true;
                }
            }
            if (!any) {
                return null;
            }
            if (at < end && (text[at] | 0x20) == 'p') {
                at++;
                long exponent = exponentDigits();
                if (exponent == Long.MIN_VALUE) {
                    return null;
                }
                binaryExponent += exponent;
            }
            if (at != end) {
                return null;
            }
            if (mantissa.signum() == 0) {
                return ZERO;
            }
            long bits = mantissa.bitLength() + binaryExponent;
            if (bits > OVERFLOW_BITS + 1 || bits < MIN_EXPONENT - 2) {
                return null;
            }
            return acceptable(round(negative, mantissa, BigInteger.ONE, binaryExponent));
        }

        /** Overflow and underflow to zero make strtold report ERANGE, which Redis refuses. */
        private static ExtendedFloat acceptable(ExtendedFloat value) {
            if (value.infinite || value.significand.signum() == 0) {
                return null;
            }
            return value;
        }

        /** A signed decimal exponent, saturated; Long.MIN_VALUE when there are no digits. */
        private long exponentDigits() {
            boolean negative = false;
            if (at < end && (text[at] == '+' || text[at] == '-')) {
                negative = text[at] == '-';
                at++;
            }
            if (at >= end || !isDigit(text[at])) {
                return Long.MIN_VALUE;
            }
            long value = 0;
            while (at < end && isDigit(text[at])) {
                value = Math.min(value * 10 + (text[at++] - '0'), 1_000_000_000L);
            }
            return negative ? -value : value;
        }

        private static boolean isDigit(byte b) {
            return b >= '0' && b <= '9';
        }
    }
}
