package dev.magpie.server.persistence;

import java.util.Arrays;

/**
 * Finds whole commands in AOF bytes, strictly: {@code *<argc>\r\n} then argc times
 * {@code $<len>\r\n<bytes>\r\n}, as Redis's loader reads them. It tells a command cut short
 * by the end of the data (a truncated tail) from bytes that cannot be a command (corruption).
 */
final class AofScanner {
    /** The data ends inside this command. */
    static final int INCOMPLETE = -1;
    /** The bytes are not a command. */
    static final int CORRUPT = -2;

    private int[] offsets = new int[16];
    private int[] lengths = new int[16];
    private int argc;
    private String problem;

    /**
     * Scans one command starting at {@code from}; returns the offset after it, or
     * {@link #INCOMPLETE} / {@link #CORRUPT} (then {@link #problem()} says why).
     */
    int scan(byte[] data, int from, int end) {
        int at = from;
        if (at >= end) {
            return INCOMPLETE;
        }
        if (data[at] != '*') {
            problem = "expected '*'";
            return CORRUPT;
        }
        long count = readNumber(data, at + 1, end);
        if (count == INCOMPLETE_NUMBER) {
            return INCOMPLETE;
        }
        if (count < 1 || count > Integer.MAX_VALUE) {
            problem = "invalid argument count";
            return CORRUPT;
        }
        at = numberEnd;
        argc = (int) count;
        if (offsets.length < argc) {
            offsets = Arrays.copyOf(offsets, argc);
            lengths = Arrays.copyOf(lengths, argc);
        }
        for (int i = 0; i < argc; i++) {
            if (at >= end) {
                return INCOMPLETE;
            }
            if (data[at] != '$') {
                problem = "expected '$'";
                return CORRUPT;
            }
            long length = readNumber(data, at + 1, end);
            if (length == INCOMPLETE_NUMBER) {
                return INCOMPLETE;
            }
            if (length < 0 || length > Integer.MAX_VALUE - 2) {
                problem = "invalid bulk length";
                return CORRUPT;
            }
            at = numberEnd;
            if ((long) at + length + 2 > end) {
                return INCOMPLETE;
            }
            offsets[i] = at;
            lengths[i] = (int) length;
            at += (int) length;
            if (data[at] != '\r' || data[at + 1] != '\n') {
                problem = "bulk string not terminated by CRLF";
                return CORRUPT;
            }
            at += 2;
        }
        return at;
    }

    private static final long INCOMPLETE_NUMBER = Long.MIN_VALUE;
    private static final long BAD_NUMBER = -1;
    private int numberEnd;

    /** Reads digits up to CRLF; INCOMPLETE_NUMBER if the data ends first, BAD_NUMBER if malformed. */
    private long readNumber(byte[] data, int from, int end) {
        long value = 0;
        int at = from;
        int digits = 0;
        while (true) {
            if (at >= end) {
                return INCOMPLETE_NUMBER;
            }
            byte b = data[at];
            if (b == '\r') {
                if (at + 1 >= end) {
                    return INCOMPLETE_NUMBER;
                }
                if (data[at + 1] != '\n' || digits == 0) {
                    return BAD_NUMBER;
                }
                numberEnd = at + 2;
                return value;
            }
            if (b < '0' || b > '9' || digits > 18) {
                return BAD_NUMBER;
            }
            value = value * 10 + (b - '0');
            digits++;
            at++;
        }
    }

    int argc() {
        return argc;
    }

    int argOffset(int i) {
        return offsets[i];
    }

    int argLength(int i) {
        return lengths[i];
    }

    String problem() {
        return problem;
    }

    /** Whether argument {@code i} equals {@code word}, ignoring ASCII case. */
    boolean is(byte[] data, int i, String word) {
        if (lengths[i] != word.length()) {
            return false;
        }
        for (int k = 0; k < word.length(); k++) {
            if (Character.toLowerCase((char) data[offsets[i] + k]) != word.charAt(k)) {
                return false;
            }
        }
        return true;
    }
}
