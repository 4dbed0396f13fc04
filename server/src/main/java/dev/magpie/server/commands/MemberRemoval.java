package dev.magpie.server.commands;

import dev.magpie.server.command.Arguments;
import dev.magpie.server.command.Errors;
import dev.magpie.server.engine.Engine;
import dev.magpie.server.keyspace.Database;
import dev.magpie.server.keyspace.Entry;
import dev.magpie.server.session.Session;
import dev.magpie.server.types.CollectionValue;
import dev.magpie.server.types.Values;

/**
 * HDEL, SREM and ZREM: the collection under argument 1 loses the members named from argument 2 on,
 * and the reply counts those that were there. An emptied collection takes its key with it.
 */
final class MemberRemoval {
    /** Removes one member from a collection of the command's type; true when it was there. */
    @FunctionalInterface
    interface Remover<V extends CollectionValue> {
        boolean remove(V value, byte[] data, int offset, int length);
    }

    private MemberRemoval() {
    }

    static <V extends CollectionValue> void remove(Engine engine, Session session, Arguments args, byte type,
                                                   Remover<V> remover) {
        Database db = session.database();
        long entry = db.lookupWrite(args.data(), args.offset(1), args.length(1));
        if (entry == 0) {
            engine.changes(0);
            session.out().integer(0);
            return;
        }
        if (Entry.type(entry) != type) {
            engine.error(session, Errors.WRONG_TYPE);
            return;
        }
        @SuppressWarnings("unchecked")
        V value = (V) db.value(entry);
        long removed = 0;
        for (int i = 2; i < args.count() && value.size() > 0; i++) {
            if (remover.remove(value, args.data(), args.offset(i), args.length(i))) {
                removed++;
            }
        }
        Values.written(db, entry, value);
        engine.changes(removed);
        session.out().integer(removed);
    }
}
