package dev.magpie.server.util;

/**
 * Redis's glob matching over raw bytes (its {@code stringmatchlen}), quirks included, because
 * KEYS, SCAN MATCH and CONFIG GET patterns must select exactly what Redis selects:
 * <ul>
 *   <li>{@code *} any run of bytes, {@code ?} any one byte, {@code \x} the byte x;</li>
 *   <li>{@code [abc]}, {@code [^abc]}, ranges {@code [a-z]} (reversed bounds are swapped, bytes
 *       compare as signed chars as in C), {@code \]} inside a class; an unterminated class ends
 *       with the pattern; {@code [a-]} is the range from 'a' to ']';</li>
 *   <li>an empty subject matches only the empty pattern (so {@code "*"} alone does not match an
 *       empty key; KEYS and SCAN short-cut the lone {@code *} before matching, as Redis does).</li>
 * </ul>
 * Redis recurses at each {@code *}; every other token consumes exactly one byte, so backtracking
 * to the most recent {@code *} alone gives the same answers without recursion, and a hostile
 * pattern cannot overflow the engine thread's stack nor take exponential time.
 */
public final class GlobPattern {
    private GlobPattern() {
    }

    public static boolean matches(byte[] pattern, byte[] subject, boolean nocase) {
        return matches(pattern, 0, pattern.length, subject, 0, subject.length, nocase);
    }

    public static boolean matches(String pattern, String subject, boolean nocase) {
        return matches(pattern.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                subject.getBytes(java.nio.charset.StandardCharsets.UTF_8), nocase);
    }

    /** True when {@code subject[sOff, sOff+sLen)} matches {@code pattern[pOff, pOff+pLen)}. */
    public static boolean matches(byte[] pattern, int pOff, int pLen, byte[] subject, int sOff, int sLen,
                                  boolean nocase) {
        if (sLen == 0) {
            return pLen == 0;
        }
        int pEnd = pOff + pLen;
        int sEnd = sOff + sLen;
        int p = pOff;
        int s = sOff;
        int starP = -1;
        int starS = -1;
        while (true) {
            if (s == sEnd) {
                while (p < pEnd && pattern[p] == '*') {
                    p++;
                }
                if (p == pEnd) {
                    return true;
                }
            } else if (p < pEnd && pattern[p] == '*') {
                while (p + 1 < pEnd && pattern[p + 1] == '*') {
                    p++;
                }
                if (p + 1 == pEnd) {
                    return true;
                }
                starP = p;
                starS = s;
                p++;
                continue;
            } else if (p < pEnd) {
                int next = matchOne(pattern, p, pEnd, subject[s], nocase);
                if (next >= 0) {
                    p = next;
                    s++;
                    continue;
                }
            }
            // Mismatch: let the last '*' swallow one more byte; none left means no match at all.
            if (starP < 0 || ++starS >= sEnd) {
                return false;
            }
            s = starS;
            p = starP + 1;
        }
    }

    /** Matches one non-star token at {@code p} against byte {@code c}: the index after it, or -1. */
    private static int matchOne(byte[] pattern, int p, int pEnd, byte c, boolean nocase) {
        byte token = pattern[p];
        if (token == '?') {
            return p + 1;
        }
        if (token == '[') {
            return matchClass(pattern, p + 1, pEnd, c, nocase);
        }
        if (token == '\\' && pEnd - p >= 2) {
            p++;
        }
        return equal(pattern[p], c, nocase) ? p + 1 : -1;
    }

    private static int matchClass(byte[] pattern, int p, int pEnd, byte c, boolean nocase) {
        boolean not = at(pattern, p, pEnd) == '^';
        if (not) {
            p++;
        }
        boolean match = false;
        while (true) {
            int left = pEnd - p;
            byte b = at(pattern, p, pEnd);
            if (b == '\\' && left >= 2) {
                p++;
                if (pattern[p] == c) {
                    match = true;
                }
            } else if (b == ']') {
                break;
            } else if (left == 0) {
                // Unterminated: the class ends with the pattern.
                p--;
                break;
            } else if (left >= 3 && pattern[p + 1] == '-') {
                int start = pattern[p];
                int end = pattern[p + 2];
                int x = c;
                if (start > end) {
                    int t = start;
                    start = end;
                    end = t;
                }
                if (nocase) {
                    start = lower(start);
                    end = lower(end);
                    x = lower(x);
                }
                p += 2;
                if (x >= start && x <= end) {
                    match = true;
                }
            } else if (equal(b, c, nocase)) {
                match = true;
            }
            p++;
        }
        return match != not ? p + 1 : -1;
    }

    /** The pattern byte at {@code p}, or 0 past its end (C reads the string's terminator there). */
    private static byte at(byte[] pattern, int p, int pEnd) {
        return p < pEnd ? pattern[p] : 0;
    }

    private static boolean equal(byte a, byte b, boolean nocase) {
        return a == b || (nocase && lower(a) == lower(b));
    }

    /** C's tolower in the "C" locale: ASCII letters only. */
    private static int lower(int c) {
        return c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c;
    }
}
