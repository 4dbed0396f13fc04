package dev.magpie.server.persistence;

import dev.magpie.server.keyspace.Entry;
import dev.magpie.server.keyspace.OffHeap;

import java.io.IOException;

/**
 * A run of string keys of one database, captured by copying their entries (key, value, expire
 * time, access data) back to back into one native block. Copying an entry costs the engine a
 * fraction of encoding it.
 */
final class CopiedStrings implements DeferredKeys {
    /** A run is handed over once its entries fill this much. */
    static final int TARGET_BYTES = 64 * 1024;

    private final int idleMode;
    private long block;
    private long capacity;
    private long used;

    CopiedStrings(int idleMode) {
        this.idleMode = idleMode;
        this.capacity = TARGET_BYTES;
        this.block = OffHeap.allocate(capacity);
    }

    /** Appends a copy of string entry {@code entry}. */
    void add(long entry) {
        long size = Entry.size(entry);
        long slot = (size + 7) & ~7L;
        if (used + slot > capacity) {
            long grown = Math.max(capacity * 2, used + slot);
            long bigger = OffHeap.allocate(grown);
            OffHeap.copy(block, bigger, used);
            OffHeap.free(block, capacity);
            block = bigger;
            capacity = grown;
        }
        OffHeap.copy(entry, block + used, size);
        used += slot;
    }

    boolean full() {
        return used >= TARGET_BYTES;
    }

    @Override
    public void writeTo(DeferredEncoder encoder) throws IOException {
        try {
            for (long at = 0; at < used; at += (Entry.size(block + at) + 7) & ~7L) {
                encoder.write(block + at, null, idleMode);
            }
            encoder.flush();
        } finally {
            release();
        }
    }

    @Override
    public long bytes() {
        return block == 0 ? 0 : capacity;
    }

    @Override
    public void release() {
        if (block != 0) {
            OffHeap.free(block, capacity);
            block = 0;
        }
    }
}
