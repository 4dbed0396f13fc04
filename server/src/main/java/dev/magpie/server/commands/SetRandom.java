package dev.magpie.server.commands;

import dev.magpie.protocol.RespWriter;
import dev.magpie.server.command.Arguments;
import dev.magpie.server.command.CommandTable;
import dev.magpie.server.command.Errors;
import dev.magpie.server.keyspace.Database;
import dev.magpie.server.keyspace.Entry;
import dev.magpie.server.session.Session;
import dev.magpie.server.types.SetMember;
import dev.magpie.server.types.SetValue;
import dev.magpie.server.types.Values;

import java.util.HashSet;
import java.util.concurrent.ThreadLocalRandom;

import static dev.magpie.server.command.CommandFlag.FAST;
import static dev.magpie.server.command.CommandFlag.READONLY;
import static dev.magpie.server.command.CommandFlag.WRITE;

/** SPOP and SRANDMEMBER: random members, removed or not; a count asks for several. */
final class SetRandom {
    private static final String NOT_POSITIVE = "ERR value is out of range, must be positive";

    private final SetCommands sets;

    SetRandom(SetCommands sets) {
        this.sets = sets;
    }

    void register(CommandTable table) {
        table.register(SetCommands.set("spop", -2, "Removes random members from a set and answers them.",
                        "Without the count argument O(1), otherwise O(N) where N is the value of the passed count.")
                .flags(WRITE, FAST).keys(1, 1, 1).keySpec(SetCommands.oneKey("RW access delete")).acl("write set fast")
                .tips("nondeterministic_output").implementation(this::spop));
        table.register(SetCommands.set("srandmember", -2, "Answers random members of a set (distinct ones for a "
                        + "positive count, possibly repeated for a negative one).",
                        "Without the count argument O(1), otherwise O(N) where N is the absolute value of the passed count.")
                .flags(READONLY).keys(1, 1, 1).keySpec(SetCommands.oneKey("RO access")).acl("read set slow")
                .tips("nondeterministic_output").implementation(this::srandmember));
    }

    private void spop(Session session, Arguments args) {
        if (args.count() > 3) {
            sets.syntax(session);
            return;
        }
        long count = 1;
        if (args.count() == 3) {
            count = args.parseLong(2);
            if (!args.parsedOk() || count < 0) {
                sets.fail(session, NOT_POSITIVE);
                return;
            }
        }
        Database db = session.database();
        long entry = db.lookupWrite(args.data(), args.offset(1), args.length(1));
        RespWriter out = session.out();
        if (entry == 0) {
            if (args.count() == 3) {
                out.setHeader(0);
            } else {
                out.nullBulk();
            }
            return;
        }
        if (Entry.type(entry) != Entry.TYPE_SET) {
            sets.fail(session, Errors.WRONG_TYPE);
            return;
        }
        SetValue set = (SetValue) db.value(entry);
        SetMember member = sets.member;
        ThreadLocalRandom random = ThreadLocalRandom.current();
        if (args.count() == 2) {
            popOne(out, set, member, random);
        } else if (count == 0) {
            out.setHeader(0);
            return;
        } else if (count >= set.size()) {
            // Redis answers with SUNION of the key (so an all-integer set comes back sorted), then deletes it.
            SetValue union = SetValue.emptyIntset();
            long maxIntset = sets.maxIntsetEntries();
            for (int at = set.first(); at >= 0; at = set.next(at)) {
                set.load(at, member);
                union.add(member, maxIntset);
            }
            out.setHeader(union.size());
            sets.replyMembers(out, union);
            db.delete(entry);
            return;
        } else {
            out.setHeader(count);
            for (long i = 0; i < count; i++) {
                popOne(out, set, member, random);
            }
        }
        Values.written(db, entry, set);
    }

    private static void popOne(RespWriter out, SetValue set, SetMember member, ThreadLocalRandom random) {
        int at = set.randomPosition(random);
        set.load(at, member);
        out.bulk(member.array, member.offset, member.length);
        set.removeAt(at);
    }

    private void srandmember(Session session, Arguments args) {
        if (args.count() > 3) {
            sets.syntax(session);
            return;
        }
        RespWriter out = session.out();
        SetMember member = sets.member;
        ThreadLocalRandom random = ThreadLocalRandom.current();
        if (args.count() == 2) {
            Object value = sets.lookup(session, args, 1, false);
            if (value == Values.WRONG_TYPE) {
                return;
            }
            if (value == null) {
                out.nullBulk();
                return;
            }
            SetValue set = (SetValue) value;
            set.load(set.randomPosition(random), member);
            out.bulk(member.array, member.offset, member.length);
            return;
        }
        long requested = args.parseLong(2);
        if (!args.parsedOk()) {
            sets.fail(session, Errors.NOT_INTEGER);
            return;
        }
        if (requested == Long.MIN_VALUE) {
            sets.fail(session, HashRandomField.COUNT_RANGE);
            return;
        }
        Object value = sets.lookup(session, args, 1, false);
        if (value == Values.WRONG_TYPE) {
            return;
        }
        if (value == null || requested == 0) {
            out.emptyArray();
            return;
        }
        SetValue set = (SetValue) value;
        long count = Math.abs(requested);
        if (requested < 0 || count == 1) {
            out.arrayHeader(count);
            for (long i = 0; i < count; i++) {
                set.load(set.randomPosition(random), member);
                out.bulk(member.array, member.offset, member.length);
            }
            return;
        }
        long size = set.size();
        if (count >= size) {
            out.arrayHeader(size);
            sets.replyMembers(out, set);
            return;
        }
        out.arrayHeader(count);
        if (count * 4 <= size) {
            // Few of many: draw positions until enough distinct ones came up.
            HashSet<Integer> seen = new HashSet<>();
            while (seen.size() < count) {
                int at = set.randomPosition(random);
                if (seen.add(at)) {
                    set.load(at, member);
                    out.bulk(member.array, member.offset, member.length);
                }
            }
            return;
        }
        int[] positions = new int[(int) size];
        int n = 0;
        for (int at = set.first(); at >= 0; at = set.next(at)) {
            positions[n++] = at;
        }
        for (int i = 0; i < count; i++) {
            int j = i + random.nextInt(n - i);
            int chosen = positions[j];
            positions[j] = positions[i];
            positions[i] = chosen;
            set.load(chosen, member);
            out.bulk(member.array, member.offset, member.length);
        }
    }
}
