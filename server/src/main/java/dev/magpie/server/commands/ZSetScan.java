package dev.magpie.server.commands;

import dev.magpie.protocol.RespWriter;
import dev.magpie.server.command.Arguments;
import dev.magpie.server.command.CommandTable;
import dev.magpie.server.command.Errors;
import dev.magpie.server.session.Session;
import dev.magpie.server.types.Values;
import dev.magpie.server.types.ZSetValue;
import dev.magpie.server.util.GlobPattern;

import java.util.ArrayList;
import java.util.List;

import static dev.magpie.server.command.CommandFlag.READONLY;
import static dev.magpie.server.commands.SortedSetCommands.oneKey;
import static dev.magpie.server.commands.SortedSetCommands.zset;

/**
 * ZSCAN as Redis's scanGenericCommand runs it: a packed set comes back whole with cursor 0; a
 * large one is walked bucket by bucket with the reverse-binary cursor (COUNT buckets' worth,
 * at most ten times as many steps), then filtered by MATCH. Scores are bulk strings.
 */
final class ZSetScan {
    private final SortedSetCommands family;

    ZSetScan(SortedSetCommands family) {
        this.family = family;
    }

    void register(CommandTable table) {
        table.register(zset("zscan", -3, "Iterates over the members and scores of a sorted set, a few at a time.",
                "O(1) for every call. O(N) for a complete iteration, including enough command calls for the cursor "
                        + "to return back to 0. N is the number of elements inside the collection.")
                .since("2.8.0").flags(READONLY).keys(1, 1, 1).keySpec(oneKey("RO access"))
                .tips("nondeterministic_output").acl("read sortedset slow").implementation(this::zscan));
    }

    private void zscan(Session session, Arguments args) {
        long[] cursorHolder = new long[1];
        if (!parseCursor(args, 2, cursorHolder)) {
            family.fail(session, "ERR invalid cursor");
            return;
        }
        Object value = family.lookup(session, args, 1, false);
        if (value == Values.WRONG_TYPE) {
            return;
        }
        RespWriter out = session.out();
        if (value == null) {
            out.arrayHeader(2);
            out.bulk("0");
            out.emptyArray();
            return;
        }
        long count = 10;
        byte[] pattern = null;
        for (int i = 3; i < args.count(); ) {
            int left = args.count() - i;
            if (args.is(i, "COUNT") && left >= 2) {
                count = family.integer(session, args, i + 1);
                if (!args.parsedOk()) {
                    return;
                }
                if (count < 1) {
                    family.syntax(session);
                    return;
                }
                i += 2;
            } else if (args.is(i, "MATCH") && left >= 2) {
                pattern = args.bytes(i + 1);
                if (pattern.length == 1 && pattern[0] == '*') {
                    pattern = null;
                }
                i += 2;
            } else {
                family.fail(session, Errors.SYNTAX);
                return;
            }
        }
        ZSetValue set = (ZSetValue) value;
        List<byte[]> members = new ArrayList<>();
        List<Double> scores = new ArrayList<>();
        long cursor = cursorHolder[0];
        if (set.packed()) {
            if (set.size() > 0) {
                ZSetValue.Cursor c = set.cursor().seek(0);
                do {
                    members.add(c.memberCopy());
                    scores.add(c.score());
                } while (c.next());
            }
            cursor = 0;
        } else {
            long elements = count * 2;
            long maxIterations = count * 10;
            do {
                cursor = set.scanStep(cursor, (m, o, l, s) -> {
                    members.add(java.util.Arrays.copyOfRange(m, o, o + l));
                    scores.add(s);
                });
            } while (cursor != 0 && maxIterations-- != 0 && members.size() * 2L < elements);
        }
        int kept = 0;
        for (int i = 0; i < members.size(); i++) {
            if (pattern == null || GlobPattern.matches(pattern, members.get(i), false)) {
                members.set(kept, members.get(i));
                scores.set(kept, scores.get(i));
                kept++;
            }
        }
        out.arrayHeader(2);
        out.bulk(Long.toUnsignedString(cursor));
        out.arrayHeader(kept * 2L);
        boolean packed = set.packed();
        for (int i = 0; i < kept; i++) {
            out.bulk(members.get(i));
            out.bulk(packed ? ScoreFormat.listpackText(scores.get(i)) : ScoreFormat.format(scores.get(i)));
        }
    }

    /** C's strtoul as Redis's parseScanCursorOrReply uses it: digits only, sign allowed, up to a NUL. */
    private static boolean parseCursor(Arguments args, int index, long[] out) {
        byte[] data = args.data();
        int start = args.offset(index);
        int end = start + args.length(index);
        for (int i = start; i < end; i++) {
            if (data[i] == 0) {
                end = i;
                break;
            }
        }
        out[0] = 0;
        if (start == end) {
            return true;
        }
        int i = start;
        boolean negative = false;
        if (data[i] == '+' || data[i] == '-') {
            negative = data[i] == '-';
            i++;
        }
        if (i == end) {
            return false;
        }
        long value = 0;
        for (; i < end; i++) {
            int digit = data[i] - '0';
            if (digit < 0 || digit > 9) {
                return false;
            }
            if (Long.compareUnsigned(value, Long.divideUnsigned(-1L, 10)) > 0) {
                return false;
            }
            long next = value * 10 + digit;
            if (Long.compareUnsigned(next, value * 10) < 0) {
                return false;
            }
            value = next;
        }
        out[0] = negative ? -value : value;
        return true;
    }
}
