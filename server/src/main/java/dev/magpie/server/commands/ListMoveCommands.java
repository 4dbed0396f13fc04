package dev.magpie.server.commands;

import dev.magpie.protocol.RespWriter;
import dev.magpie.server.command.Arguments;
import dev.magpie.server.command.CommandTable;
import dev.magpie.server.command.Errors;
import dev.magpie.server.command.KeySpec;
import dev.magpie.server.keyspace.Database;
import dev.magpie.server.keyspace.Entry;
import dev.magpie.server.session.Session;
import dev.magpie.server.types.ListCursor;
import dev.magpie.server.types.ListValue;

import java.util.Arrays;

import static dev.magpie.server.command.CommandFlag.DENYOOM;
import static dev.magpie.server.command.CommandFlag.MOVABLEKEYS;
import static dev.magpie.server.command.CommandFlag.READONLY;
import static dev.magpie.server.command.CommandFlag.WRITE;

/** LPOS, and the commands that take elements from one list to another or from the first of several. */
final class ListMoveCommands {
    private static final String RANK_ZERO = "ERR RANK can't be zero: use 1 to start from the first match, "
            + "2 from the second ... or use negative to start from the end of the list";

    private final ListCommands lists;

    ListMoveCommands(ListCommands lists) {
        this.lists = lists;
    }

    void register(CommandTable table) {
        table.register(ListCommands.list("lpos", -3, "Answers the indexes of elements equal to a value.",
                        "O(N) in the elements scanned; MAXLEN bounds it.")
                .since("6.0.6").flags(READONLY).keys(1, 1, 1).keySpec(ListCommands.oneKey("RO access"))
                .acl("read list slow").implementation(this::lpos));
        table.register(ListCommands.list("lmove", 5, "Moves an element from one end of a list to an end of another.",
                        "O(1)")
                .since("6.2.0").flags(WRITE, DENYOOM).keys(1, 2, 1)
                .keySpec(ListCommands.oneKey("RW access delete")).keySpec(KeySpec.range("RW insert", 2, 0, 1, 0))
                .acl("write list slow").implementation(this::lmove));
        table.register(ListCommands.list("rpoplpush", 3, "Moves the last element of a list to the head of another.",
                        "O(1)")
                .since("1.2.0").flags(WRITE, DENYOOM).keys(1, 2, 1)
                .keySpec(ListCommands.oneKey("RW access delete")).keySpec(KeySpec.range("RW insert", 2, 0, 1, 0))
                .acl("write list slow").implementation(this::rpoplpush));
        table.register(ListCommands.list("lmpop", -4, "Removes and answers elements from the first non-empty list of several.",
                        "O(N+M): N keys given, M elements answered.")
                .since("7.0.0").flags(WRITE, MOVABLEKEYS).keys(0, 0, 0)
                .keySpec(KeySpec.keyNum("RW access delete", 1, 0, 1, 1)).acl("write list slow")
                .implementation((s, a) -> {
                    MultiPop parsed = parseMultiPop(s, a, 1);
                    if (parsed != null) {
                        multiPop(s, a, parsed, false);
                    }
                }));
    }

    // ---- LPOS -------------------------------------------------------------------------------

    private void lpos(Session session, Arguments args) {
        long rank = 1;
        long count = -1;
        long maxlen = 0;
        for (int j = 3; j < args.count(); j++) {
            boolean more = j + 1 < args.count();
            if (StringCommands.option(args, j, "RANK") && more) {
                j++;
                rank = lists.integer(session, args, j);
                if (!args.parsedOk()) {
                    return;
                }
                if (rank == 0) {
                    lists.fail(session, RANK_ZERO);
                    return;
                }
            } else if (StringCommands.option(args, j, "COUNT") && more) {
                count = lists.positive(session, args, ++j, "ERR COUNT can't be negative");
                if (count < 0) {
                    return;
                }
            } else if (StringCommands.option(args, j, "MAXLEN") && more) {
                maxlen = lists.positive(session, args, ++j, "ERR MAXLEN can't be negative");
                if (maxlen < 0) {
                    return;
                }
            } else {
                lists.fail(session, Errors.SYNTAX);
                return;
            }
        }
        boolean fromTail = rank < 0;
        if (fromTail) {
            rank = -rank; // stays negative for Long.MIN_VALUE, as in Redis: then every match counts
        }
        RespWriter out = session.out();
        long entry = lists.entry(session, args, 1, false);
        if (entry == ListCommands.WRONG_TYPE) {
            return;
        }
        if (entry == 0) {
            if (count != -1) {
                out.emptyArray();
            } else {
                out.nullBulk();
            }
            return;
        }
        ListValue list = ListCommands.value(session.database(), entry);
        long size = list.size();
        ListCursor cursor = list.cursor(fromTail);
        byte[] data = args.data();
        int offset = args.offset(2);
        int length = args.length(2);
        long[] found = count != -1 ? new long[8] : null;
        int answered = 0;
        long index = 0;
        long matches = 0;
        long matchIndex = -1;
        while ((maxlen == 0 || index < maxlen) && cursor.next()) {
            if (cursor.matches(data, offset, length)) {
                matches++;
                matchIndex = fromTail ? size - index - 1 : index;
                if (matches >= rank) {
                    if (found == null) {
                        break;
                    }
                    if (answered == found.length) {
                        found = Arrays.copyOf(found, answered * 2);
                    }
                    found[answered++] = matchIndex;
                    if (count != 0 && matches - rank + 1 >= count) {
                        break;
                    }
                }
            }
            index++;
            matchIndex = -1;
        }
        if (found != null) {
            out.arrayHeader(answered);
            for (int i = 0; i < answered; i++) {
                out.integer(found[i]);
            }
        } else if (matchIndex != -1) {
            out.integer(matchIndex);
        } else {
            out.nullBulk();
        }
    }

    // ---- LMOVE, RPOPLPUSH -----------------------------------------------------------------------

    private void lmove(Session session, Arguments args) {
        int from = lists.side(session, args, 3);
        if (from < 0) {
            return;
        }
        int to = lists.side(session, args, 4);
        if (to < 0) {
            return;
        }
        move(session, args, from == 1, to == 1);
    }

    private void rpoplpush(Session session, Arguments args) {
        move(session, args, false, true);
    }

    /**
     * Pops from the list at argument 1 and pushes to the list at argument 2, answering the element
     * (null when the source is absent). Shared with BLMOVE once its source holds elements.
     */
    void move(Session session, Arguments args, boolean fromHead, boolean toHead) {
        long source = lists.entry(session, args, 1, true);
        if (source == ListCommands.WRONG_TYPE) {
            return;
        }
        if (source == 0) {
            session.out().nullBulk();
            return;
        }
        long target = lists.entry(session, args, 2, true);
        if (target == ListCommands.WRONG_TYPE) {
            return;
        }
        Database db = session.database();
        byte[] data = args.data();
        ListValue from = ListCommands.value(db, source);
        byte[] element = from.pop(fromHead);
        // The target is looked up before the pop, as Redis does: with one key, it is the same list.
        ListValue to = target != 0 ? ListCommands.value(db, target)
                : lists.create(db, data, args.offset(2), args.length(2));
        to.push(toHead, element, 0, element.length);
        session.out().bulk(element);
        lists.signalReady(db, data, args.offset(2), args.length(2));
        if (from.size() == 0) {
            // The target's creation may have moved entries around: find the source again.
            long again = db.lookup(data, args.offset(1), args.length(1));
            if (again != 0 && Entry.type(again) == Entry.TYPE_LIST && db.value(again) == from) {
                db.delete(again);
            }
        }
    }

    // ---- LMPOP and BLMPOP -------------------------------------------------------------------------

    /** LMPOP's parsed options: where the keys are, how many, which end, how many elements. */
    record MultiPop(int firstKey, int keyCount, boolean head, long count) {
    }

    /**
     * Parses numkeys (at {@code numKeysIndex}), LEFT|RIGHT and COUNT as Redis 7.0 does; null after
     * the error reply.
     */
    MultiPop parseMultiPop(Session session, Arguments args, int numKeysIndex) {
        long keys = args.parseLong(numKeysIndex);
        if (!args.parsedOk() || keys < 1) {
            lists.fail(session, "ERR numkeys should be greater than 0");
            return null;
        }
        if (keys > args.count() - numKeysIndex - 2) {
            lists.fail(session, Errors.SYNTAX);
            return null;
        }
        int whereIndex = numKeysIndex + (int) keys + 1;
        int side = lists.side(session, args, whereIndex);
        if (side < 0) {
            return null;
        }
        long count = -1;
        for (int j = whereIndex + 1; j < args.count(); j++) {
            if (count == -1 && StringCommands.option(args, j, "COUNT") && j + 1 < args.count()) {
                j++;
                count = args.parseLong(j);
                if (!args.parsedOk() || count < 1) {
                    lists.fail(session, "ERR count should be greater than 0");
                    return null;
                }
            } else {
                lists.fail(session, Errors.SYNTAX);
                return null;
            }
        }
        return new MultiPop(numKeysIndex + 1, (int) keys, side == 1, count == -1 ? 1 : count);
    }

    /**
     * Pops from the first key holding a list: answers [key, [elements...]] and returns true. Returns
     * false, having answered nothing, when no key holds elements; also true after a WRONGTYPE error.
     * While {@code retrying} a blocked command, keys of other types are passed over instead, as
     * Redis 7.0 serves a woken client from the key that became ready alone.
     */
    boolean popFirst(Session session, Arguments args, int firstKey, int keyCount, boolean head, long count,
                     boolean nested, boolean retrying) {
        Database db = session.database();
        for (int i = firstKey; i < firstKey + keyCount; i++) {
            long entry = db.lookupWrite(args.data(), args.offset(i), args.length(i));
            if (entry == 0) {
                continue;
            }
            if (Entry.type(entry) != Entry.TYPE_LIST) {
                if (retrying) {
                    continue;
                }
                lists.fail(session, Errors.WRONG_TYPE);
                return true;
            }
            ListValue list = ListCommands.value(db, entry);
            RespWriter out = session.out();
            out.arrayHeader(2);
            out.bulk(args.data(), args.offset(i), args.length(i));
            if (nested) {
                out.arrayHeader(Math.min(count, list.size()));
                list.pop(head, count, out);
            } else {
                list.pop(head, out);
            }
            ListCommands.deleteIfEmpty(db, entry, list);
            return true;
        }
        return false;
    }

    void multiPop(Session session, Arguments args, MultiPop parsed, boolean retrying) {
        if (!popFirst(session, args, parsed.firstKey(), parsed.keyCount(), parsed.head(), parsed.count(), true,
                retrying)) {
            session.out().nullArray();
        }
    }
}
