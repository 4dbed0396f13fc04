package dev.magpie.server.persistence;

import dev.magpie.server.keyspace.Entry;
import dev.magpie.server.keyspace.ObjectTable;
import dev.magpie.server.keyspace.OffHeap;
import dev.magpie.server.types.HashValue;
import dev.magpie.server.types.ListValue;
import dev.magpie.server.types.SetValue;

import java.io.IOException;

/**
 * A key of a snapshot whose value is too large to serialize on the engine thread without
 * stalling its clients: a private copy of the entry (key, expire time, access data) with a
 * frozen copy of the value that shares its storage ({@link ListValue#share}, and for hashes and
 * sets in table form {@link HashValue#share} and {@link SetValue#share}). The snapshot's
 * writer thread serializes it in its place in the stream, then releases the entry copy.
 */
final class FrozenEntry implements DeferredKeys {
    /** Lists of at least this many nodes are serialized by the writer (a node holds up to 8 KB). */
    static final int MIN_LIST_NODES = 32;
    /** Hashes and sets in table form with at least this many elements are encoded by the writer. */
    static final int MIN_TABLE_ELEMENTS = 4096;

    private final long entry;
    private final Object value;
    private final int idleMode;

    private FrozenEntry(long entry, Object value, int idleMode) {
        this.entry = entry;
        this.value = value;
        this.idleMode = idleMode;
    }

    /** The frozen form of {@code entry} when its value is worth encoding off the engine thread, else null. */
    static FrozenEntry of(long entry, Object value, int idleMode) {
        Object frozen = null;
        if (value instanceof ListValue list && list.nodeCount() >= MIN_LIST_NODES) {
            frozen = list.share();
        } else if (value instanceof HashValue hash && hash.size() >= MIN_TABLE_ELEMENTS) {
            frozen = hash.share();
        } else if (value instanceof SetValue set && set.size() >= MIN_TABLE_ELEMENTS) {
            frozen = set.share();
        }
        if (frozen == null) {
            return null;
        }
        long bytes = Entry.size(entry);
        long copy = OffHeap.allocate(bytes);
        OffHeap.copy(entry, copy, bytes);
        return new FrozenEntry(copy, frozen, idleMode);
    }

    @Override
    public void writeTo(DeferredEncoder encoder) throws IOException {
        try {
            encoder.write(entry, value, idleMode);
            encoder.flush();
        } finally {
            release();
        }
    }

    @Override
    public long bytes() {
        return Entry.size(entry);
    }

    @Override
    public void release() {
        ObjectTable.free(value);
        OffHeap.free(entry, Entry.size(entry));
    }
}
