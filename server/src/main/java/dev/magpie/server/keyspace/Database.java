package dev.magpie.server.keyspace;

/**
 * A numbered database: its {@link Keyspace} plus Redis's access rules on top of it: lazy
 * expiry on lookup, access-time tracking for OBJECT IDLETIME/FREQ, and hit/miss counting.
 * Engine thread only.
 */
public final class Database {
    private final int index;
    private final KeyspaceEvents events;
    private Keyspace keyspace = new Keyspace();

    public Database(int index, KeyspaceEvents events) {
        this.index = index;
        this.events = events;
    }

    public int index() {
        return index;
    }

    public Keyspace keyspace() {
        return keyspace;
    }

    /** Swaps keyspaces with another database (SWAPDB). */
    public void swap(Database other) {
        keyspace.beforeBulkChange();
        other.keyspace.beforeBulkChange();
        Keyspace mine = keyspace;
        keyspace = other.keyspace;
        other.keyspace = mine;
    }

    /** Replaces the keyspace with an empty one and returns the old one (FLUSHDB ASYNC). */
    public Keyspace detach() {
        keyspace.beforeBulkChange();
        Keyspace old = keyspace;
        keyspace = new Keyspace();
        return old;
    }

    public long size() {
        return keyspace.size();
    }

    /** Finds a live key for reading: expired keys are deleted and reported absent; hits and misses count. */
    public long lookupRead(byte[] key, int offset, int length, boolean touch) {
        long entry = lookup(key, offset, length);
        if (entry == 0) {
            events.miss();
            return 0;
        }
        events.hit();
        if (touch) {
            touch(entry);
        }
        return entry;
    }

    /** Finds a live key about to be written: no hit/miss counting. */
    public long lookupWrite(byte[] key, int offset, int length) {
        long entry = lookup(key, offset, length);
        if (entry != 0) {
            touch(entry);
        }
        return entry;
    }

    /**
     * {@link #lookup} for a caller that replaces or deletes the key whatever it holds, without
     * reading it (plain SET, MSET, DEL): see {@link Keyspace#findToReplace}.
     */
    public long lookupToReplace(byte[] key, int offset, int length) {
        return live(keyspace.findToReplace(key, offset, length));
    }

    /** Finds a live key without counting or touching it (EXISTS-style checks, OBJECT). */
    public long lookup(byte[] key, int offset, int length) {
        return live(keyspace.find(key, offset, length));
    }

    /** {@code entry} (0 for none), or 0 after deleting it when its time has passed. */
    private long live(long entry) {
        if (entry != 0 && isExpired(entry)) {
            expire(entry);
            return 0;
        }
        return entry;
    }

    public boolean isExpired(long entry) {
        long when = Entry.expireAt(entry);
        return when >= 0 && when <= events.now() && events.expiryEnabled();
    }

    /** Deletes an entry whose time has passed, counting it as expired. */
    public void expire(long entry) {
        events.expired(this, entry);
        delete(entry);
    }

    public void delete(long entry) {
        ObjectTable.free(releaseValue(entry));
        events.freeing(entry);
        keyspace.delete(entry);
    }

    /**
     * Takes the value object a non-string entry refers to out of the keyspace and returns it; the
     * caller frees it ({@link ObjectTable#free(Object)}) and the entry.
     */
    public Object releaseValue(long entry) {
        keyspace.beforeChange(entry);
        if (Entry.type(entry) == Entry.TYPE_STRING) {
            return null;
        }
        return keyspace.objects().remove(Entry.objectHandle(entry));
    }

    /** The value object of a non-string entry. */
    public Object value(long entry) {
        return keyspace.objects().get(Entry.objectHandle(entry));
    }

    /** Access data of a new key: accessed now, LFU counter at its initial value (as Redis creates objects). */
    public void initAccess(long entry) {
        Entry.lru(entry, events.lruClock());
        Entry.lfu(entry, Lfu.INITIAL);
    }

    public void touch(long entry) {
        Entry.lru(entry, events.lruClock());
        Entry.lfu(entry, Lfu.increment(Entry.lfu(entry)));
    }
}
