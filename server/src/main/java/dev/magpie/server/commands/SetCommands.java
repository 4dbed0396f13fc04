package dev.magpie.server.commands;

import dev.magpie.protocol.RespWriter;
import dev.magpie.server.command.Arguments;
import dev.magpie.server.command.CommandSpec;
import dev.magpie.server.command.CommandTable;
import dev.magpie.server.command.Errors;
import dev.magpie.server.command.KeySpec;
import dev.magpie.server.config.Setting;
import dev.magpie.server.engine.Engine;
import dev.magpie.server.keyspace.Database;
import dev.magpie.server.keyspace.Entry;
import dev.magpie.server.session.Session;
import dev.magpie.server.types.SetMember;
import dev.magpie.server.types.SetValue;
import dev.magpie.server.types.Values;

import static dev.magpie.server.command.CommandFlag.DENYOOM;
import static dev.magpie.server.command.CommandFlag.FAST;
import static dev.magpie.server.command.CommandFlag.READONLY;
import static dev.magpie.server.command.CommandFlag.WRITE;

/**
 * The set type's commands (Redis's t_set.c). This class declares the family and implements the
 * single-key commands; intersections, unions and differences live in {@link SetAlgebra}, random
 * picks in {@link SetRandom}, SSCAN in {@link HashScanning}.
 */
public final class SetCommands extends CommandFamily {
    private final Setting maxIntsetEntries;
    /** Reused by every command (engine thread only). */
    final SetMember member = new SetMember();
    private final SetAlgebra algebra = new SetAlgebra(this);
    private final SetRandom random = new SetRandom(this);
    private final HashScanning scanning;

    public SetCommands(Engine engine) {
        super(engine);
        this.maxIntsetEntries = engine.settings().find("set-max-intset-entries");
        this.scanning = new HashScanning(engine);
    }

    @Override
    public void register(CommandTable table) {
        table.register(set("sadd", -3, "Adds members to a set, creating the set when absent.",
                        "O(1) for each element added, so O(N) to add N elements when the command is called with "
                                + "multiple arguments.")
                .flags(WRITE, DENYOOM, FAST).keys(1, 1, 1).keySpec(oneKey("RW insert")).acl("write set fast")
                .implementation(this::sadd));
        table.register(set("srem", -3, "Removes members from a set, and the set itself once it is empty.",
                        "O(N) where N is the number of members to be removed.")
                .flags(WRITE, FAST).keys(1, 1, 1).keySpec(oneKey("RW delete")).acl("write set fast")
                .implementation(this::srem));
        table.register(set("scard", 2, "Answers how many members a set has.", "O(1)")
                .flags(READONLY, FAST).keys(1, 1, 1).keySpec(oneKey("RO")).acl("read set fast")
                .implementation(this::scard));
        table.register(set("sismember", 3, "Tells whether a value is a member of a set.", "O(1)")
                .flags(READONLY, FAST).keys(1, 1, 1).keySpec(oneKey("RO")).acl("read set fast")
                .implementation(this::sismember));
        table.register(set("smismember", -3, "Tells, for each of several values, whether it is a member of a set.",
                        "O(N) where N is the number of elements being checked for membership")
                .since("6.2.0").flags(READONLY, FAST).keys(1, 1, 1).keySpec(oneKey("RO access")).acl("read set fast")
                .implementation(this::smismember));
        table.register(set("smove", 4, "Moves a member from one set to another.", "O(1)")
                .flags(WRITE, FAST).keys(1, 2, 1).keySpec(oneKey("RW access delete"))
                .keySpec(KeySpec.range("RW insert", 2, 0, 1, 0)).acl("write set fast")
                .implementation(this::smove));
        algebra.register(table);
        random.register(table);
        table.register(set("sscan", -3, "Iterates over the members of a set with a cursor.",
                        "O(1) for every call. O(N) for a complete iteration, including enough command calls for the "
                                + "cursor to return back to 0. N is the number of elements inside the collection..")
                .since("2.8.0").flags(READONLY).keys(1, 1, 1).keySpec(oneKey("RO access")).acl("read set slow")
                .tips("nondeterministic_output").implementation(scanning::sscan));
    }

    // ---- shared with the helpers --------------------------------------------------------------

    /** A command of the set group; since 1.0.0 unless the declaration says otherwise. */
    static CommandSpec set(String name, int arity, String summary, String complexity) {
        return command(name).arity(arity).group("set").since("1.0.0").summary(summary).complexity(complexity);
    }

    long maxIntsetEntries() {
        return (Long) maxIntsetEntries.value();
    }

    /** The set under argument {@code index}: the value, null when absent, or WRONG_TYPE after the error. */
    Object lookup(Session session, Arguments args, int index, boolean write) {
        return Values.lookup(engine, session, session.database(), args.data(), args.offset(index), args.length(index),
                Entry.TYPE_SET, write);
    }

    /** Writes every member of a set, in its own order. */
    void replyMembers(RespWriter out, SetValue set) {
        for (int at = set.first(); at >= 0; at = set.next(at)) {
            set.load(at, member);
            out.bulk(member.array, member.offset, member.length);
        }
    }

    // ---- commands -----------------------------------------------------------------------------

    private void sadd(Session session, Arguments args) {
        Database db = session.database();
        long entry = db.lookupWrite(args.data(), args.offset(1), args.length(1));
        SetValue set;
        if (entry == 0) {
            set = SetValue.forFirstMember(args.data(), args.offset(2), args.length(2));
            entry = Values.create(db, args.data(), args.offset(1), args.length(1), set);
        } else if (Entry.type(entry) != Entry.TYPE_SET) {
            error(session, Errors.WRONG_TYPE);
            return;
        } else {
            set = (SetValue) db.value(entry);
        }
        long max = maxIntsetEntries();
        int added = 0;
        for (int i = 2; i < args.count(); i++) {
            if (set.add(args.data(), args.offset(i), args.length(i), max)) {
                added++;
            }
        }
        Values.written(db, entry, set);
        engine.changes(added);
        session.out().integer(added);
    }

    private void srem(Session session, Arguments args) {
        MemberRemoval.<SetValue>remove(engine, session, args, Entry.TYPE_SET, SetValue::remove);
    }

    private void scard(Session session, Arguments args) {
        Object value = lookup(session, args, 1, false);
        if (value != Values.WRONG_TYPE) {
            session.out().integer(value == null ? 0 : ((SetValue) value).size());
        }
    }

    private void sismember(Session session, Arguments args) {
        Object value = lookup(session, args, 1, false);
        if (value != Values.WRONG_TYPE) {
            boolean found = value != null && ((SetValue) value).contains(args.data(), args.offset(2), args.length(2));
            session.out().integer(found ? 1 : 0);
        }
    }

    private void smismember(Session session, Arguments args) {
        Object value = lookup(session, args, 1, false);
        if (value == Values.WRONG_TYPE) {
            return;
        }
        RespWriter out = session.out();
        out.arrayHeader(args.count() - 2);
        for (int i = 2; i < args.count(); i++) {
            boolean found = value != null && ((SetValue) value).contains(args.data(), args.offset(i), args.length(i));
            out.integer(found ? 1 : 0);
        }
    }

    private void smove(Session session, Arguments args) {
        Database db = session.database();
        byte[] data = args.data();
        long source = db.lookupWrite(data, args.offset(1), args.length(1));
        long destination = db.lookupWrite(data, args.offset(2), args.length(2));
        if (source == 0) {
            session.out().integer(0);
            return;
        }
        if (Entry.type(source) != Entry.TYPE_SET || (destination != 0 && Entry.type(destination) != Entry.TYPE_SET)) {
            error(session, Errors.WRONG_TYPE);
            return;
        }
        SetValue from = (SetValue) db.value(source);
        if (source == destination) {
            session.out().integer(from.contains(data, args.offset(3), args.length(3)) ? 1 : 0);
            return;
        }
        if (!from.remove(data, args.offset(3), args.length(3))) {
            session.out().integer(0);
            return;
        }
        Values.written(db, source, from);
        destination = db.keyspace().find(data, args.offset(2), args.length(2));
        SetValue to;
        if (destination == 0) {
            to = SetValue.forFirstMember(data, args.offset(3), args.length(3));
            destination = Values.create(db, data, args.offset(2), args.length(2), to);
        } else {
            to = (SetValue) db.value(destination);
        }
        to.add(data, args.offset(3), args.length(3), maxIntsetEntries());
        Values.written(db, destination, to);
        session.out().integer(1);
    }
}
