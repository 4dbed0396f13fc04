package dev.magpie.server.commands;

import dev.magpie.server.keyspace.Entry;
import dev.magpie.server.types.StringValues;

/** The lenient number parsing DEBUG inherits from C (atoi, strtod) and DEBUG OBJECT's figures. */
final class DebugNumbers {
    private DebugNumbers() {
    }

    /** C's atoi: optional blanks and sign, then as many digits as there are; 0 when none. */
    static long atoi(String text) {
        int i = skipBlanks(text, 0);
        boolean negative = false;
        if (i < text.length() && (text.charAt(i) == '+' || text.charAt(i) == '-')) {
            negative = text.charAt(i++) == '-';
        }
        long value = 0;
        while (i < text.length() && Character.isDigit(text.charAt(i)) && value < Integer.MAX_VALUE) {
            value = value * 10 + (text.charAt(i++) - '0');
        }
        return negative ? -value : value;
    }

    /** C's strtod over the longest decimal prefix; 0 when there is none. */
    static double strtod(String text) {
        int start = skipBlanks(text, 0);
        int i = start;
        if (i < text.length() && (text.charAt(i) == '+' || text.charAt(i) == '-')) {
            i++;
        }
        int digits = 0;
        while (i < text.length() && Character.isDigit(text.charAt(i))) {
            i++;
            digits++;
        }
        if (i < text.length() && text.charAt(i) == '.') {
            i++;
            while (i < text.length() && Character.isDigit(text.charAt(i))) {
                i++;
                digits++;
            }
        }
        if (digits == 0) {
            return 0;
        }
        int mantissaEnd = i;
        if (i < text.length() && (text.charAt(i) == 'e' || text.charAt(i) == 'E')) {
            int j = i + 1;
            if (j < text.length() && (text.charAt(j) == '+' || text.charAt(j) == '-')) {
                j++;
            }
            int exponentStart = j;
            while (j < text.length() && Character.isDigit(text.charAt(j))) {
                j++;
            }
            if (j > exponentStart) {
                mantissaEnd = j;
            }
        }
        try {
            return Double.parseDouble(text.substring(start, mantissaEnd));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static int skipBlanks(String text, int i) {
        while (i < text.length() && Character.isWhitespace(text.charAt(i))) {
            i++;
        }
        return i;
    }

    static String encodingName(byte encoding) {
        return switch (encoding) {
            case Entry.ENCODING_INT -> "int";
            case Entry.ENCODING_EMBSTR -> "embstr";
            case Entry.ENCODING_RAW -> "raw";
            default -> "unknown";
        };
    }

    /**
     * The bytes the value would take in an RDB file, uncompressed: integers that fit 32 bits as
     * a type byte plus 1, 2 or 4 bytes, everything else as a length prefix plus the bytes. Redis
     * LZF-compresses strings over 20 bytes when that saves space; we report them uncompressed.
     */
    static long serializedLength(long entry) {
        if (Entry.type(entry) != Entry.TYPE_STRING) {
            return Entry.valueLength(entry);
        }
        if (Entry.encoding(entry) == Entry.ENCODING_INT) {
            long value = Entry.intValue(entry);
            if (value >= Byte.MIN_VALUE && value <= Byte.MAX_VALUE) {
                return 2;
            }
            if (value >= Short.MIN_VALUE && value <= Short.MAX_VALUE) {
                return 3;
            }
            if (value >= Integer.MIN_VALUE && value <= Integer.MAX_VALUE) {
                return 5;
            }
        }
        long length = StringValues.length(entry);
        return lengthPrefix(length) + length;
    }

    private static int lengthPrefix(long length) {
        if (length < 64) {
            return 1;
        }
        if (length < 16384) {
            return 2;
        }
        return length <= 0xFFFFFFFFL ? 5 : 9;
    }
}
