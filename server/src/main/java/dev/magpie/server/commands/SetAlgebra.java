package dev.magpie.server.commands;

import dev.magpie.protocol.RespWriter;
import dev.magpie.server.command.Arguments;
import dev.magpie.server.command.CommandTable;
import dev.magpie.server.command.KeySpec;
import dev.magpie.server.keyspace.Database;
import dev.magpie.server.session.Session;
import dev.magpie.server.types.SetMember;
import dev.magpie.server.types.SetValue;
import dev.magpie.server.types.Values;

import java.util.Arrays;
import java.util.Comparator;

import static dev.magpie.server.command.CommandFlag.DENYOOM;
import static dev.magpie.server.command.CommandFlag.MOVABLEKEYS;
import static dev.magpie.server.command.CommandFlag.READONLY;
import static dev.magpie.server.command.CommandFlag.WRITE;

/**
 * SMEMBERS, SINTER, SINTERCARD, SUNION, SDIFF and the STORE forms, following Redis's
 * sinterGenericCommand and sunionDiffGenericCommand step by step, because their choices show:
 * an intersection walks the smallest set (so its order is that set's); a union or difference is
 * built as a new set that starts as an intset (so an all-integer result comes back sorted), and
 * the difference picks one of two algorithms, which decides the encoding of what SDIFFSTORE stores.
 */
final class SetAlgebra {
    private static final String NUMKEYS = "ERR numkeys should be greater than 0";
    private static final String TOO_MANY_KEYS = "ERR Number of keys can't be greater than number of args";
    private static final String NEGATIVE_LIMIT = "ERR LIMIT can't be negative";
    private static final String ORDER = "nondeterministic_output_order";

    private final SetCommands sets;
    private final SetMember other = new SetMember();

    SetAlgebra(SetCommands sets) {
        this.sets = sets;
    }

    void register(CommandTable table) {
        table.register(SetCommands.set("smembers", 2, "Answers every member of a set.",
                        "O(N) where N is the set cardinality.")
                .flags(READONLY).keys(1, 1, 1).keySpec(SetCommands.oneKey("RO access")).acl("read set slow").tips(ORDER)
                .implementation((session, args) -> intersect(session, args, 1, 1, -1, false, 0)));
        table.register(SetCommands.set("sinter", -2, "Answers the members common to all the given sets.",
                        "O(N*M) worst case where N is the cardinality of the smallest set and M is the number of sets.")
                .flags(READONLY).keys(1, -1, 1).keySpec(KeySpec.range("RO access", 1, -1, 1, 0)).acl("read set slow")
                .tips(ORDER).implementation((session, args) -> intersect(session, args, 1, args.count() - 1, -1, false, 0)));
        table.register(SetCommands.set("sintercard", -3, "Answers how many members all the given sets have in common, "
                        + "optionally counting no further than a limit.",
                        "O(N*M) worst case where N is the cardinality of the smallest set and M is the number of sets.")
                .since("7.0.0").flags(READONLY, MOVABLEKEYS).keys(0, 0, 0).keySpec(KeySpec.keyNum("RO access", 1, 0, 1, 1))
                .acl("read set slow").implementation(this::sintercard));
        table.register(SetCommands.set("sinterstore", -3, "Stores the members common to all the given sets under a key.",
                        "O(N*M) worst case where N is the cardinality of the smallest set and M is the number of sets.")
                .flags(WRITE, DENYOOM).keys(1, -1, 1).keySpec(SetCommands.oneKey("RW update"))
                .keySpec(KeySpec.range("RO access", 2, -1, 1, 0)).acl("write set slow")
                .implementation((session, args) -> intersect(session, args, 2, args.count() - 2, 1, false, 0)));
        table.register(SetCommands.set("sunion", -2, "Answers the members of any of the given sets.",
                        "O(N) where N is the total number of elements in all given sets.")
                .flags(READONLY).keys(1, -1, 1).keySpec(KeySpec.range("RO access", 1, -1, 1, 0)).acl("read set slow")
                .tips(ORDER).implementation((session, args) -> unionOrDiff(session, args, 1, -1, false)));
        table.register(SetCommands.set("sunionstore", -3, "Stores the members of any of the given sets under a key.",
                        "O(N) where N is the total number of elements in all given sets.")
                .flags(WRITE, DENYOOM).keys(1, -1, 1).keySpec(SetCommands.oneKey("OW update"))
                .keySpec(KeySpec.range("RO access", 2, -1, 1, 0)).acl("write set slow")
                .implementation((session, args) -> unionOrDiff(session, args, 2, 1, false)));
        table.register(SetCommands.set("sdiff", -2, "Answers the members of the first set that are in none of the others.",
                        "O(N) where N is the total number of elements in all given sets.")
                .flags(READONLY).keys(1, -1, 1).keySpec(KeySpec.range("RO access", 1, -1, 1, 0)).acl("read set slow")
                .tips(ORDER).implementation((session, args) -> unionOrDiff(session, args, 1, -1, true)));
        table.register(SetCommands.set("sdiffstore", -3, "Stores the members of the first set that are in none of the "
                        + "others under a key.", "O(N) where N is the total number of elements in all given sets.")
                .flags(WRITE, DENYOOM).keys(1, -1, 1).keySpec(SetCommands.oneKey("OW update"))
                .keySpec(KeySpec.range("RO access", 2, -1, 1, 0)).acl("write set slow")
                .implementation((session, args) -> unionOrDiff(session, args, 2, 1, true)));
    }

    /** The sets under {@code count} keys from {@code first} (null for absent ones), or null after WRONGTYPE. */
    private SetValue[] lookupAll(Session session, Arguments args, int first, int count, boolean write) {
        SetValue[] found = new SetValue[count];
        for (int i = 0; i < count; i++) {
            Object value = sets.lookup(session, args, first + i, write);
            if (value == Values.WRONG_TYPE) {
                return null;
            }
            found[i] = (SetValue) value;
        }
        return found;
    }

    private void sintercard(Session session, Arguments args) {
        long numKeys = args.parseLong(1);
        if (!args.parsedOk() || numKeys < 1) {
            sets.fail(session, NUMKEYS);
            return;
        }
        if (numKeys > args.count() - 2) {
            sets.fail(session, TOO_MANY_KEYS);
            return;
        }
        long limit = 0;
        for (int i = 2 + (int) numKeys; i < args.count(); i++) {
            if (StringCommands.option(args, i, "LIMIT") && i + 1 < args.count()) {
                limit = args.parseLong(++i);
                if (!args.parsedOk() || limit < 0) {
                    sets.fail(session, NEGATIVE_LIMIT);
                    return;
                }
            } else {
                sets.syntax(session);
                return;
            }
        }
        intersect(session, args, 2, (int) numKeys, -1, true, limit);
    }

    /** Redis's sinterGenericCommand: reply, count, or store ({@code destination} >= 0) the intersection. */
    private void intersect(Session session, Arguments args, int first, int count, int destination,
                           boolean cardinalityOnly, long limit) {
        SetValue[] found = lookupAll(session, args, first, count, destination >= 0);
        if (found == null) {
            return;
        }
        RespWriter out = session.out();
        Database db = session.database();
        for (SetValue set : found) {
            if (set == null) {
                if (destination >= 0) {
                    store(session, args, destination, SetValue.emptyIntset());
                } else if (cardinalityOnly) {
                    out.integer(0);
                } else {
                    out.setHeader(0);
                }
                return;
            }
        }
        // Smallest first; a stable sort keeps equal sizes in key order, as glibc's merge-sorting qsort does.
        SetValue[] bySize = found.clone();
        Arrays.sort(bySize, Comparator.comparingLong(SetValue::size));
        SetValue smallest = bySize[0];
        SetMember member = sets.member;
        if (destination < 0 && !cardinalityOnly && bySize.length == 1) {
            out.setHeader(smallest.size());
            sets.replyMembers(out, smallest);
            return;
        }
        SetValue result = destination >= 0 ? SetValue.emptyIntset() : null;
        int[] kept = destination < 0 && !cardinalityOnly ? new int[(int) smallest.size()] : null;
        long cardinality = 0;
        long maxIntset = sets.maxIntsetEntries();
        for (int at = smallest.first(); at >= 0; at = smallest.next(at)) {
            smallest.load(at, member);
            if (!inAllOthers(bySize, member)) {
                continue;
            }
            if (cardinalityOnly) {
                cardinality++;
                if (limit != 0 && cardinality >= limit) {
                    break;
                }
            } else if (result != null) {
                result.add(member, maxIntset);
            } else {
                kept[(int) cardinality++] = at;
            }
        }
        if (cardinalityOnly) {
            out.integer(cardinality);
        } else if (result != null) {
            store(session, args, destination, result);
        } else {
            out.setHeader(cardinality);
            for (int i = 0; i < cardinality; i++) {
                smallest.load(kept[i], member);
                out.bulk(member.array, member.offset, member.length);
            }
        }
    }

    private static boolean inAllOthers(SetValue[] bySize, SetMember member) {
        for (int j = 1; j < bySize.length; j++) {
            if (bySize[j] != bySize[0] && !bySize[j].contains(member)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Redis's sunionDiffGenericCommand: keys from {@code first} to the last argument; the result
     * is replied (in its own order) or stored under argument {@code destination}.
     */
    private void unionOrDiff(Session session, Arguments args, int first, int destination, boolean diff) {
        SetValue[] found = lookupAll(session, args, first, args.count() - first, destination >= 0);
        if (found == null) {
            return;
        }
        boolean sameSet = false;
        for (int j = 1; j < found.length; j++) {
            if (found[0] != null && found[j] == found[0]) {
                sameSet = true;
            }
        }
        SetValue result = SetValue.emptyIntset();
        long maxIntset = sets.maxIntsetEntries();
        if (!diff) {
            for (SetValue set : found) {
                if (set != null) {
                    addAll(result, set, maxIntset);
                }
            }
        } else if (found[0] != null && !sameSet) {
            // Redis weighs walking the first set against walking all of them.
            long walkFirst = 0;
            long walkAll = 0;
            for (SetValue set : found) {
                if (set != null) {
                    walkFirst += found[0].size();
                    walkAll += set.size();
                }
            }
            if (walkFirst / 2 <= walkAll) {
                diffByMembership(found, result, maxIntset);
            } else {
                diffByRemoval(found, result, maxIntset);
            }
        }
        if (destination >= 0) {
            store(session, args, destination, result);
            return;
        }
        RespWriter out = session.out();
        out.setHeader(result.size());
        sets.replyMembers(out, result);
    }

    private void addAll(SetValue result, SetValue set, long maxIntset) {
        for (int at = set.first(); at >= 0; at = set.next(at)) {
            set.load(at, other);
            result.add(other, maxIntset);
        }
    }

    /** Each member of the first set that no other set holds. */
    private void diffByMembership(SetValue[] found, SetValue result, long maxIntset) {
        SetValue base = found[0];
        for (int at = base.first(); at >= 0; at = base.next(at)) {
            base.load(at, other);
            boolean elsewhere = false;
            for (int j = 1; j < found.length && !elsewhere; j++) {
                elsewhere = found[j] != null && found[j].contains(other);
            }
            if (!elsewhere) {
                result.add(other, maxIntset);
            }
        }
    }

    /** The whole first set, less every member of the others (stopping once nothing is left). */
    private void diffByRemoval(SetValue[] found, SetValue result, long maxIntset) {
        addAll(result, found[0], maxIntset);
        for (int j = 1; j < found.length && result.size() > 0; j++) {
            SetValue set = found[j];
            if (set == null) {
                continue;
            }
            for (int at = set.first(); at >= 0; at = set.next(at)) {
                set.load(at, other);
                result.remove(other);
            }
        }
    }

    /** Replaces the destination with the result (deleting it when the result is empty) and replies its size. */
    private void store(Session session, Arguments args, int destination, SetValue result) {
        Values.overwrite(session.database(), args.data(), args.offset(destination), args.length(destination), result);
        session.out().integer(result.size());
    }
}
