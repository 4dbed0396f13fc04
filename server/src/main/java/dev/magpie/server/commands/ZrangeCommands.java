package dev.magpie.server.commands;

import dev.magpie.protocol.RespWriter;
import dev.magpie.server.command.Arguments;
import dev.magpie.server.command.CommandSpec;
import dev.magpie.server.command.CommandTable;
import dev.magpie.server.command.KeySpec;
import dev.magpie.server.session.Session;
import dev.magpie.server.types.Values;
import dev.magpie.server.types.ZSetValue;

import java.util.Arrays;

import static dev.magpie.server.command.CommandFlag.DENYOOM;
import static dev.magpie.server.command.CommandFlag.FAST;
import static dev.magpie.server.command.CommandFlag.READONLY;
import static dev.magpie.server.command.CommandFlag.WRITE;
import static dev.magpie.server.commands.SortedSetCommands.oneKey;
import static dev.magpie.server.commands.SortedSetCommands.zset;

/**
 * ZRANGE in all its forms (by rank, score or lex, reversed, limited, stored), the older
 * ZRANGEBY* / ZREV* commands, ZCOUNT, ZLEXCOUNT and ZREMRANGEBY*, after Redis's
 * zrangeGenericCommand: same option parsing, same error order, same LIMIT quirks
 * (a negative offset gives nothing, a negative count means all).
 */
final class ZrangeCommands {
    private static final int AUTO = 0;
    private static final int RANK = 1;
    private static final int SCORE = 2;
    private static final int LEX = 3;

    private final SortedSetCommands family;
    private final ZSetRanges.ScoreRange scoreRange = new ZSetRanges.ScoreRange();
    private final ZSetRanges.LexRange lexRange = new ZSetRanges.LexRange();
    private final ScoreFormat.Parsed parsed = new ScoreFormat.Parsed();
    /** The elements of one reply, gathered before its length is known (engine thread only). */
    private byte[][] arrays = new byte[16][];
    private int[] offsets = new int[16];
    private int[] lengths = new int[16];
    private double[] scores = new double[16];
    private int found;

    ZrangeCommands(SortedSetCommands family) {
        this.family = family;
    }

    void register(CommandTable table) {
        table.register(readRange("zrange", "Answers the members in a range of ranks, scores or member names, "
                + "optionally reversed, limited or with their scores.", "1.2.0", AUTO, false));
        table.register(readRange("zrangebyscore", "Answers the members whose scores fall in an interval, lowest first.",
                "1.0.5", SCORE, false));
        table.register(readRange("zrevrangebyscore", "Answers the members whose scores fall in an interval, highest "
                + "first.", "2.2.0", SCORE, true));
        table.register(readRange("zrangebylex", "Answers the members in an interval of member names, for sets of "
                + "equal scores.", "2.8.9", LEX, false));
        table.register(readRange("zrevrangebylex", "Answers the members in an interval of member names, last first.",
                "2.8.9", LEX, true));
        table.register(readRange("zrevrange", "Answers the members in a range of ranks, highest score first.",
                "1.2.0", RANK, true));
        table.register(zset("zrangestore", -5, "Stores a range of another sorted set (as ZRANGE selects it) under a key.",
                "O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements "
                        + "stored into the destination key.")
                .since("6.2.0").flags(WRITE, DENYOOM).keys(1, 2, 1)
                .keySpec(oneKey("OW update")).keySpec(KeySpec.range("RO access", 2, 0, 1, 0))
                .acl("write sortedset slow").implementation((s, a) -> range(s, a, 2, true, AUTO, false)));
        table.register(zset("zcount", 4, "Counts the members whose scores fall in an interval.",
                "O(log(N)) with N being the number of elements in the sorted set.")
                .since("2.0.0").flags(READONLY, FAST).keys(1, 1, 1).keySpec(oneKey("RO access"))
                .acl("read sortedset fast").implementation(this::zcount));
        table.register(zset("zlexcount", 4, "Counts the members in an interval of member names.",
                "O(log(N)) with N being the number of elements in the sorted set.")
                .since("2.8.9").flags(READONLY, FAST).keys(1, 1, 1).keySpec(oneKey("RO access"))
                .acl("read sortedset fast").implementation(this::zlexcount));
        table.register(removeRange("zremrangebyrank", "Removes the members in a range of ranks.", "2.0.0", RANK));
        table.register(removeRange("zremrangebyscore", "Removes the members whose scores fall in an interval.", "1.2.0",
                SCORE));
        table.register(removeRange("zremrangebylex", "Removes the members in an interval of member names.", "2.8.9",
                LEX));
    }

    /** A read-only command over one key answering a range {@code by} rank, score or lex (AUTO: ZRANGE's options say). */
    private CommandSpec readRange(String name, String summary, String since, int by, boolean reverse) {
        return zset(name, -4, summary, "O(log(N)+M) with N being the number of elements in the sorted set and M the "
                + "number of elements returned.")
                .since(since).flags(READONLY).keys(1, 1, 1).keySpec(oneKey("RO access"))
                .acl("read sortedset slow").implementation((s, a) -> range(s, a, 1, false, by, reverse));
    }

    /** A ZREMRANGEBY* command: removes a range {@code by} rank, score or lex. */
    private CommandSpec removeRange(String name, String summary, String since, int by) {
        return zset(name, 4, summary, "O(log(N)+M) with N being the number of elements in the sorted set and M the "
                + "number of elements removed by the operation.")
                .since(since).flags(WRITE).keys(1, 1, 1).keySpec(oneKey("RW delete"))
                .acl("write sortedset slow").implementation((s, a) -> removeRange(s, a, by));
    }

    // ---- ZRANGE and friends -----------------------------------------------------------------

    private void range(Session session, Arguments args, int keyIndex, boolean store, int type, boolean reverse) {
        boolean directionFixed = type != AUTO;
        boolean withScores = false;
        long offset = 0;
        long limit = -1;
        int minIndex = keyIndex + 1;
        int maxIndex = keyIndex + 2;
        boolean rev = reverse;
        int rangeType = type;
        for (int j = keyIndex + 3; j < args.count(); j++) {
            int left = args.count() - j - 1;
            if (!store && args.is(j, "WITHSCORES")) {
                withScores = true;
            } else if (args.is(j, "LIMIT") && left >= 2) {
                offset = family.integer(session, args, j + 1);
                if (!args.parsedOk()) {
                    return;
                }
                limit = family.integer(session, args, j + 2);
                if (!args.parsedOk()) {
                    return;
                }
                j += 2;
            } else if (!directionFixed && !rev && args.is(j, "REV")) {
                rev = true;
            } else if (rangeType == AUTO && args.is(j, "BYLEX")) {
                rangeType = LEX;
            } else if (rangeType == AUTO && args.is(j, "BYSCORE")) {
                rangeType = SCORE;
            } else {
                family.syntax(session);
                return;
            }
        }
        if (rangeType == AUTO) {
            rangeType = RANK;
        }
        if (limit != -1 && rangeType == RANK) {
            family.fail(session, "ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX");
            return;
        }
        if (withScores && rangeType == LEX) {
            family.fail(session, "ERR syntax error, WITHSCORES not supported in combination with BYLEX");
            return;
        }
        if (rev && rangeType != RANK) {
            int swap = minIndex;
            minIndex = maxIndex;
            maxIndex = swap;
        }
        long start = 0;
        long end = 0;
        if (rangeType == RANK) {
            start = family.integer(session, args, minIndex);
            if (!args.parsedOk()) {
                return;
            }
            end = family.integer(session, args, maxIndex);
            if (!args.parsedOk()) {
                return;
            }
        } else if (rangeType == SCORE) {
            if (!ZSetRanges.parseScores(args, minIndex, maxIndex, scoreRange, parsed)) {
                family.fail(session, "ERR min or max is not a float");
                return;
            }
        } else if (!ZSetRanges.parseLex(args, minIndex, maxIndex, lexRange)) {
            family.fail(session, "ERR min or max not valid string range item");
            return;
        }
        Object value = family.lookup(session, args, keyIndex, false);
        if (value == Values.WRONG_TYPE) {
            return;
        }
        found = 0;
        try {
            ZSetValue set = (ZSetValue) value;
            if (set != null) {
                if (rangeType == RANK) {
                    collectRanks(set, start, end, rev);
                } else if (rangeType == SCORE) {
                    collectScores(set, offset, limit, rev);
                } else {
                    collectLex(set, offset, limit, rev);
                }
            }
            if (store) {
                storeFound(session, args, rangeType == RANK ? found : 0);
            } else {
                replyFound(session.out(), withScores);
            }
        } finally {
            if (arrays.length > 1024) {
                arrays = new byte[16][];
                offsets = new int[16];
                lengths = new int[16];
                scores = new double[16];
            } else {
                Arrays.fill(arrays, 0, found, null);
            }
        }
    }

    private void collectRanks(ZSetValue set, long start, long end, boolean reverse) {
        long size = set.size();
        if (start < 0) {
            start += size;
        }
        if (end < 0) {
            end += size;
        }
        if (start < 0) {
            start = 0;
        }
        if (start > end || start >= size) {
            return;
        }
        if (end >= size) {
            end = size - 1;
        }
        long count = end - start + 1;
        ZSetValue.Cursor cursor = set.cursor().seek(reverse ? size - 1 - start : start);
        for (long i = 0; i < count; i++) {
            add(cursor);
            if (reverse) {
                cursor.prev();
            } else {
                cursor.next();
            }
        }
    }

    private void collectScores(ZSetValue set, long offset, long limit, boolean reverse) {
        if (offset > 0 && offset >= set.size()) {
            return;
        }
        long rank = reverse ? ZSetRanges.last(set, scoreRange) : ZSetRanges.first(set, scoreRange);
        walk(set, rank, offset, limit, reverse, true);
    }

    private void collectLex(ZSetValue set, long offset, long limit, boolean reverse) {
        if (offset > 0 && offset >= set.size()) {
            return;
        }
        long rank = reverse ? ZSetRanges.last(set, lexRange) : ZSetRanges.first(set, lexRange);
        walk(set, rank, offset, limit, reverse, false);
    }

    /** From the first element in range: skips {@code offset}, then takes while in range (and {@code limit}). */
    private void walk(ZSetValue set, long rank, long offset, long limit, boolean reverse, boolean byScore) {
        if (rank < 0) {
            return;
        }
        ZSetValue.Cursor cursor = set.cursor().seek(rank);
        boolean valid = true;
        if (offset < 0) {
            return;
        }
        while (valid && offset-- > 0) {
            valid = reverse ? cursor.prev() : cursor.next();
        }
        while (valid && limit-- != 0) {
            boolean inside;
            if (byScore) {
                inside = reverse ? scoreRange.gteMin(cursor.score()) : scoreRange.lteMax(cursor.score());
            } else {
                inside = reverse ? lexRange.gteMin(cursor.memberArray(), cursor.memberOffset(), cursor.memberLength())
                        : lexRange.lteMax(cursor.memberArray(), cursor.memberOffset(), cursor.memberLength());
            }
            if (!inside) {
                break;
            }
            add(cursor);
            valid = reverse ? cursor.prev() : cursor.next();
        }
    }

    private void add(ZSetValue.Cursor cursor) {
        if (found == arrays.length) {
            int grown = found * 2;
            arrays = Arrays.copyOf(arrays, grown);
            offsets = Arrays.copyOf(offsets, grown);
            lengths = Arrays.copyOf(lengths, grown);
            scores = Arrays.copyOf(scores, grown);
        }
        arrays[found] = cursor.memberArray();
        offsets[found] = cursor.memberOffset();
        lengths[found] = cursor.memberLength();
        scores[found] = cursor.score();
        found++;
    }

    private void replyFound(RespWriter out, boolean withScores) {
        out.arrayHeader(withScores && !out.resp3() ? found * 2L : found);
        for (int i = 0; i < found; i++) {
            SortedSetCommands.element(out, arrays[i], offsets[i], lengths[i], scores[i], withScores);
        }
    }

    /** Built element by element from Redis's size hint, so conversions (and -0 turning 0) happen as in Redis. */
    private void storeFound(Session session, Arguments args, long sizeHint) {
        long maxEntries = family.maxEntries();
        long maxValue = family.maxValue();
        ZSetValue result = ZSetValue.forSizeHint(sizeHint, maxEntries, maxValue);
        for (int i = 0; i < found; i++) {
            result.add(arrays[i], offsets[i], lengths[i], scores[i], maxEntries, maxValue);
        }
        family.store(session, args.data(), args.offset(1), args.length(1), result);
        session.out().integer(found);
    }

    // ---- counting ---------------------------------------------------------------------------

    private void zcount(Session session, Arguments args) {
        if (!ZSetRanges.parseScores(args, 2, 3, scoreRange, parsed)) {
            family.fail(session, "ERR min or max is not a float");
            return;
        }
        Object value = family.lookup(session, args, 1, false);
        if (value == Values.WRONG_TYPE) {
            return;
        }
        long count = 0;
        if (value != null) {
            ZSetValue set = (ZSetValue) value;
            long first = ZSetRanges.first(set, scoreRange);
            if (first >= 0) {
                count = ZSetRanges.last(set, scoreRange) - first + 1;
            }
        }
        session.out().integer(count);
    }

    private void zlexcount(Session session, Arguments args) {
        if (!ZSetRanges.parseLex(args, 2, 3, lexRange)) {
            family.fail(session, "ERR min or max not valid string range item");
            return;
        }
        Object value = family.lookup(session, args, 1, false);
        if (value == Values.WRONG_TYPE) {
            return;
        }
        long count = 0;
        if (value != null) {
            ZSetValue set = (ZSetValue) value;
            long first = ZSetRanges.first(set, lexRange);
            if (first >= 0) {
                count = set.packed() ? countWhileLteMax(set, first) : ZSetRanges.last(set, lexRange) - first + 1;
            }
        }
        session.out().integer(Math.max(0, count));
    }

    /** The listpack way: from the first element in range, count while under the maximum. */
    private long countWhileLteMax(ZSetValue set, long first) {
        ZSetValue.Cursor cursor = set.cursor().seek(first);
        long count = 0;
        do {
            if (!lexRange.lteMax(cursor.memberArray(), cursor.memberOffset(), cursor.memberLength())) {
                break;
            }
            count++;
        } while (cursor.next());
        return count;
    }

    // ---- ZREMRANGEBY* -----------------------------------------------------------------------

    private void removeRange(Session session, Arguments args, int type) {
        long start = 0;
        long end = 0;
        if (type == RANK) {
            start = family.integer(session, args, 2);
            if (!args.parsedOk()) {
                return;
            }
            end = family.integer(session, args, 3);
            if (!args.parsedOk()) {
                return;
            }
        } else if (type == SCORE) {
            if (!ZSetRanges.parseScores(args, 2, 3, scoreRange, parsed)) {
                family.fail(session, "ERR min or max is not a float");
                return;
            }
        } else if (!ZSetRanges.parseLex(args, 2, 3, lexRange)) {
            family.fail(session, "ERR min or max not valid string range item");
            return;
        }
        Object value = family.lookup(session, args, 1, true);
        if (value == Values.WRONG_TYPE) {
            return;
        }
        if (value == null) {
            session.out().integer(0);
            return;
        }
        ZSetValue set = (ZSetValue) value;
        long from;
        long to;
        if (type == RANK) {
            long size = set.size();
            if (start < 0) {
                start += size;
            }
            if (end < 0) {
                end += size;
            }
            if (start < 0) {
                start = 0;
            }
            if (start > end || start >= size) {
                session.out().integer(0);
                return;
            }
            from = start;
            to = Math.min(end, size - 1);
        } else {
            from = type == SCORE ? ZSetRanges.first(set, scoreRange) : ZSetRanges.first(set, lexRange);
            to = from < 0 ? -1 : lastWhileInRange(set, from, type == SCORE);
        }
        if (from < 0 || to < from) {
            session.out().integer(0);
            return;
        }
        set.removeRange(from, to);
        family.written(session, args, 1, set);
        session.out().integer(to - from + 1);
    }

    /** From the first element in range, the last rank still under the maximum. */
    private long lastWhileInRange(ZSetValue set, long first, boolean byScore) {
        if (byScore) {
            return set.lastRank(scoreRange.lteMax);
        }
        if (!set.packed()) {
            return set.lastRank(lexRange.lteMax);
        }
        ZSetValue.Cursor cursor = set.cursor().seek(first);
        long last = first - 1;
        do {
            if (!lexRange.lteMax(cursor.memberArray(), cursor.memberOffset(), cursor.memberLength())) {
                break;
            }
            last = cursor.rank();
        } while (cursor.next());
        return last;
    }
}
