package dev.magpie.server.persistence;

import dev.magpie.server.keyspace.Entry;
import dev.magpie.server.keyspace.OffHeap;
import dev.magpie.server.types.ListValue;

import java.io.IOException;

/**
 * A key of a snapshot whose value is too large to serialize on the engine thread without
 * stalling its clients: a private copy of the entry (key, expire time, access data) with a
 * frozen copy of the value that shares its storage ({@link ListValue#share}). The snapshot's
 * writer thread serializes it in its place in the stream, then releases the entry copy.
 */
final class FrozenEntry implements DeferredKeys {
    /** Lists of at least this many nodes are serialized by the writer (a node holds up to 8 KB). */
    static final int MIN_LIST_NODES = 32;

    private final long entry;
    private final long entryBytes;
    private final Object value;
    private final int idleMode;

    private FrozenEntry(long entry, long entryBytes, Object value, int idleMode) {
        this.entry = entry;
        this.entryBytes = entryBytes;
        this.value = value;
        this.idleMode = idleMode;
    }

    /** The frozen form of {@code entry} when its value is worth serializing off the engine thread, else null. */
    static FrozenEntry of(long entry, Object value, int idleMode) {
        if (!(value instanceof ListValue list) || list.nodeCount() < MIN_LIST_NODES) {
            return null;
        }
        long bytes = Entry.size(entry);
        long copy = OffHeap.allocate(bytes);
        OffHeap.copy(entry, copy, bytes);
        return new FrozenEntry(copy, bytes, list.share(), idleMode);
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
    public void release() {
        OffHeap.free(entry, entryBytes);
    }
}
