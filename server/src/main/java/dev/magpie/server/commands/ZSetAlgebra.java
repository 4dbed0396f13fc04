package dev.magpie.server.commands;

import dev.magpie.protocol.RespWriter;
import dev.magpie.server.command.Arguments;
import dev.magpie.server.command.CommandTable;
import dev.magpie.server.command.Errors;
import dev.magpie.server.command.KeySpec;
import dev.magpie.server.keyspace.Database;
import dev.magpie.server.keyspace.Entry;
import dev.magpie.server.session.Session;
import dev.magpie.server.types.Bytes;
import dev.magpie.server.types.SetMember;
import dev.magpie.server.types.SetValue;
import dev.magpie.server.types.ZSetValue;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

import static dev.magpie.server.command.CommandFlag.DENYOOM;
import static dev.magpie.server.command.CommandFlag.MOVABLEKEYS;
import static dev.magpie.server.command.CommandFlag.READONLY;
import static dev.magpie.server.command.CommandFlag.WRITE;
import static dev.magpie.server.commands.SortedSetCommands.zset;

/**
 * ZUNION, ZINTER, ZDIFF, their STORE forms and ZINTERCARD (Redis's zunionInterDiffGenericCommand):
 * plain sets count as members of score 1, weights multiply (NaN products become 0), SUM turns
 * inf + -inf into 0. Inputs are visited smallest first, as Redis sorts them, so sums add up in
 * the same order and round the same way.
 */
final class ZSetAlgebra {
    private static final int UNION = 0;
    private static final int INTER = 1;
    private static final int DIFF = 2;
    private static final int SUM = 0;
    private static final int MIN = 1;
    private static final int MAX = 2;

    private final SortedSetCommands family;

    ZSetAlgebra(SortedSetCommands family) {
        this.family = family;
    }

    void register(CommandTable table) {
        table.register(zset("zunion", -3, "Answers the union of sorted sets (and sets), with weights and a way to "
                + "combine scores.", "O(N)+O(M*log(M)) with N being the sum of the sizes of the input sorted sets, "
                + "and M being the number of elements in the resulting sorted set.")
                .since("6.2.0").flags(READONLY, MOVABLEKEYS).keys(0, 0, 0).keySpec(KeySpec.keyNum("RO access", 1, 0, 1, 1))
                .acl("read sortedset slow").implementation((s, a) -> generic(s, a, false, 1, UNION, false)));
        table.register(zset("zinter", -3, "Answers the intersection of sorted sets (and sets), with weights and a way "
                + "to combine scores.", "O(N*K)+O(M*log(M)) worst case with N being the smallest input sorted set, K "
                + "being the number of input sorted sets and M being the number of elements in the resulting sorted set.")
                .since("6.2.0").flags(READONLY, MOVABLEKEYS).keys(0, 0, 0).keySpec(KeySpec.keyNum("RO access", 1, 0, 1, 1))
                .acl("read sortedset slow").implementation((s, a) -> generic(s, a, false, 1, INTER, false)));
        table.register(zset("zdiff", -3, "Answers the members of the first sorted set that no other input holds.",
                "O(L + (N-K)log(N)) worst case where L is the total number of elements in all the sets, N is the size "
                        + "of the first set, and K is the size of the result set.")
                .since("6.2.0").flags(READONLY, MOVABLEKEYS).keys(0, 0, 0).keySpec(KeySpec.keyNum("RO access", 1, 0, 1, 1))
                .acl("read sortedset slow").implementation((s, a) -> generic(s, a, false, 1, DIFF, false)));
        table.register(zset("zunionstore", -4, "Stores the union of sorted sets (and sets) under a key.",
                "O(N)+O(M log(M)) with N being the sum of the sizes of the input sorted sets, and M being the number "
                        + "of elements in the resulting sorted set.")
                .since("2.0.0").flags(WRITE, DENYOOM, MOVABLEKEYS).keys(1, 1, 1)
                .keySpec(KeySpec.range("OW update", 1, 0, 1, 0)).keySpec(KeySpec.keyNum("RO access", 2, 0, 1, 1))
                .acl("write sortedset slow").implementation((s, a) -> generic(s, a, true, 2, UNION, false)));
        table.register(zset("zinterstore", -4, "Stores the intersection of sorted sets (and sets) under a key.",
                "O(N*K)+O(M*log(M)) worst case with N being the smallest input sorted set, K being the number of "
                        + "input sorted sets and M being the number of elements in the resulting sorted set.")
                .since("2.0.0").flags(WRITE, DENYOOM, MOVABLEKEYS).keys(1, 1, 1)
                .keySpec(KeySpec.range("OW update", 1, 0, 1, 0)).keySpec(KeySpec.keyNum("RO access", 2, 0, 1, 1))
                .acl("write sortedset slow").implementation((s, a) -> generic(s, a, true, 2, INTER, false)));
        table.register(zset("zdiffstore", -4, "Stores under a key the members of the first sorted set that no other "
                + "input holds.", "O(L + (N-K)log(N)) worst case where L is the total number of elements in all the "
                + "sets, N is the size of the first set, and K is the size of the result set.")
                .since("6.2.0").flags(WRITE, DENYOOM, MOVABLEKEYS).keys(1, 1, 1)
                .keySpec(KeySpec.range("OW update", 1, 0, 1, 0)).keySpec(KeySpec.keyNum("RO access", 2, 0, 1, 1))
                .acl("write sortedset slow").implementation((s, a) -> generic(s, a, true, 2, DIFF, false)));
        table.register(zset("zintercard", -3, "Counts the members common to several sorted sets (and sets), "
                + "optionally stopping at a limit.", "O(N*K) worst case with N being the smallest input sorted set, "
                + "K being the number of input sorted sets.")
                .since("7.0.0").flags(READONLY, MOVABLEKEYS).keys(0, 0, 0).keySpec(KeySpec.keyNum("RO access", 1, 0, 1, 1))
                .acl("read sortedset slow").implementation((s, a) -> generic(s, a, false, 1, INTER, true)));
    }

    /** One input: a sorted set, a set, or nothing (missing key), with its weight. */
    private static final class Source {
        ZSetValue zset;
        SetValue set;
        double weight = 1;

        long size() {
            return zset != null ? zset.size() : set != null ? set.size() : 0;
        }

        /** The member's score in this input (1 for sets), or NaN when absent. */
        double score(byte[] member) {
            if (zset != null) {
                return zset.score(member, 0, member.length);
            }
            if (set != null) {
                return set.contains(member, 0, member.length) ? 1 : Double.NaN;
            }
            return Double.NaN;
        }

        /** Visits every member with its unweighted score. */
        void forEach(java.util.function.ObjDoubleConsumer<byte[]> visitor) {
            if (zset != null) {
                if (zset.size() == 0) {
                    return;
                }
                ZSetValue.Cursor cursor = zset.cursor().seek(0);
                do {
                    visitor.accept(Arrays.copyOfRange(cursor.memberArray(), cursor.memberOffset(),
                            cursor.memberOffset() + cursor.memberLength()), cursor.score());
                } while (cursor.next());
            } else if (set != null) {
                SetMember member = new SetMember();
                for (int p = set.first(); p >= 0; p = set.next(p)) {
                    set.load(p, member);
                    visitor.accept(member.copy(), 1);
                }
            }
        }
    }

    private void generic(Session session, Arguments args, boolean store, int numKeysIndex, int op, boolean cardOnly) {
        long setCount = family.integer(session, args, numKeysIndex);
        if (!args.parsedOk()) {
            return;
        }
        if (setCount < 1) {
            family.fail(session, "ERR at least 1 input key is needed for '" + args.nameLowerCase() + "' command");
            return;
        }
        if (setCount > args.count() - (numKeysIndex + 1)) {
            family.syntax(session);
            return;
        }
        int n = (int) setCount;
        Source[] sources = new Source[n];
        Database db = session.database();
        int j = numKeysIndex + 1;
        for (int i = 0; i < n; i++, j++) {
            Source source = new Source();
            long entry = db.lookupRead(args.data(), args.offset(j), args.length(j), !session.noTouch());
            if (entry != 0) {
                byte type = Entry.type(entry);
                if (type == Entry.TYPE_ZSET) {
                    source.zset = (ZSetValue) db.value(entry);
                } else if (type == Entry.TYPE_SET) {
                    source.set = (SetValue) db.value(entry);
                } else {
                    family.fail(session, Errors.WRONG_TYPE);
                    return;
                }
            }
            sources[i] = source;
        }
        int aggregate = SUM;
        boolean withScores = false;
        long limit = 0;
        int remaining = args.count() - j;
        while (remaining > 0) {
            if (op != DIFF && !cardOnly && remaining >= n + 1 && args.is(j, "WEIGHTS")) {
                j++;
                remaining--;
                for (int i = 0; i < n; i++, j++, remaining--) {
                    sources[i].weight = family.score(session, args, j, "ERR weight value is not a float");
                    if (Double.isNaN(sources[i].weight)) {
                        return;
                    }
                }
            } else if (op != DIFF && !cardOnly && remaining >= 2 && args.is(j, "AGGREGATE")) {
                j++;
                if (args.is(j, "SUM")) {
                    aggregate = SUM;
                } else if (args.is(j, "MIN")) {
                    aggregate = MIN;
                } else if (args.is(j, "MAX")) {
                    aggregate = MAX;
                } else {
                    family.syntax(session);
                    return;
                }
                j++;
                remaining -= 2;
            } else if (!store && !cardOnly && args.is(j, "WITHSCORES")) {
                j++;
                remaining--;
                withScores = true;
            } else if (cardOnly && remaining >= 2 && args.is(j, "LIMIT")) {
                j++;
                limit = family.integer(session, args, j);
                if (!args.parsedOk()) {
                    return;
                }
                if (limit < 0) {
                    family.fail(session, "ERR LIMIT can't be negative");
                    return;
                }
                j++;
                remaining -= 2;
            } else {
                family.syntax(session);
                return;
            }
        }
        Source first = sources[0];
        if (op != DIFF) {
            // Redis sorts by size (smallest first); a stable sort keeps equal sizes in argument order.
            Arrays.sort(sources, (a, b) -> Long.compare(a.size(), b.size()));
        }
        Map<Bytes, double[]> result = new HashMap<>();
        long cardinality = 0;
        if (op == INTER) {
            cardinality = intersect(sources, aggregate, cardOnly, limit, result);
        } else if (op == UNION) {
            union(sources, aggregate, result);
        } else {
            diff(first, sources, result);
        }
        RespWriter out = session.out();
        if (cardOnly) {
            out.integer(cardinality);
            return;
        }
        ZSetValue sorted = ZSetValue.table(result.size());
        for (Map.Entry<Bytes, double[]> e : result.entrySet()) {
            byte[] member = e.getKey().array();
            sorted.add(member, 0, member.length, e.getValue()[0], Long.MAX_VALUE, Long.MAX_VALUE);
        }
        if (store) {
            sorted.compactIfSmall(family.maxEntries(), family.maxValue());
            family.store(session, args.data(), args.offset(1), args.length(1), sorted);
            out.integer(sorted.size());
            return;
        }
        long length = sorted.size();
        out.arrayHeader(withScores && !out.resp3() ? length * 2 : length);
        if (length > 0) {
            ZSetValue.Cursor cursor = sorted.cursor().seek(0);
            do {
                SortedSetCommands.element(out, cursor.memberArray(), cursor.memberOffset(), cursor.memberLength(),
                        cursor.score(), withScores);
            } while (cursor.next());
        }
    }

    private static long intersect(Source[] sources, int aggregate, boolean cardOnly, long limit,
                                  Map<Bytes, double[]> result) {
        if (sources[0].size() == 0) {
            return 0;
        }
        long[] cardinality = {0};
        boolean[] stop = {false};
        sources[0].forEach((member, raw) -> {
            if (stop[0]) {
                return;
            }
            double score = sources[0].weight * raw;
            if (Double.isNaN(score)) {
                score = 0;
            }
            int j;
            for (j = 1; j < sources.length; j++) {
                double value = sources[j].score(member);
                if (Double.isNaN(value)) {
                    break;
                }
                score = combine(score, value * sources[j].weight, aggregate);
            }
            if (j == sources.length) {
                if (cardOnly) {
                    cardinality[0]++;
                    if (limit != 0 && cardinality[0] >= limit) {
                        stop[0] = true;
                    }
                } else {
                    result.put(Bytes.wrap(member), new double[] {score});
                }
            }
        });
        return cardinality[0];
    }

    private static void union(Source[] sources, int aggregate, Map<Bytes, double[]> result) {
        for (Source source : sources) {
            if (source.size() == 0) {
                continue;
            }
            source.forEach((member, raw) -> {
                double score = source.weight * raw;
                if (Double.isNaN(score)) {
                    score = 0;
                }
                double[] existing = result.get(Bytes.wrap(member));
                if (existing == null) {
                    result.put(Bytes.wrap(member), new double[] {score});
                } else {
                    existing[0] = combine(existing[0], score, aggregate);
                }
            });
        }
    }

    private static void diff(Source first, Source[] sources, Map<Bytes, double[]> result) {
        if (first.size() == 0) {
            return;
        }
        for (int j = 1; j < sources.length; j++) {
            if (sources[j].zset != null && sources[j].zset == first.zset
                    || sources[j].set != null && sources[j].set == first.set) {
                return;
            }
        }
        first.forEach((member, score) -> {
            for (int j = 1; j < sources.length; j++) {
                if (!Double.isNaN(sources[j].score(member))) {
                    return;
                }
            }
            result.put(Bytes.wrap(member), new double[] {score});
        });
    }

    private static double combine(double target, double value, int aggregate) {
        if (aggregate == SUM) {
            double sum = target + value;
            return Double.isNaN(sum) ? 0 : sum;
        }
        if (aggregate == MIN) {
            return value < target ? value : target;
        }
        return value > target ? value : target;
    }
}
