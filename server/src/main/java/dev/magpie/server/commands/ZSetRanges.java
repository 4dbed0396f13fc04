package dev.magpie.server.commands;

import dev.magpie.server.command.Arguments;
import dev.magpie.server.types.ZSetValue;

import java.util.Arrays;

/**
 * Score and lex intervals as ZRANGEBYSCORE, ZRANGEBYLEX and friends read them: "(" makes a
 * bound exclusive; scores go through C's strtod (so "" is 0 and "1e999" is inf), lex bounds are
 * "[x", "(x", "-" or "+". Also where such an interval starts and ends in a set, the way Redis's
 * listpack and skiplist code find them (including its "is anything in range at all" checks).
 */
final class ZSetRanges {
    private ZSetRanges() {
    }

    /** A score interval. */
    static final class ScoreRange {
        double min;
        double max;
        boolean minExclusive;
        boolean maxExclusive;
        final ZSetValue.Test gteMin = (m, o, l, s) -> gteMin(s);
        final ZSetValue.Test lteMax = (m, o, l, s) -> lteMax(s);

        boolean gteMin(double value) {
            return minExclusive ? value > min : value >= min;
        }

        boolean lteMax(double value) {
            return maxExclusive ? value < max : value <= max;
        }

        boolean alwaysEmpty() {
            return min > max || (min == max && (minExclusive || maxExclusive));
        }
    }

    /** Parses both bounds; false when either is not a float to Redis. */
    static boolean parseScores(Arguments args, int minIndex, int maxIndex, ScoreRange range, ScoreFormat.Parsed scratch) {
        range.minExclusive = args.length(minIndex) > 0 && args.byteAt(minIndex, 0) == '(';
        range.maxExclusive = args.length(maxIndex) > 0 && args.byteAt(maxIndex, 0) == '(';
        if (!parseBound(args, minIndex, range.minExclusive, scratch)) {
            return false;
        }
        range.min = scratch.value;
        if (!parseBound(args, maxIndex, range.maxExclusive, scratch)) {
            return false;
        }
        range.max = scratch.value;
        return true;
    }

    private static boolean parseBound(Arguments args, int i, boolean exclusive, ScoreFormat.Parsed scratch) {
        byte[] data = args.data();
        int start = args.offset(i) + (exclusive ? 1 : 0);
        int end = args.offset(i) + args.length(i);
        for (int p = start; p < end; p++) {
            if (data[p] == 0) {
                end = p;
                break;
            }
        }
        ScoreFormat.strtod(data, start, end, scratch);
        return scratch.end == end && !Double.isNaN(scratch.value);
    }

    /** A lex interval; a null bound with its flag set is "-" (min) or "+" (max). */
    static final class LexRange {
        byte[] min;
        byte[] max;
        boolean minExclusive;
        boolean maxExclusive;
        /** 0 for a string, -1 for "-", +1 for "+". */
        int minKind;
        int maxKind;
        final ZSetValue.Test gteMin = (m, o, l, s) -> gteMin(m, o, l);
        final ZSetValue.Test lteMax = (m, o, l, s) -> lteMax(m, o, l);

        boolean gteMin(byte[] m, int o, int l) {
            int cmp = compare(m, o, l, min, minKind);
            return minExclusive ? cmp > 0 : cmp >= 0;
        }

        boolean lteMax(byte[] m, int o, int l) {
            int cmp = compare(m, o, l, max, maxKind);
            return maxExclusive ? cmp < 0 : cmp <= 0;
        }

        private static int compare(byte[] m, int o, int l, byte[] bound, int kind) {
            if (kind != 0) {
                return -kind;
            }
            return Arrays.compareUnsigned(m, o, o + l, bound, 0, bound.length);
        }

        boolean alwaysEmpty() {
            int cmp;
            if (minKind != 0 || maxKind != 0) {
                cmp = minKind == maxKind ? 0 : (minKind == -1 || maxKind == 1) ? -1 : 1;
            } else {
                cmp = Arrays.compareUnsigned(min, max);
            }
            return cmp > 0 || (cmp == 0 && (minExclusive || maxExclusive));
        }
    }

    static boolean parseLex(Arguments args, int minIndex, int maxIndex, LexRange range) {
        int kind = lexItem(args, minIndex);
        if (kind == Integer.MIN_VALUE) {
            return false;
        }
        range.minKind = kind == 2 ? 0 : kind;
        range.minExclusive = kind != 2 || args.byteAt(minIndex, 0) == '(';
        range.min = kind == 2 ? Arrays.copyOfRange(args.data(), args.offset(minIndex) + 1,
                args.offset(minIndex) + args.length(minIndex)) : null;
        kind = lexItem(args, maxIndex);
        if (kind == Integer.MIN_VALUE) {
            return false;
        }
        range.maxKind = kind == 2 ? 0 : kind;
        range.maxExclusive = kind != 2 || args.byteAt(maxIndex, 0) == '(';
        range.max = kind == 2 ? Arrays.copyOfRange(args.data(), args.offset(maxIndex) + 1,
                args.offset(maxIndex) + args.length(maxIndex)) : null;
        return true;
    }

    /** -1 for "-", 1 for "+", 2 for "[x"/"(x", MIN_VALUE when invalid (C reads up to a NUL). */
    private static int lexItem(Arguments args, int i) {
        if (args.length(i) == 0) {
            return Integer.MIN_VALUE;
        }
        byte first = args.byteAt(i, 0);
        boolean alone = args.length(i) == 1 || args.byteAt(i, 1) == 0;
        switch (first) {
            case '+':
                return alone ? 1 : Integer.MIN_VALUE;
            case '-':
                return alone ? -1 : Integer.MIN_VALUE;
            case '(':
            case '[':
                return 2;
            default:
                return Integer.MIN_VALUE;
        }
    }

    // ---- locating intervals in a set ------------------------------------------------------

    /** True when some element may be in range: Redis's zslIsInRange / zzlIsInRange. */
    static boolean inRange(ZSetValue set, ScoreRange range) {
        if (range.alwaysEmpty() || set.size() == 0) {
            return false;
        }
        ZSetValue.Cursor cursor = set.cursor();
        if (!range.gteMin(cursor.seek(set.size() - 1).score())) {
            return false;
        }
        return range.lteMax(cursor.seek(0).score());
    }

    static boolean inRange(ZSetValue set, LexRange range) {
        if (range.alwaysEmpty() || set.size() == 0) {
            return false;
        }
        ZSetValue.Cursor c = set.cursor().seek(set.size() - 1);
        if (!range.gteMin(c.memberArray(), c.memberOffset(), c.memberLength())) {
            return false;
        }
        c.seek(0);
        return range.lteMax(c.memberArray(), c.memberOffset(), c.memberLength());
    }

    /** Rank of the first element in range, or -1. */
    static long first(ZSetValue set, ScoreRange range) {
        if (!inRange(set, range)) {
            return -1;
        }
        long rank = set.firstRank(range.gteMin);
        if (rank < 0 || !range.lteMax(set.cursor().seek(rank).score())) {
            return -1;
        }
        return rank;
    }

    /** Rank of the last element in range, or -1. */
    static long last(ZSetValue set, ScoreRange range) {
        if (!inRange(set, range)) {
            return -1;
        }
        long rank = set.lastRank(range.lteMax);
        if (rank < 0 || !range.gteMin(set.cursor().seek(rank).score())) {
            return -1;
        }
        return rank;
    }

    static long first(ZSetValue set, LexRange range) {
        if (!inRange(set, range)) {
            return -1;
        }
        long rank = set.firstRank(range.gteMin);
        if (rank < 0) {
            return -1;
        }
        ZSetValue.Cursor c = set.cursor().seek(rank);
        return range.lteMax(c.memberArray(), c.memberOffset(), c.memberLength()) ? rank : -1;
    }

    static long last(ZSetValue set, LexRange range) {
        if (!inRange(set, range)) {
            return -1;
        }
        long rank = set.lastRank(range.lteMax);
        if (rank < 0) {
            return -1;
        }
        ZSetValue.Cursor c = set.cursor().seek(rank);
        return range.gteMin(c.memberArray(), c.memberOffset(), c.memberLength()) ? rank : -1;
    }
}
