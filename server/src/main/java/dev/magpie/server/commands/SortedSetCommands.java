package dev.magpie.server.commands;

import dev.magpie.protocol.RespWriter;
import dev.magpie.server.command.Arguments;
import dev.magpie.server.command.CommandSpec;
import dev.magpie.server.command.CommandTable;
import dev.magpie.server.command.Errors;
import dev.magpie.server.engine.Engine;
import dev.magpie.server.keyspace.Database;
import dev.magpie.server.keyspace.Entry;
import dev.magpie.server.session.Session;
import dev.magpie.server.types.Values;
import dev.magpie.server.types.ZSetValue;

import static dev.magpie.server.command.CommandFlag.DENYOOM;
import static dev.magpie.server.command.CommandFlag.FAST;
import static dev.magpie.server.command.CommandFlag.READONLY;
import static dev.magpie.server.command.CommandFlag.WRITE;

/**
 * The sorted set type's commands (Redis's t_zset.c). This class declares the family and
 * implements the single-element commands; ranges, pops, set algebra and ZSCAN live in the
 * Zrange/ZSet helpers beside it.
 */
public final class SortedSetCommands extends CommandFamily {
    private static final int NX = 1;
    private static final int XX = 2;
    private static final int GT = 4;
    private static final int LT = 8;
    private static final int CH = 16;
    private static final int INCR = 32;

    private final ZrangeCommands ranges = new ZrangeCommands(this);
    private final ZSetPops pops = new ZSetPops(this);
    private final ZSetAlgebra algebra = new ZSetAlgebra(this);
    private final ZSetScan scan = new ZSetScan(this);
    private final ScoreFormat.Parsed parsed = new ScoreFormat.Parsed();

    public SortedSetCommands(Engine engine) {
        super(engine);
    }

    @Override
    public void register(CommandTable table) {
        table.register(zset("zadd", -4, "Adds members with scores to a sorted set, or updates their scores; options "
                        + "restrict it to new or existing members, or to raising or lowering scores.",
                "O(log(N)) for each item added, where N is the number of elements in the sorted set.")
                .since("1.2.0").flags(WRITE, DENYOOM, FAST).keys(1, 1, 1).keySpec(oneKey("RW update"))
                .acl("write sortedset fast").implementation(this::zadd));
        table.register(zset("zincrby", 4, "Adds an increment to a member's score, adding the member if absent.",
                "O(log(N)) where N is the number of elements in the sorted set.")
                .since("1.2.0").flags(WRITE, DENYOOM, FAST).keys(1, 1, 1).keySpec(oneKey("RW access update"))
                .acl("write sortedset fast").implementation(this::zincrby));
        table.register(zset("zrem", -3, "Removes members from a sorted set.",
                "O(M*log(N)) with N being the number of elements in the sorted set and M the number of elements to be removed.")
                .since("1.2.0").flags(WRITE, FAST).keys(1, 1, 1).keySpec(oneKey("RW delete"))
                .acl("write sortedset fast").implementation(this::zrem));
        table.register(zset("zcard", 2, "Answers how many members a sorted set has.", "O(1)")
                .since("1.2.0").flags(READONLY, FAST).keys(1, 1, 1).keySpec(oneKey("RO"))
                .acl("read sortedset fast").implementation(this::zcard));
        table.register(zset("zscore", 3, "Answers the score of a member.", "O(1)")
                .since("1.2.0").flags(READONLY, FAST).keys(1, 1, 1).keySpec(oneKey("RO access"))
                .acl("read sortedset fast").implementation(this::zscore));
        table.register(zset("zmscore", -3, "Answers the scores of several members.",
                "O(N) where N is the number of members being requested.")
                .since("6.2.0").flags(READONLY, FAST).keys(1, 1, 1).keySpec(oneKey("RO access"))
                .acl("read sortedset fast").implementation(this::zmscore));
        table.register(zset("zrank", -3, "Answers a member's position in ascending score order, optionally with its score.",
                "O(log(N))")
                .since("2.0.0").flags(READONLY, FAST).keys(1, 1, 1).keySpec(oneKey("RO access"))
                .acl("read sortedset fast").implementation((s, a) -> zrank(s, a, false)));
        table.register(zset("zrevrank", -3, "Answers a member's position in descending score order, optionally with its score.",
                "O(log(N))")
                .since("2.0.0").flags(READONLY, FAST).keys(1, 1, 1).keySpec(oneKey("RO access"))
                .acl("read sortedset fast").implementation((s, a) -> zrank(s, a, true)));
        ranges.register(table);
        pops.register(table);
        algebra.register(table);
        scan.register(table);
    }

    // ---- shared with the helpers ------------------------------------------------------------

    static CommandSpec zset(String name, int arity, String summary, String complexity) {
        return command(name).arity(arity).group("sorted-set").summary(summary).complexity(complexity);
    }

    long maxEntries() {
        return engine.settings().integer("zset-max-listpack-entries");
    }

    long maxValue() {
        return engine.settings().integer("zset-max-listpack-value");
    }

    /** The sorted set at argument {@code i}: null when absent, {@link Values#WRONG_TYPE} after the error. */
    Object lookup(Session session, Arguments args, int i, boolean write) {
        return Values.lookup(engine, session, session.database(), args.data(), args.offset(i), args.length(i),
                Entry.TYPE_ZSET, write);
    }

    /** After changing a set: syncs the entry's encoding, or deletes the key when it became empty. */
    void written(Session session, Arguments args, int i, ZSetValue set) {
        Values.written(session.database(), args.data(), args.offset(i), args.length(i), set);
    }

    /** Tells clients blocked on the key that it may now serve them. */
    void signalReady(Database db, byte[] key, int offset, int length) {
        engine.blocking().signalReady(db, key, offset, length);
    }

    /** Stores a *STORE result (replacing the destination, or deleting it when empty) and wakes waiters. */
    void store(Session session, byte[] key, int offset, int length, ZSetValue result) {
        Database db = session.database();
        Values.overwrite(db, key, offset, length, result);
        if (result.size() > 0) {
            signalReady(db, key, offset, length);
        }
    }

    /** Redis's string2d for scores, weights and increments; NaN after replying with {@code message}. */
    double score(Session session, Arguments args, int i, String message) {
        double value = ScoreFormat.parseStrict(args.data(), args.offset(i), args.length(i), parsed);
        if (Double.isNaN(value)) {
            error(session, message);
        }
        return value;
    }

    static void reply(RespWriter out, double score) {
        ScoreFormat.reply(out, score);
    }

    /** An element of a reply: the member, its score when asked, as a pair in RESP3. */
    static void element(RespWriter out, byte[] member, int offset, int length, double score, boolean withScores) {
        if (withScores && out.resp3()) {
            out.arrayHeader(2);
        }
        out.bulk(member, offset, length);
        if (withScores) {
            reply(out, score);
        }
    }

    // ---- ZADD and ZINCRBY -------------------------------------------------------------------

    private void zadd(Session session, Arguments args) {
        int flags = 0;
        int scoreIndex = 2;
        while (scoreIndex < args.count()) {
            int flag = flagOf(args, scoreIndex);
            if (flag == 0) {
                break;
            }
            flags |= flag;
            scoreIndex++;
        }
        addGeneric(session, args, flags, scoreIndex);
    }

    private static int flagOf(Arguments args, int i) {
        if (args.is(i, "NX")) {
            return NX;
        }
        if (args.is(i, "XX")) {
            return XX;
        }
        if (args.is(i, "CH")) {
            return CH;
        }
        if (args.is(i, "INCR")) {
            return INCR;
        }
        if (args.is(i, "GT")) {
            return GT;
        }
        if (args.is(i, "LT")) {
            return LT;
        }
        return 0;
    }

    private void zincrby(Session session, Arguments args) {
        addGeneric(session, args, INCR, 2);
    }

    private void addGeneric(Session session, Arguments args, int flags, int scoreIndex) {
        int elements = args.count() - scoreIndex;
        if (elements % 2 != 0 || elements == 0) {
            syntaxError(session);
            return;
        }
        elements /= 2;
        boolean nx = (flags & NX) != 0;
        boolean xx = (flags & XX) != 0;
        boolean gt = (flags & GT) != 0;
        boolean lt = (flags & LT) != 0;
        boolean incr = (flags & INCR) != 0;
        if (nx && xx) {
            error(session, "ERR XX and NX options at the same time are not compatible");
            return;
        }
        if ((gt && nx) || (lt && nx) || (gt && lt)) {
            error(session, "ERR GT, LT, and/or NX options at the same time are not compatible");
            return;
        }
        if (incr && elements > 1) {
            error(session, "ERR INCR option supports a single increment-element pair");
            return;
        }
        double[] scores = new double[elements];
        for (int j = 0; j < elements; j++) {
            scores[j] = score(session, args, scoreIndex + j * 2, Errors.NOT_FLOAT);
            if (Double.isNaN(scores[j])) {
                return;
            }
        }
        Object found = lookup(session, args, 1, true);
        if (found == Values.WRONG_TYPE) {
            return;
        }
        Database db = session.database();
        byte[] data = args.data();
        ZSetValue set = (ZSetValue) found;
        long added = 0;
        long updated = 0;
        long processed = 0;
        double score = 0;
        if (set == null) {
            if (xx) {
                replyAdd(session, incr, (flags & CH) != 0, 0, 0, 0, 0);
                return;
            }
            set = ZSetValue.forFirstMember(args.length(scoreIndex + 1), maxEntries(), maxValue());
            Values.create(db, data, args.offset(1), args.length(1), set);
        }
        long maxEntries = maxEntries();
        long maxValue = maxValue();
        for (int j = 0; j < elements; j++) {
            int m = scoreIndex + j * 2 + 1;
            int offset = args.offset(m);
            int length = args.length(m);
            score = scores[j];
            double current = set.score(data, offset, length);
            if (!Double.isNaN(current)) {
                if (nx) {
                    continue;
                }
                if (incr) {
                    score += current;
                    if (Double.isNaN(score)) {
                        error(session, "ERR resulting score is not a number (NaN)");
                        finishAdd(session, args, set, added + updated);
                        return;
                    }
                }
                if ((lt && score >= current) || (gt && score <= current)) {
                    continue;
                }
                processed++;
                if (score != current) {
                    set.setScore(data, offset, length, score);
                    updated++;
                }
            } else if (!xx) {
                set.add(data, offset, length, score, maxEntries, maxValue);
                added++;
                processed++;
            }
        }
        finishAdd(session, args, set, added + updated);
        replyAdd(session, incr, (flags & CH) != 0, added, updated, processed, score);
    }

    private void finishAdd(Session session, Arguments args, ZSetValue set, long changed) {
        written(session, args, 1, set);
        engine.changes(changed);
        if (changed > 0) {
            signalReady(session.database(), args.data(), args.offset(1), args.length(1));
        }
    }

    private static void replyAdd(Session session, boolean incr, boolean ch, long added, long updated, long processed,
                                 double score) {
        if (incr) {
            if (processed > 0) {
                reply(session.out(), score);
            } else {
                session.out().nullBulk();
            }
        } else {
            session.out().integer(ch ? added + updated : added);
        }
    }

    // ---- single members ---------------------------------------------------------------------

    private void zrem(Session session, Arguments args) {
        MemberRemoval.remove(engine, session, args, Entry.TYPE_ZSET, ZSetValue::remove);
    }

    private void zcard(Session session, Arguments args) {
        Object found = lookup(session, args, 1, false);
        if (found == Values.WRONG_TYPE) {
            return;
        }
        session.out().integer(found == null ? 0 : ((ZSetValue) found).size());
    }

    private void zscore(Session session, Arguments args) {
        Object found = lookup(session, args, 1, false);
        if (found == Values.WRONG_TYPE) {
            return;
        }
        double score = found == null ? Double.NaN
                : ((ZSetValue) found).score(args.data(), args.offset(2), args.length(2));
        if (Double.isNaN(score)) {
            session.out().nullBulk();
        } else {
            reply(session.out(), score);
        }
    }

    private void zmscore(Session session, Arguments args) {
        Object found = lookup(session, args, 1, false);
        if (found == Values.WRONG_TYPE) {
            return;
        }
        RespWriter out = session.out();
        out.arrayHeader(args.count() - 2);
        for (int i = 2; i < args.count(); i++) {
            double score = found == null ? Double.NaN
                    : ((ZSetValue) found).score(args.data(), args.offset(i), args.length(i));
            if (Double.isNaN(score)) {
                out.nullBulk();
            } else {
                reply(out, score);
            }
        }
    }

    /** ZRANK/ZREVRANK; WITHSCORE is Redis 7.2's addition, accepted here too. */
    private void zrank(Session session, Arguments args, boolean reverse) {
        if (args.count() > 4) {
            error(session, Errors.arity(args.nameLowerCase()));
            return;
        }
        boolean withScore = false;
        if (args.count() == 4) {
            if (!args.is(3, "WITHSCORE")) {
                syntaxError(session);
                return;
            }
            withScore = true;
        }
        Object found = lookup(session, args, 1, false);
        if (found == Values.WRONG_TYPE) {
            return;
        }
        RespWriter out = session.out();
        ZSetValue set = (ZSetValue) found;
        long rank = set == null ? -1 : set.rank(args.data(), args.offset(2), args.length(2));
        if (rank < 0) {
            if (withScore) {
                out.nullArray();
            } else {
                out.nullBulk();
            }
            return;
        }
        if (reverse) {
            rank = set.size() - 1 - rank;
        }
        if (withScore) {
            out.arrayHeader(2);
            out.integer(rank);
            reply(out, set.score(args.data(), args.offset(2), args.length(2)));
        } else {
            out.integer(rank);
        }
    }
}
