package dev.magpie.server.commands;

import dev.magpie.server.command.Arguments;
import dev.magpie.server.command.Errors;
import dev.magpie.server.engine.Engine;
import dev.magpie.server.keyspace.Database;
import dev.magpie.server.keyspace.Entry;
import dev.magpie.server.keyspace.ObjectTable;
import dev.magpie.server.keyspace.OffHeap;
import dev.magpie.server.session.Session;
import dev.magpie.server.types.Values;

/** Lookup, delete and naming rules the generic key, expiry and OBJECT commands share. */
final class KeyAccess {
    static final String SAME_OBJECT = "ERR source and destination objects are the same";

    /** Redis's LAZYFREE_THRESHOLD: values cheaper to free than this are freed on the spot. */
    private static final int LAZYFREE_THRESHOLD = 64;

    private KeyAccess() {
    }

    /**
     * Finds a live key about to be written, as Redis's lookupKeyWrite: no hit/miss counting, and
     * the access time is updated unless the client asked for CLIENT NO-TOUCH.
     */
    static long lookupWrite(Session session, Database db, byte[] data, int offset, int length) {
        long entry = db.lookup(data, offset, length);
        if (entry != 0 && !session.noTouch()) {
            db.touch(entry);
        }
        return entry;
    }

    /** Deletes a live entry; with {@code lazy}, a value expensive to free is freed off the engine thread. */
    static void delete(Engine engine, Database db, long entry, boolean lazy) {
        if (lazy && freeEffort(db, entry) > LAZYFREE_THRESHOLD) {
            // The value's native memory (a list's nodes) and the entry's are freed on the
            // lazy-free thread; the collector reclaims the value object itself concurrently.
            Object value = db.releaseValue(entry);
            long detached = db.keyspace().unlink(entry);
            long size = Entry.size(detached);
            engine.lazyFree().free(() -> {
                ObjectTable.free(value);
                OffHeap.free(detached, size);
            }, 1);
        } else {
            db.delete(entry);
        }
    }

    /**
     * Roughly how many allocations freeing the value takes (Redis's lazyfreeGetFreeEffort). A
     * string lives inside its entry, so it is one; collection types count their nodes here.
     */
    static long freeEffort(Database db, long entry) {
        return Values.freeEffort(db, entry);
    }

    /** The name TYPE answers, "none" for an absent key (0). */
    static String typeName(long entry) {
        if (entry == 0) {
            return "none";
        }
        return switch (Entry.type(entry)) {
            case Entry.TYPE_STRING -> "string";
            case Entry.TYPE_LIST -> "list";
            case Entry.TYPE_SET -> "set";
            case Entry.TYPE_ZSET -> "zset";
            case Entry.TYPE_HASH -> "hash";
            case Entry.TYPE_STREAM -> "stream";
            default -> "unknown";
        };
    }

    /**
     * Parses a database index as Redis's getIntFromObjectOrReply, then checks it names a database.
     * Returns the index, or -1 after replying with the error.
     */
    static int databaseIndex(Engine engine, Session session, Arguments args, int i) {
        long value = args.parseLong(i);
        if (!args.parsedOk()) {
            engine.error(session, Errors.NOT_INTEGER);
            return -1;
        }
        if (value < Integer.MIN_VALUE || value > Integer.MAX_VALUE) {
            engine.error(session, "ERR value is out of range, value must between -2147483648 and 2147483647");
            return -1;
        }
        if (value < 0 || value >= engine.databases().length) {
            engine.error(session, Errors.DB_INDEX_OUT_OF_RANGE);
            return -1;
        }
        return (int) value;
    }
}
