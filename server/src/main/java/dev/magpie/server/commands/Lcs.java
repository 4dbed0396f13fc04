package dev.magpie.server.commands;

import dev.magpie.protocol.RespWriter;
import dev.magpie.server.command.Arguments;
import dev.magpie.server.command.CommandSpec;
import dev.magpie.server.command.CommandTable;
import dev.magpie.server.command.Errors;
import dev.magpie.server.command.KeySpec;
import dev.magpie.server.keyspace.Database;
import dev.magpie.server.keyspace.Entry;
import dev.magpie.server.session.Session;
import dev.magpie.server.types.StringValues;

import java.util.Arrays;

import static dev.magpie.server.command.CommandFlag.READONLY;

/**
 * LCS: the longest common subsequence of two strings, by the classic dynamic-programming
 * table, walked back from the end the same way Redis walks it so that the reported match
 * ranges (IDX) come out identical, in the same order.
 */
final class Lcs {
    private static final String NOT_STRINGS = "ERR The specified keys must contain string values";
    private static final String LEN_AND_IDX = "ERR If you want both the length and indexes, please just use IDX.";
    private static final String TABLE_TOO_BIG =
            "ERR Insufficient memory, transient memory for LCS exceeds proto-max-bulk-len";
    private static final String TABLE_ALLOCATION_FAILED =
            "ERR Insufficient memory, failed allocating transient memory for LCS";
    private static final byte[] EMPTY = new byte[0];

    private final StringCommands strings;

    Lcs(StringCommands strings) {
        this.strings = strings;
    }

    void register(CommandTable table) {
        table.register(CommandSpec.command("lcs").arity(-3).flags(READONLY).keys(1, 2, 1)
                .keySpec(KeySpec.range("RO access", 1, 1, 1, 0)).acl("read string slow")
                .group("string").since("7.0.0")
                .summary("Finds the longest common subsequence of two keys' string values, or its length or match positions.")
                .complexity("O(N*M) where N and M are the lengths of s1 and s2, respectively")
                .implementation(this::lcs));
    }

    private void lcs(Session session, Arguments args) {
        Database db = session.database();
        boolean touch = !session.noTouch();
        long first = db.lookupRead(args.data(), args.offset(1), args.length(1), touch);
        long second = db.lookupRead(args.data(), args.offset(2), args.length(2), touch);
        if ((first != 0 && Entry.type(first) != Entry.TYPE_STRING)
                || (second != 0 && Entry.type(second) != Entry.TYPE_STRING)) {
            strings.fail(session, NOT_STRINGS);
            return;
        }
        byte[] a = first == 0 ? EMPTY : StringValues.bytes(first);
        byte[] b = second == 0 ? EMPTY : StringValues.bytes(second);
        boolean wantLength = false;
        boolean wantIndexes = false;
        boolean withMatchLength = false;
        long minMatchLength = 0;
        for (int i = 3; i < args.count(); i++) {
            boolean moreArgs = i + 1 < args.count();
            if (StringCommands.option(args, i, "IDX")) {
                wantIndexes = true;
            } else if (StringCommands.option(args, i, "LEN")) {
                wantLength = true;
            } else if (StringCommands.option(args, i, "WITHMATCHLEN")) {
                withMatchLength = true;
            } else if (StringCommands.option(args, i, "MINMATCHLEN") && moreArgs) {
                minMatchLength = args.parseLong(i + 1);
                if (!args.parsedOk()) {
                    strings.fail(session, Errors.NOT_INTEGER);
                    return;
                }
                minMatchLength = Math.max(minMatchLength, 0);
                i++;
            } else {
                strings.fail(session, Errors.SYNTAX);
                return;
            }
        }
        if (wantLength && wantIndexes) {
            strings.fail(session, LEN_AND_IDX);
            return;
        }
        int[] table = allocateTable(session, a.length, b.length);
        if (table == null) {
            return;
        }
        fill(table, a, b);
        int width = b.length + 1;
        int length = table[a.length * width + b.length];
        if (wantLength) {
            session.out().integer(length);
            return;
        }
        walkBack(session.out(), table, a, b, length, wantIndexes, withMatchLength, minMatchLength);
    }

    private int[] allocateTable(Session session, int aLength, int bLength) {
        long cells = (long) (aLength + 1) * (bLength + 1);
        if (cells * Integer.BYTES > strings.engine().settings().integer("proto-max-bulk-len")) {
            strings.fail(session, TABLE_TOO_BIG);
            return null;
        }
        if (cells > Integer.MAX_VALUE - 16) {
            strings.fail(session, TABLE_ALLOCATION_FAILED);
            return null;
        }
        try {
            return new int[(int) cells];
        } catch (OutOfMemoryError e) {
            strings.fail(session, TABLE_ALLOCATION_FAILED);
            return null;
        }
    }

    /** table[i * (|b|+1) + j] = LCS length of a[0..i) and b[0..j). */
    private static void fill(int[] table, byte[] a, byte[] b) {
        int width = b.length + 1;
        for (int i = 1; i <= a.length; i++) {
            int row = i * width;
            int previousRow = row - width;
            byte ai = a[i - 1];
            for (int j = 1; j <= b.length; j++) {
                if (ai == b[j - 1]) {
                    table[row + j] = table[previousRow + j - 1] + 1;
                } else {
                    table[row + j] = Math.max(table[previousRow + j], table[row + j - 1]);
                }
            }
        }
    }

    /**
     * Rebuilds the subsequence from the end, collecting contiguous match ranges as it goes, and
     * writes the reply: the subsequence itself, or with IDX the map of matches and length.
     */
    private static void walkBack(RespWriter out, int[] table, byte[] a, byte[] b, int length, boolean wantIndexes,
                                 boolean withMatchLength, long minMatchLength) {
        int width = b.length + 1;
        byte[] result = new byte[length];
        int[] ranges = new int[wantIndexes ? 16 : 0];
        int rangeCount = 0;
        int idx = length;
        int aStart = a.length; // a.length marks "no range open"
        int aEnd = 0;
        int bStart = 0;
        int bEnd = 0;
        int i = a.length;
        int j = b.length;
        while (i > 0 && j > 0) {
            boolean emit = false;
            if (a[i - 1] == b[j - 1]) {
                result[idx - 1] = a[i - 1];
                if (aStart == a.length) {
                    aStart = i - 1;
                    aEnd = i - 1;
                    bStart = j - 1;
                    bEnd = j - 1;
                } else if (aStart == i && bStart == j) {
                    aStart--;
                    bStart--;
                } else {
                    emit = true;
                }
                if (aStart == 0 || bStart == 0) {
                    emit = true;
                }
                idx--;
                i--;
                j--;
            } else {
                if (table[(i - 1) * width + j] > table[i * width + j - 1]) {
                    i--;
                } else {
                    j--;
                }
                if (aStart != a.length) {
                    emit = true;
                }
            }
            if (emit) {
                int matchLength = aEnd - aStart + 1;
                if (wantIndexes && (minMatchLength == 0 || matchLength >= minMatchLength)) {
                    if (rangeCount * 4 + 4 > ranges.length) {
                        ranges = Arrays.copyOf(ranges, ranges.length * 2);
                    }
                    ranges[rangeCount * 4] = aStart;
                    ranges[rangeCount * 4 + 1] = aEnd;
                    ranges[rangeCount * 4 + 2] = bStart;
                    ranges[rangeCount * 4 + 3] = bEnd;
                    rangeCount++;
                }
                aStart = a.length;
            }
        }
        if (!wantIndexes) {
            out.bulk(result);
            return;
        }
        out.mapHeader(2);
        out.bulk("matches");
        out.arrayHeader(rangeCount);
        for (int r = 0; r < rangeCount; r++) {
            int base = r * 4;
            out.arrayHeader(withMatchLength ? 3 : 2);
            out.arrayHeader(2);
            out.integer(ranges[base]);
            out.integer(ranges[base + 1]);
            out.arrayHeader(2);
            out.integer(ranges[base + 2]);
            out.integer(ranges[base + 3]);
            if (withMatchLength) {
                out.integer(ranges[base + 1] - ranges[base] + 1);
            }
        }
        out.bulk("len");
        out.integer(length);
    }
}
