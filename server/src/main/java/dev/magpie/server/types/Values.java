package dev.magpie.server.types;

import dev.magpie.server.command.Errors;
import dev.magpie.server.engine.Engine;
import dev.magpie.server.keyspace.Database;
import dev.magpie.server.keyspace.Entry;
import dev.magpie.server.keyspace.Keyspace;
import dev.magpie.server.session.Session;

/** Reading and storing collection values through entries, with Redis's type rules. */
public final class Values {
    /** Redis's encoding numbers beyond the string ones in {@link Entry}. */
    public static final byte ENCODING_HASHTABLE = 2;
    public static final byte ENCODING_INTSET = 6;
    public static final byte ENCODING_SKIPLIST = 7;
    public static final byte ENCODING_QUICKLIST = 9;
    public static final byte ENCODING_LISTPACK = 11;

    /** Returned by {@link #lookup} after it has answered WRONGTYPE. */
    public static final WrongType WRONG_TYPE = new WrongType();

    private Values() {
    }

    /** Marker for "the key holds another type; the error was sent". */
    public static final class WrongType {
        private WrongType() {
        }
    }

    /**
     * The value of {@code key} when it is of {@code type}; null when the key is absent; and
     * {@link #WRONG_TYPE} (after replying with the error) when it holds another type.
     */
    public static Object lookup(Engine engine, Session session, Database db, byte[] key, int offset, int length,
                                byte type, boolean write) {
        long entry = write ? db.lookupWrite(key, offset, length)
                : db.lookupRead(key, offset, length, !session.noTouch());
        if (entry == 0) {
            return null;
        }
        if (Entry.type(entry) != type) {
            engine.error(session, Errors.WRONG_TYPE);
            return WRONG_TYPE;
        }
        return db.value(entry);
    }

    /** The entry of a live key (0 if absent), without counting it as a read. */
    public static long entry(Database db, byte[] key, int offset, int length) {
        return db.lookup(key, offset, length);
    }

    /** Stores a new collection under a key the caller knows is absent; returns its entry. */
    public static long create(Database db, byte[] key, int offset, int length, CollectionValue value) {
        Keyspace keyspace = db.keyspace();
        long entry = keyspace.add(key, offset, length, Long.BYTES);
        Entry.type(entry, value.type(), value.encoding());
        Entry.objectHandle(entry, keyspace.objects().put(value));
        db.initAccess(entry);
        return entry;
    }

    /**
     * Replaces whatever the key holds with {@code value} (or deletes the key when the value is
     * empty), clearing any TTL, as Redis's setKey does for *STORE commands.
     */
    public static void overwrite(Database db, byte[] key, int offset, int length, CollectionValue value) {
        long existing = db.lookupWrite(key, offset, length);
        if (existing != 0) {
            db.delete(existing);
        }
        if (value.size() > 0) {
            create(db, key, offset, length, value);
        }
    }

    /**
     * After a write: mirrors the value's encoding into the entry, and deletes the key when the
     * collection became empty (Redis never keeps empty collections).
     */
    public static void written(Database db, long entry, CollectionValue value) {
        if (value.size() == 0) {
            db.delete(entry);
        } else {
            Entry.encoding(entry, value.encoding());
        }
    }

    /** Finds the entry of a key again (after commands that may have reallocated it) and syncs it. */
    public static void written(Database db, byte[] key, int offset, int length, CollectionValue value) {
        long entry = db.keyspace().find(key, offset, length);
        if (entry != 0) {
            written(db, entry, value);
        }
    }

    /** Moves a non-string entry's value object between keyspaces (MOVE); the entry is not linked anywhere. */
    public static void rehome(Database from, Database to, long entry) {
        if (Entry.type(entry) == Entry.TYPE_STRING) {
            return;
        }
        Object value = from.keyspace().objects().remove(Entry.objectHandle(entry));
        Entry.objectHandle(entry, to.keyspace().objects().put(value));
    }

    /** Gives a copied entry its own deep copy of the source's value (COPY). */
    public static void cloneValue(Database from, long source, Database to, long copy) {
        if (Entry.type(source) == Entry.TYPE_STRING) {
            return;
        }
        CollectionValue value = (CollectionValue) from.value(source);
        Entry.objectHandle(copy, to.keyspace().objects().put(value.copy()));
    }

    /** How many allocations freeing the value costs (Redis's lazyfreeGetFreeEffort). */
    public static long freeEffort(Database db, long entry) {
        if (Entry.type(entry) == Entry.TYPE_STRING) {
            return 1;
        }
        Object value = db.value(entry);
        // Redis counts a list's nodes (each one allocation), and the elements of the other types.
        return value instanceof ListValue list ? list.nodeCount() : ((CollectionValue) value).size();
    }

    /** Bytes a collection holds beyond its entry (0 for strings). */
    public static long valueMemory(Database db, long entry) {
        if (Entry.type(entry) == Entry.TYPE_STRING) {
            return 0;
        }
        return ((CollectionValue) db.value(entry)).memoryUsage();
    }
}
