package dev.magpie.server.commands;

import dev.magpie.protocol.RespWriter;
import dev.magpie.server.command.Arguments;
import dev.magpie.server.command.CommandTable;
import dev.magpie.server.command.Errors;
import dev.magpie.server.command.KeySpec;
import dev.magpie.server.engine.Blocking;
import dev.magpie.server.keyspace.Database;
import dev.magpie.server.session.Session;
import dev.magpie.server.types.Values;
import dev.magpie.server.types.ZSetValue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

import static dev.magpie.server.command.CommandFlag.BLOCKING;
import static dev.magpie.server.command.CommandFlag.FAST;
import static dev.magpie.server.command.CommandFlag.MOVABLEKEYS;
import static dev.magpie.server.command.CommandFlag.NOSCRIPT;
import static dev.magpie.server.command.CommandFlag.READONLY;
import static dev.magpie.server.command.CommandFlag.WRITE;
import static dev.magpie.server.commands.SortedSetCommands.oneKey;
import static dev.magpie.server.commands.SortedSetCommands.zset;

/**
 * Taking members out by rank: ZPOPMIN/ZPOPMAX, their blocking forms, ZMPOP/BZMPOP, and
 * ZRANDMEMBER. Reply shapes follow Redis 7.0's genericZpopCommand: flat arrays in RESP2,
 * nested pairs in RESP3 when a count was given, [key, [[member, score]...]] for the M forms.
 */
final class ZSetPops {
    private final SortedSetCommands family;

    ZSetPops(SortedSetCommands family) {
        this.family = family;
    }

    void register(CommandTable table) {
        table.register(zset("zpopmin", -2, "Removes and answers the members with the lowest scores.",
                "O(log(N)*M) with N being the number of elements in the sorted set, and M being the number of "
                        + "elements popped.")
                .since("5.0.0").flags(WRITE, FAST).keys(1, 1, 1).keySpec(oneKey("RW access delete"))
                .acl("write sortedset fast").implementation((s, a) -> zpop(s, a, false)));
        table.register(zset("zpopmax", -2, "Removes and answers the members with the highest scores.",
                "O(log(N)*M) with N being the number of elements in the sorted set, and M being the number of "
                        + "elements popped.")
                .since("5.0.0").flags(WRITE, FAST).keys(1, 1, 1).keySpec(oneKey("RW access delete"))
                .acl("write sortedset fast").implementation((s, a) -> zpop(s, a, true)));
        table.register(zset("bzpopmin", -3, "Removes and answers the lowest-scored member of the first non-empty "
                + "sorted set, waiting for one when all are empty.", "O(log(N)) with N being the number of elements "
                + "in the sorted set.")
                .since("5.0.0").flags(WRITE, NOSCRIPT, BLOCKING, FAST).keys(1, -2, 1)
                .keySpec(KeySpec.range("RW access delete", 1, -2, 1, 0))
                .acl("write sortedset fast blocking").implementation((s, a) -> bzpop(s, a, false)));
        table.register(zset("bzpopmax", -3, "Removes and answers the highest-scored member of the first non-empty "
                + "sorted set, waiting for one when all are empty.", "O(log(N)) with N being the number of elements "
                + "in the sorted set.")
                .since("5.0.0").flags(WRITE, NOSCRIPT, BLOCKING, FAST).keys(1, -2, 1)
                .keySpec(KeySpec.range("RW access delete", 1, -2, 1, 0))
                .acl("write sortedset fast blocking").implementation((s, a) -> bzpop(s, a, true)));
        table.register(zset("zmpop", -4, "Removes and answers members from the first non-empty sorted set of several.",
                "O(K) + O(M*log(N)) where K is the number of provided keys, N being the number of elements in the "
                        + "sorted set, and M being the number of elements popped.")
                .since("7.0.0").flags(WRITE, MOVABLEKEYS).keys(0, 0, 0)
                .keySpec(KeySpec.keyNum("RW access delete", 1, 0, 1, 1))
                .acl("write sortedset slow").implementation((s, a) -> zmpop(s, a, 1, false)));
        table.register(zset("bzmpop", -5, "Removes and answers members from the first non-empty sorted set of "
                + "several, waiting for one when all are empty.", "O(K) + O(M*log(N)) where K is the number of "
                + "provided keys, N being the number of elements in the sorted set, and M being the number of "
                + "elements popped.")
                .since("7.0.0").flags(WRITE, BLOCKING, MOVABLEKEYS).keys(0, 0, 0)
                .keySpec(KeySpec.keyNum("RW access delete", 2, 0, 1, 1))
                .acl("write sortedset slow blocking").implementation((s, a) -> zmpop(s, a, 2, true)));
        table.register(zset("zrandmember", -2, "Answers random members, optionally several (distinct for a positive "
                + "count, possibly repeated for a negative one) and with their scores.",
                "O(N) where N is the number of members returned")
                .since("6.2.0").flags(READONLY).keys(1, 1, 1).keySpec(oneKey("RO access"))
                .tips("nondeterministic_output").acl("read sortedset slow").implementation(this::zrandmember));
    }

    // ---- ZPOPMIN / ZPOPMAX ------------------------------------------------------------------

    private void zpop(Session session, Arguments args, boolean max) {
        if (args.count() > 3) {
            family.syntax(session);
            return;
        }
        long count = -1;
        if (args.count() == 3) {
            count = positive(session, args, 2);
            if (count == Long.MIN_VALUE) {
                return;
            }
        }
        boolean nested = session.out().resp3() && count != -1;
        pop(session, args, new int[] {1}, max, false, count, nested, false);
    }

    /** Redis's getPositiveLongFromObjectOrReply without a message; MIN_VALUE after the error. */
    private long positive(Session session, Arguments args, int i) {
        long value = args.parseLong(i);
        if (!args.parsedOk() || value < 0) {
            family.fail(session, "ERR value is out of range, must be positive");
            return Long.MIN_VALUE;
        }
        return value;
    }

    /**
     * Pops from the first existing key of {@code keys}: Redis's genericZpopCommand. A key of
     * another type answers WRONGTYPE; no key at all answers an empty array (or a null one).
     */
    private void pop(Session session, Arguments args, int[] keys, boolean max, boolean emitKey, long count,
                     boolean nested, boolean nilWhenEmpty) {
        ZSetValue set = null;
        int keyIndex = -1;
        for (int k : keys) {
            Object value = family.lookup(session, args, k, true);
            if (value == Values.WRONG_TYPE) {
                return;
            }
            if (value != null) {
                set = (ZSetValue) value;
                keyIndex = k;
                break;
            }
        }
        RespWriter out = session.out();
        if (set == null) {
            if (nilWhenEmpty) {
                out.nullArray();
            } else {
                out.emptyArray();
            }
            return;
        }
        if (count == 0) {
            out.emptyArray();
            return;
        }
        if (count == -1) {
            count = 1;
        }
        long take = Math.min(count, set.size());
        if (!nested && !emitKey) {
            out.arrayHeader(take * 2);
        } else if (nested && !emitKey) {
            out.arrayHeader(take);
        } else if (!nested) {
            out.arrayHeader(take * 2 + 1);
            out.bulk(args.data(), args.offset(keyIndex), args.length(keyIndex));
        } else {
            out.arrayHeader(2);
            out.bulk(args.data(), args.offset(keyIndex), args.length(keyIndex));
            out.arrayHeader(take);
        }
        ZSetValue.Cursor cursor = set.cursor();
        for (long i = 0; i < take; i++) {
            long rank = max ? set.size() - 1 : 0;
            cursor.seek(rank);
            if (nested) {
                out.arrayHeader(2);
            }
            out.bulk(cursor.memberArray(), cursor.memberOffset(), cursor.memberLength());
            SortedSetCommands.reply(out, cursor.score());
            set.removeRange(rank, rank);
        }
        family.written(session, args, keyIndex, set);
    }

    // ---- blocking forms ---------------------------------------------------------------------

    private void bzpop(Session session, Arguments args, boolean max) {
        int[] keys = new int[args.count() - 2];
        for (int i = 0; i < keys.length; i++) {
            keys[i] = i + 1;
        }
        blockingPop(session, args, keys, max, args.count() - 1, -1, false, false);
    }

    private void blockingPop(Session session, Arguments args, int[] keys, boolean max, int timeoutIndex, long count,
                             boolean nested, boolean nilWhenEmpty) {
        long deadline = BlockingListTimeout.deadline(family.engine(), session, args, timeoutIndex);
        if (deadline == BlockingListTimeout.INVALID) {
            return;
        }
        for (int k : keys) {
            Object value = family.lookup(session, args, k, true);
            if (value == Values.WRONG_TYPE) {
                return;
            }
            if (value != null && ((ZSetValue) value).size() > 0) {
                pop(session, args, new int[] {k}, max, true, count, nested, nilWhenEmpty);
                return;
            }
        }
        List<byte[]> copies = new ArrayList<>(keys.length);
        for (int k : keys) {
            copies.add(args.bytes(k));
        }
        Database db = session.database();
        family.engine().blocking().block(session, db, copies, deadline, Blocking.TimeoutReply.NULL_ARRAY);
    }

    // ---- ZMPOP / BZMPOP ---------------------------------------------------------------------

    private void zmpop(Session session, Arguments args, int numKeysIndex, boolean blocking) {
        long numKeys = args.parseLong(numKeysIndex);
        if (!args.parsedOk() || numKeys < 1) {
            family.fail(session, "ERR numkeys should be greater than 0");
            return;
        }
        long whereIndex = numKeysIndex + numKeys + 1;
        if (whereIndex >= args.count()) {
            family.syntax(session);
            return;
        }
        int where = (int) whereIndex;
        boolean max;
        if (args.is(where, "MIN")) {
            max = false;
        } else if (args.is(where, "MAX")) {
            max = true;
        } else {
            family.syntax(session);
            return;
        }
        long count = -1;
        for (int j = where + 1; j < args.count(); j++) {
            boolean more = j < args.count() - 1;
            if (count == -1 && args.is(j, "COUNT") && more) {
                j++;
                count = args.parseLong(j);
                if (!args.parsedOk() || count < 1) {
                    family.fail(session, "ERR count should be greater than 0");
                    return;
                }
            } else {
                family.syntax(session);
                return;
            }
        }
        if (count == -1) {
            count = 1;
        }
        int[] keys = new int[(int) numKeys];
        for (int i = 0; i < keys.length; i++) {
            keys[i] = numKeysIndex + 1 + i;
        }
        if (blocking) {
            blockingPop(session, args, keys, max, 1, count, true, true);
        } else {
            pop(session, args, keys, max, true, count, true, true);
        }
    }

    // ---- ZRANDMEMBER ------------------------------------------------------------------------

    private void zrandmember(Session session, Arguments args) {
        RespWriter out = session.out();
        if (args.count() >= 3) {
            long count = args.parseLong(2);
            if (!args.parsedOk()) {
                family.fail(session, Errors.NOT_INTEGER);
                return;
            }
            if (count == Long.MIN_VALUE) {
                family.fail(session, "ERR value is out of range, value must between -9223372036854775807 and "
                        + "9223372036854775807");
                return;
            }
            boolean withScores = false;
            if (args.count() > 4 || (args.count() == 4 && !args.is(3, "WITHSCORES"))) {
                family.syntax(session);
                return;
            } else if (args.count() == 4) {
                withScores = true;
                if (count < -Long.MAX_VALUE / 2 || count > Long.MAX_VALUE / 2) {
                    family.fail(session, "ERR value is out of range");
                    return;
                }
            }
            withCount(session, args, count, withScores);
            return;
        }
        Object value = family.lookup(session, args, 1, false);
        if (value == Values.WRONG_TYPE) {
            return;
        }
        if (value == null) {
            out.nullBulk();
            return;
        }
        ZSetValue set = (ZSetValue) value;
        ZSetValue.Cursor cursor = set.cursor().seek(ThreadLocalRandom.current().nextLong(set.size()));
        out.bulk(cursor.memberArray(), cursor.memberOffset(), cursor.memberLength());
    }

    private void withCount(Session session, Arguments args, long requested, boolean withScores) {
        Object value = family.lookup(session, args, 1, false);
        if (value == Values.WRONG_TYPE) {
            return;
        }
        RespWriter out = session.out();
        if (value == null) {
            out.emptyArray();
            return;
        }
        ZSetValue set = (ZSetValue) value;
        long size = set.size();
        boolean unique = requested >= 0;
        long count = unique ? requested : -requested;
        if (count == 0) {
            out.emptyArray();
            return;
        }
        ZSetValue.Cursor cursor = set.cursor();
        ThreadLocalRandom random = ThreadLocalRandom.current();
        if (!unique || count == 1) {
            out.arrayHeader(withScores && !out.resp3() ? count * 2 : count);
            for (long i = 0; i < count; i++) {
                cursor.seek(random.nextLong(size));
                SortedSetCommands.element(out, cursor.memberArray(), cursor.memberOffset(), cursor.memberLength(),
                        cursor.score(), withScores);
            }
            return;
        }
        long[] ranks;
        if (count >= size) {
            // Redis walks the whole set from the highest score down.
            ranks = new long[(int) size];
            for (int i = 0; i < ranks.length; i++) {
                ranks[i] = size - 1 - i;
            }
        } else {
            ranks = sampleDistinct(size, (int) count, random);
        }
        out.arrayHeader(withScores && !out.resp3() ? ranks.length * 2L : ranks.length);
        for (long rank : ranks) {
            cursor.seek(rank);
            SortedSetCommands.element(out, cursor.memberArray(), cursor.memberOffset(), cursor.memberLength(),
                    cursor.score(), withScores);
        }
    }

    /** {@code count} distinct ranks below {@code size} (count < size), in random order. */
    private static long[] sampleDistinct(long size, int count, ThreadLocalRandom random) {
        java.util.HashSet<Long> chosen = new java.util.HashSet<>();
        long[] ranks = new long[count];
        int n = 0;
        if (count * 3L > size) {
            // Most of the set: shuffle all ranks and take a prefix.
            long[] all = new long[(int) size];
            for (int i = 0; i < all.length; i++) {
                all[i] = i;
            }
            for (int i = 0; i < count; i++) {
                int j = i + random.nextInt(all.length - i);
                long swap = all[i];
                all[i] = all[j];
                all[j] = swap;
                ranks[i] = all[i];
            }
            return ranks;
        }
        while (n < count) {
            long rank = random.nextLong(size);
            if (chosen.add(rank)) {
                ranks[n++] = rank;
            }
        }
        return ranks;
    }
}
