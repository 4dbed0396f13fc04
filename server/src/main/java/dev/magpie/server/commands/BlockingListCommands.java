package dev.magpie.server.commands;

import dev.magpie.server.command.Arguments;
import dev.magpie.server.command.CommandTable;
import dev.magpie.server.command.Errors;
import dev.magpie.server.command.KeySpec;
import dev.magpie.server.engine.Blocking;
import dev.magpie.server.keyspace.Database;
import dev.magpie.server.keyspace.Entry;
import dev.magpie.server.session.Session;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static dev.magpie.server.command.CommandFlag.BLOCKING;
import static dev.magpie.server.command.CommandFlag.DENYOOM;
import static dev.magpie.server.command.CommandFlag.MOVABLEKEYS;
import static dev.magpie.server.command.CommandFlag.NOSCRIPT;
import static dev.magpie.server.command.CommandFlag.WRITE;

/**
 * BLPOP, BRPOP, BLMOVE, BRPOPLPUSH and BLMPOP: they act as their non-blocking forms when a list
 * can serve them, and otherwise park the client on the keys. The engine runs the command again
 * when a push makes one of the keys ready, in the order the clients blocked; a retried command
 * that still finds nothing calls block() again and keeps its place. A session that is blocked
 * while executing is such a retry.
 */
final class BlockingListCommands {
    private final ListCommands lists;
    private final ListMoveCommands moves;

    BlockingListCommands(ListCommands lists, ListMoveCommands moves) {
        this.lists = lists;
        this.moves = moves;
    }

    void register(CommandTable table) {
        String keysTimeout = "O(N) in the keys given.";
        table.register(ListCommands.list("blpop", -3, "Removes and answers the first element of the first non-empty "
                        + "list of several, waiting for one when all are empty.", keysTimeout)
                .since("2.0.0").flags(WRITE, NOSCRIPT, BLOCKING).keys(1, -2, 1)
                .keySpec(KeySpec.range("RW access delete", 1, -2, 1, 0)).acl("write list slow blocking")
                .implementation((s, a) -> blockingPop(s, a, true)));
        table.register(ListCommands.list("brpop", -3, "Removes and answers the last element of the first non-empty "
                        + "list of several, waiting for one when all are empty.", keysTimeout)
                .since("2.0.0").flags(WRITE, NOSCRIPT, BLOCKING).keys(1, -2, 1)
                .keySpec(KeySpec.range("RW access delete", 1, -2, 1, 0)).acl("write list slow blocking")
                .implementation((s, a) -> blockingPop(s, a, false)));
        table.register(ListCommands.list("blmove", 6, "Moves an element from one end of a list to an end of another, "
                        + "waiting for the source to have one.", "O(1)")
                .since("6.2.0").flags(WRITE, DENYOOM, NOSCRIPT, BLOCKING).keys(1, 2, 1)
                .keySpec(ListCommands.oneKey("RW access delete")).keySpec(KeySpec.range("RW insert", 2, 0, 1, 0))
                .acl("write list slow blocking").implementation(this::blmove));
        table.register(ListCommands.list("brpoplpush", 4, "Moves the last element of a list to the head of another, "
                        + "waiting for the source to have one.", "O(1)")
                .since("2.2.0").flags(WRITE, DENYOOM, NOSCRIPT, BLOCKING).keys(1, 2, 1)
                .keySpec(ListCommands.oneKey("RW access delete")).keySpec(KeySpec.range("RW insert", 2, 0, 1, 0))
                .acl("write list slow blocking").implementation(this::brpoplpush));
        table.register(ListCommands.list("blmpop", -5, "Removes and answers elements from the first non-empty list of "
                        + "several, waiting for one when all are empty.", "O(N+M): N keys given, M elements answered.")
                .since("7.0.0").flags(WRITE, BLOCKING, MOVABLEKEYS).keys(0, 0, 0)
                .keySpec(KeySpec.keyNum("RW access delete", 2, 0, 1, 1)).acl("write list slow blocking")
                .implementation(this::blmpop));
    }

    private void blockingPop(Session session, Arguments args, boolean head) {
        long deadline = BlockingListTimeout.deadline(lists.engine(), session, args, args.count() - 1);
        if (deadline == BlockingListTimeout.INVALID) {
            return;
        }
        boolean retrying = session.blocked();
        if (!moves.popFirst(session, args, 1, args.count() - 2, head, 1, false, retrying)) {
            block(session, args, 1, args.count() - 2, deadline, retrying);
        }
    }

    private void blmpop(Session session, Arguments args) {
        ListMoveCommands.MultiPop parsed = moves.parseMultiPop(session, args, 2);
        if (parsed == null) {
            return;
        }
        long deadline = BlockingListTimeout.deadline(lists.engine(), session, args, 1);
        if (deadline == BlockingListTimeout.INVALID) {
            return;
        }
        boolean retrying = session.blocked();
        if (!moves.popFirst(session, args, parsed.firstKey(), parsed.keyCount(), parsed.head(), parsed.count(), true,
                retrying)) {
            block(session, args, parsed.firstKey(), parsed.keyCount(), deadline, retrying);
        }
    }

    private void blmove(Session session, Arguments args) {
        int from = lists.side(session, args, 3);
        if (from < 0) {
            return;
        }
        int to = lists.side(session, args, 4);
        if (to < 0) {
            return;
        }
        long deadline = BlockingListTimeout.deadline(lists.engine(), session, args, 5);
        if (deadline != BlockingListTimeout.INVALID) {
            blockingMove(session, args, from == 1, to == 1, deadline);
        }
    }

    private void brpoplpush(Session session, Arguments args) {
        long deadline = BlockingListTimeout.deadline(lists.engine(), session, args, 3);
        if (deadline != BlockingListTimeout.INVALID) {
            blockingMove(session, args, false, true, deadline);
        }
    }

    private void blockingMove(Session session, Arguments args, boolean fromHead, boolean toHead, long deadline) {
        boolean retrying = session.blocked();
        Database db = session.database();
        long source = db.lookupWrite(args.data(), args.offset(1), args.length(1));
        if (source != 0 && Entry.type(source) != Entry.TYPE_LIST) {
            if (retrying) {
                block(session, args, 1, 1, deadline, true);
            } else {
                lists.fail(session, Errors.WRONG_TYPE);
            }
            return;
        }
        if (source == 0) {
            block(session, args, 1, 1, deadline, retrying);
            return;
        }
        moves.move(session, args, fromHead, toHead);
    }

    /** Parks the client on the keys (each once); during a retry it just keeps its place. */
    private void block(Session session, Arguments args, int firstKey, int keyCount, long deadline, boolean retrying) {
        Blocking blocking = lists.engine().blocking();
        if (retrying) {
            blocking.block(session, session.database(), List.of(), deadline, Blocking.TimeoutReply.NULL_ARRAY);
            return;
        }
        List<byte[]> keys = new ArrayList<>(keyCount);
        Set<ByteBuffer> seen = keyCount > 1 ? new HashSet<>() : null;
        for (int i = firstKey; i < firstKey + keyCount; i++) {
            byte[] key = args.bytes(i);
            if (seen == null || seen.add(ByteBuffer.wrap(key))) {
                keys.add(key);
            }
        }
        blocking.block(session, session.database(), keys, deadline, Blocking.TimeoutReply.NULL_ARRAY);
    }
}
