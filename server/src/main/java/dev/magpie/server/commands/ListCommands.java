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
import dev.magpie.server.types.ListValue;
import dev.magpie.server.types.Values;

import static dev.magpie.server.command.CommandFlag.DENYOOM;
import static dev.magpie.server.command.CommandFlag.FAST;
import static dev.magpie.server.command.CommandFlag.READONLY;
import static dev.magpie.server.command.CommandFlag.WRITE;

/**
 * The list type's commands (Redis's t_list.c). This class declares the family and implements the
 * commands on one list; LPOS, the moves between lists, LMPOP and the blocking commands live in
 * {@link ListMoveCommands} and {@link BlockingListCommands}.
 */
public final class ListCommands extends CommandFamily {
    /** Returned by {@link #entry} after it answered WRONGTYPE. */
    static final long WRONG_TYPE = -1;

    private final ListMoveCommands moves = new ListMoveCommands(this);
    private final BlockingListCommands blocking = new BlockingListCommands(this, moves);

    public ListCommands(Engine engine) {
        super(engine);
    }

    @Override
    public void register(CommandTable table) {
        String push = "O(1) per element pushed.";
        table.register(list("lpush", -3, "Adds elements at the head of a list, creating it when absent.", push)
                .flags(WRITE, DENYOOM, FAST).keys(1, 1, 1).keySpec(oneKey("RW insert")).acl("write list fast")
                .implementation((s, a) -> push(s, a, true, false)));
        table.register(list("rpush", -3, "Adds elements at the tail of a list, creating it when absent.", push)
                .flags(WRITE, DENYOOM, FAST).keys(1, 1, 1).keySpec(oneKey("RW insert")).acl("write list fast")
                .implementation((s, a) -> push(s, a, false, false)));
        table.register(list("lpushx", -3, "Adds elements at the head of a list, only when the list exists.", push)
                .since("2.2.0").flags(WRITE, DENYOOM, FAST).keys(1, 1, 1).keySpec(oneKey("RW insert"))
                .acl("write list fast").implementation((s, a) -> push(s, a, true, true)));
        table.register(list("rpushx", -3, "Adds elements at the tail of a list, only when the list exists.", push)
                .since("2.2.0").flags(WRITE, DENYOOM, FAST).keys(1, 1, 1).keySpec(oneKey("RW insert"))
                .acl("write list fast").implementation((s, a) -> push(s, a, false, true)));
        String pop = "O(N) in the number of elements answered.";
        table.register(list("lpop", -2, "Removes and answers the first elements of a list.", pop)
                .flags(WRITE, FAST).keys(1, 1, 1).keySpec(oneKey("RW access delete")).acl("write list fast")
                .implementation((s, a) -> pop(s, a, true)));
        table.register(list("rpop", -2, "Removes and answers the last elements of a list.", pop)
                .flags(WRITE, FAST).keys(1, 1, 1).keySpec(oneKey("RW access delete")).acl("write list fast")
                .implementation((s, a) -> pop(s, a, false)));
        table.register(list("llen", 2, "Answers the number of elements in a list.", "O(1)")
                .flags(READONLY, FAST).keys(1, 1, 1).keySpec(oneKey("RO")).acl("read list fast")
                .implementation(this::llen));
        table.register(list("lrange", 4, "Answers the elements of a list between two indexes.",
                        "O(S+N): S to reach the start from the nearer end, N elements answered.")
                .flags(READONLY).keys(1, 1, 1).keySpec(oneKey("RO access")).acl("read list slow")
                .implementation(this::lrange));
        table.register(list("lindex", 3, "Answers the element of a list at an index.",
                        "O(N) in the distance from the nearer end.")
                .flags(READONLY).keys(1, 1, 1).keySpec(oneKey("RO access")).acl("read list slow")
                .implementation(this::lindex));
        table.register(list("lset", 4, "Replaces the element of a list at an index.",
                        "O(N) in the distance from the nearer end.")
                .flags(WRITE, DENYOOM).keys(1, 1, 1).keySpec(oneKey("RW update")).acl("write list slow")
                .implementation(this::lset));
        table.register(list("linsert", 5, "Inserts an element before or after the first occurrence of another.",
                        "O(N) in the elements passed before the pivot.")
                .since("2.2.0").flags(WRITE, DENYOOM).keys(1, 1, 1).keySpec(oneKey("RW insert"))
                .acl("write list slow").implementation(this::linsert));
        table.register(list("lrem", 4, "Removes occurrences of an element from a list.",
                        "O(N+M): N the list's length, M the elements removed.")
                .flags(WRITE).keys(1, 1, 1).keySpec(oneKey("RW delete")).acl("write list slow")
                .implementation(this::lrem));
        table.register(list("ltrim", 4, "Keeps only the elements of a list between two indexes.",
                        "O(N) in the elements removed.")
                .flags(WRITE).keys(1, 1, 1).keySpec(oneKey("RW delete")).acl("write list slow")
                .implementation(this::ltrim));
        moves.register(table);
        blocking.register(table);
    }

    // ---- shared with the helpers ------------------------------------------------------------

    /** A command of the list group; since 1.0.0 unless the declaration says otherwise. */
    static CommandSpec list(String name, int arity, String summary, String complexity) {
        return command(name).arity(arity).group("list").summary(summary).complexity(complexity);
    }

    /**
     * The entry of the list at argument {@code i}: 0 when absent, {@link #WRONG_TYPE} after
     * answering WRONGTYPE. Reads count keyspace hits and misses, as Redis's lookupKeyRead does.
     */
    long entry(Session session, Arguments args, int i, boolean write) {
        Database db = session.database();
        long entry = write ? db.lookupWrite(args.data(), args.offset(i), args.length(i))
                : db.lookupRead(args.data(), args.offset(i), args.length(i), !session.noTouch());
        if (entry != 0 && Entry.type(entry) != Entry.TYPE_LIST) {
            error(session, Errors.WRONG_TYPE);
            return WRONG_TYPE;
        }
        return entry;
    }

    static ListValue value(Database db, long entry) {
        return (ListValue) db.value(entry);
    }

    /** Creates an empty list under a key the caller knows is absent. */
    ListValue create(Database db, byte[] key, int offset, int length) {
        ListValue list = new ListValue(engine.settings().integer("list-max-listpack-size"));
        Values.create(db, key, offset, length, list);
        return list;
    }

    /** Redis never keeps an empty list: deletes the key once its list is empty. */
    static void deleteIfEmpty(Database db, long entry, ListValue list) {
        if (list.size() == 0) {
            db.delete(entry);
        }
    }

    /** Tells clients blocked on the key that it may now serve them. */
    void signalReady(Database db, byte[] key, int offset, int length) {
        engine.blocking().signalReady(db, key, offset, length);
    }

    /** LEFT or RIGHT (compared as C strings, as Redis does): 1 for left, 0 for right, -1 after a syntax error. */
    int side(Session session, Arguments args, int i) {
        if (StringCommands.option(args, i, "LEFT")) {
            return 1;
        }
        if (StringCommands.option(args, i, "RIGHT")) {
            return 0;
        }
        syntaxError(session);
        return -1;
    }

    /**
     * A count that must lie in 0..Long.MAX_VALUE; a bad one is answered with {@code message} (or
     * "value is out of range, must be positive"). Returns -1 after the error.
     */
    long positive(Session session, Arguments args, int i, String message) {
        long value = args.parseLong(i);
        if (!args.parsedOk() || value < 0) {
            error(session, message == null ? "ERR value is out of range, must be positive" : message);
            return -1;
        }
        return value;
    }

    /** Answers elements start..end of the list as an array, with LRANGE's rules for the indexes. */
    static void replyRange(RespWriter out, ListValue list, long start, long end) {
        long size = list.size();
        if (start < 0) {
            start = size + start;
        }
        if (end < 0) {
            end = size + end;
        }
        if (start < 0) {
            start = 0;
        }
        if (start > end || start >= size) {
            out.emptyArray();
            return;
        }
        if (end >= size) {
            end = size - 1;
        }
        long count = end - start + 1;
        out.arrayHeader(count);
        list.replyRange(out, start, count);
    }

    // ---- push and pop -------------------------------------------------------------------------

    private void push(Session session, Arguments args, boolean head, boolean onlyExisting) {
        Database db = session.database();
        long entry = entry(session, args, 1, true);
        if (entry == WRONG_TYPE) {
            return;
        }
        byte[] data = args.data();
        ListValue list;
        if (entry == 0) {
            if (onlyExisting) {
                session.out().integer(0);
                return;
            }
            list = create(db, data, args.offset(1), args.length(1));
        } else {
            list = value(db, entry);
        }
        for (int i = 2; i < args.count(); i++) {
            list.push(head, data, args.offset(i), args.length(i));
        }
        engine.changes(args.count() - 2);
        session.out().integer(list.size());
        signalReady(db, data, args.offset(1), args.length(1));
    }

    private void pop(Session session, Arguments args, boolean head) {
        if (args.count() > 3) {
            error(session, Errors.arity(args.nameLowerCase()));
            return;
        }
        boolean withCount = args.count() == 3;
        long count = 0;
        if (withCount) {
            count = positive(session, args, 2, null);
            if (count < 0) {
                return;
            }
        }
        long entry = entry(session, args, 1, true);
        if (entry == WRONG_TYPE) {
            return;
        }
        RespWriter out = session.out();
        if (entry == 0) {
            if (withCount) {
                out.nullArray();
            } else {
                out.nullBulk();
            }
            return;
        }
        Database db = session.database();
        ListValue list = value(db, entry);
        if (!withCount) {
            list.pop(head, out);
        } else if (count == 0) {
            out.emptyArray();
            return;
        } else {
            out.arrayHeader(Math.min(count, list.size()));
            list.pop(head, count, out);
        }
        deleteIfEmpty(db, entry, list);
    }

    // ---- reading ------------------------------------------------------------------------------

    private void llen(Session session, Arguments args) {
        long entry = entry(session, args, 1, false);
        if (entry != WRONG_TYPE) {
            session.out().integer(entry == 0 ? 0 : value(session.database(), entry).size());
        }
    }

    private void lrange(Session session, Arguments args) {
        long start = integer(session, args, 2);
        if (!args.parsedOk()) {
            return;
        }
        long end = integer(session, args, 3);
        if (!args.parsedOk()) {
            return;
        }
        long entry = entry(session, args, 1, false);
        if (entry == WRONG_TYPE) {
            return;
        }
        if (entry == 0) {
            session.out().emptyArray();
            return;
        }
        replyRange(session.out(), value(session.database(), entry), start, end);
    }

    private void lindex(Session session, Arguments args) {
        long entry = entry(session, args, 1, false);
        if (entry == WRONG_TYPE) {
            return;
        }
        if (entry == 0) {
            session.out().nullBulk();
            return;
        }
        long index = integer(session, args, 2);
        if (!args.parsedOk()) {
            return;
        }
        ListValue list = value(session.database(), entry);
        index = normalize(index, list.size());
        if (index < 0) {
            session.out().nullBulk();
        } else {
            list.replyAt(index, session.out());
        }
    }

    /** A possibly negative index made absolute, or -1 when it is outside the list. */
    static long normalize(long index, long size) {
        if (index < 0) {
            index += size;
        }
        return index < 0 || index >= size ? -1 : index;
    }

    // ---- changing ---------------------------------------------------------------------------

    private void lset(Session session, Arguments args) {
        long entry = entry(session, args, 1, true);
        if (entry == WRONG_TYPE) {
            return;
        }
        if (entry == 0) {
            error(session, Errors.NO_SUCH_KEY);
            return;
        }
        long index = integer(session, args, 2);
        if (!args.parsedOk()) {
            return;
        }
        ListValue list = value(session.database(), entry);
        index = normalize(index, list.size());
        if (index < 0) {
            error(session, Errors.OUT_OF_RANGE);
            return;
        }
        list.set(index, args.data(), args.offset(3), args.length(3));
        session.out().ok();
    }

    private void linsert(Session session, Arguments args) {
        boolean after;
        if (StringCommands.option(args, 2, "AFTER")) {
            after = true;
        } else if (StringCommands.option(args, 2, "BEFORE")) {
            after = false;
        } else {
            syntaxError(session);
            return;
        }
        long entry = entry(session, args, 1, true);
        if (entry == WRONG_TYPE) {
            return;
        }
        if (entry == 0) {
            session.out().integer(0);
            return;
        }
        ListValue list = value(session.database(), entry);
        byte[] data = args.data();
        if (list.insert(data, args.offset(3), args.length(3), after, data, args.offset(4), args.length(4))) {
            session.out().integer(list.size());
        } else {
            session.out().integer(-1);
        }
    }

    private void lrem(Session session, Arguments args) {
        long count = integer(session, args, 2);
        if (!args.parsedOk()) {
            return;
        }
        long entry = entry(session, args, 1, true);
        if (entry == WRONG_TYPE) {
            return;
        }
        if (entry == 0) {
            session.out().integer(0);
            return;
        }
        Database db = session.database();
        ListValue list = value(db, entry);
        long removed = list.remove(count, args.data(), args.offset(3), args.length(3));
        deleteIfEmpty(db, entry, list);
        session.out().integer(removed);
    }

    private void ltrim(Session session, Arguments args) {
        long start = integer(session, args, 2);
        if (!args.parsedOk()) {
            return;
        }
        long end = integer(session, args, 3);
        if (!args.parsedOk()) {
            return;
        }
        long entry = entry(session, args, 1, true);
        if (entry == WRONG_TYPE) {
            return;
        }
        if (entry == 0) {
            session.out().ok();
            return;
        }
        Database db = session.database();
        ListValue list = value(db, entry);
        long size = list.size();
        if (start < 0) {
            start = size + start;
        }
        if (end < 0) {
            end = size + end;
        }
        if (start < 0) {
            start = 0;
        }
        if (start > end || start >= size) {
            list.removeHead(size);
        } else {
            if (end >= size) {
                end = size - 1;
            }
            list.removeTail(size - end - 1);
            list.removeHead(start);
        }
        deleteIfEmpty(db, entry, list);
        session.out().ok();
    }
}
