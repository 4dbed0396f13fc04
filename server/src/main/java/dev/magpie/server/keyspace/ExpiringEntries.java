package dev.magpie.server.keyspace;

import java.util.Arrays;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The entries of one keyspace that carry an expire time, as a dense array so the active expiry
 * cycle can sample it at random. Each such entry keeps its slot here ({@link Entry#expireSlot}),
 * so removing one or moving it to a new address costs no search. Engine thread only.
 */
final class ExpiringEntries {
    private static final int INITIAL_CAPACITY = 16;

    private long[] entries = new long[INITIAL_CAPACITY];
    private int count;

    int count() {
        return count;
    }

    /** Bytes held by the array itself. */
    long arrayBytes() {
        return 8L * entries.length;
    }

    void add(long entry) {
        if (count == entries.length) {
            entries = Arrays.copyOf(entries, count * 2);
        }
        Entry.expireSlot(entry, count);
        entries[count++] = entry;
    }

    void remove(long entry) {
        int slot = Entry.expireSlot(entry);
        long last = entries[--count];
        entries[slot] = last;
        Entry.expireSlot(last, slot);
        entries[count] = 0;
        if (entries.length > 64 && count < entries.length / 4) {
            entries = Arrays.copyOf(entries, entries.length / 2);
        }
    }

    /** {@code entry} was reallocated to {@code fresh}, which takes over its slot. */
    void moved(long entry, long fresh) {
        int slot = Entry.expireSlot(entry);
        Entry.expireSlot(fresh, slot);
        entries[slot] = fresh;
    }

    /** A random entry, or 0 when there is none. */
    long random() {
        return count == 0 ? 0 : entries[ThreadLocalRandom.current().nextInt(count)];
    }

    void clear() {
        entries = new long[INITIAL_CAPACITY];
        count = 0;
    }
}
