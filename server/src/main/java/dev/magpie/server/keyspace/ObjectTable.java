package dev.magpie.server.keyspace;

import java.lang.ref.Cleaner;
import java.util.Arrays;

/**
 * The values that are not strings (lists, hashes, sets, sorted sets) of one keyspace, by handle.
 * An entry of such a type stores the handle in its 8-byte value area. The table belongs to its
 * keyspace, so FLUSHALL ASYNC and SWAPDB carry the values along with the index.
 *
 * <p>A value may instead live as a native block the table owns (a small hash's listpack): then
 * no Java object exists for it between commands, which keeps a million small values off the
 * heap. Its slot holds the shared {@link BlockKind} that knows the block's format, and
 * {@link #get} hands out a short-lived object working on the block in place. Every block starts
 * with its own size in bytes (an int), so the table can free blocks without knowing their kind.
 */
public final class ObjectTable {
    private static final Cleaner CLEANER = Cleaner.create();
    /** Releases of more values, or of values holding more blocks, than this run on a thread of their own. */
    private static final int RELEASE_INLINE_LIMIT = 16_384;
    /** A scratch array up to this size is kept for the next write; larger ones are not held. */
    private static final int SCRATCH_KEPT = 64 * 1024;
    /**
     * Slots in pages of {@link #PAGE} (the first one grows to that size by doubling): growing
     * adds a page instead of copying every slot into an array twice as large, so the table never
     * holds more than a page of unused slots, nor two copies at once.
     */
    private static final int PAGE_SHIFT = 12;
    private static final int PAGE = 1 << PAGE_SHIFT;
    private static final int PAGE_MASK = PAGE - 1;

    /** How values kept as native blocks are seen; its subclasses are stateless singletons. */
    public abstract static class BlockKind {
        /** An object working in place on the block of {@code handle} (what {@link #get} answers). */
        protected abstract Object view(ObjectTable table, int handle);

        /** A heap object with the block's content, independent of the table (the table frees the block after). */
        protected abstract Object detach(ObjectTable table, int handle);
    }

    /**
     * A heap object that holds native memory of its own (a list's nodes): the table frees it when
     * it drops the value, and whoever {@link #remove removes} one for good frees it with
     * {@link #free(Object)}.
     */
    public interface Freeable {
        /** Frees the value's native memory; the value must not be used afterwards. Any thread. */
        void free();

        /** How many blocks {@link #free} frees (a list's nodes). */
        long blocksToFree();
    }

    /** Frees a value taken out of a table for good, if it holds native memory of its own. */
    public static void free(Object value) {
        if (value instanceof Freeable freeable) {
            freeable.free();
        }
    }

    /** A value that can move into a native block of the table that stores it. */
    public interface Packable {
        /**
         * Called when the value is stored under {@code handle}: moves its content into a block
         * (registered with {@link #block(int, long)}; address 0 for no content) and answers the
         * kind to keep in the slot, or null to stay a heap object.
         */
        BlockKind pack(ObjectTable table, int handle);
    }

    /** The block addresses, apart from the table so the cleaner can free them once the table is gone. */
    private static final class Blocks implements Runnable {
        /** Pages of addresses, shaped as the table's pages of slots. */
        long[][] pages;
        int count;

        @Override
        public void run() {
            long[][] all = pages;
            pages = new long[0][];
            count = 0;
            for (long[] page : all) {
                if (page != null) {
                    for (long address : page) {
                        if (address != 0) {
                            OffHeap.free(address, OffHeap.getInt(address));
                        }
                    }
                }
            }
        }
    }

    private Object[][] slots = {new Object[16]};
    private int[] free = new int[16];
    private int freeCount;
    private int next;
    private int size;
    private Blocks blocks;
    private Cleaner.Cleanable cleanable;
    private byte[] scratch = new byte[0];

    public int put(Object value) {
        int handle;
        if (freeCount > 0) {
            handle = free[--freeCount];
        } else {
            handle = next++;
            makeRoom(handle);
        }
        store(handle, value);
        size++;
        return handle;
    }

    private void store(int handle, Object value) {
        if (value instanceof Packable packable) {
            if (blocks == null) {
                blocks = new Blocks();
                blocks.pages = new long[slots.length][];
                for (int page = 0; page < slots.length; page++) {
                    if (slots[page] != null) {
                        blocks.pages[page] = new long[slots[page].length];
                    }
                }
                cleanable = CLEANER.register(this, blocks);
            }
            BlockKind kind = packable.pack(this, handle);
            if (kind != null) {
                slots[handle >>> PAGE_SHIFT][handle & PAGE_MASK] = kind;
                return;
            }
        }
        slots[handle >>> PAGE_SHIFT][handle & PAGE_MASK] = value;
    }

    /** Makes sure a new handle has its slot (and address, once blocks exist). */
    private void makeRoom(int handle) {
        int page = handle >>> PAGE_SHIFT;
        if (page == 0) {
            if (handle == slots[0].length) {
                int capacity = Math.min(PAGE, handle * 2);
                slots[0] = Arrays.copyOf(slots[0], capacity);
                if (blocks != null) {
                    blocks.pages[0] = Arrays.copyOf(blocks.pages[0], capacity);
                }
            }
            return;
        }
        if (page == slots.length) {
            slots = Arrays.copyOf(slots, page * 2);
            if (blocks != null) {
                blocks.pages = Arrays.copyOf(blocks.pages, page * 2);
            }
        }
        if (slots[page] == null) {
            slots[page] = new Object[PAGE];
            if (blocks != null) {
                blocks.pages[page] = new long[PAGE];
            }
        }
    }

    public Object get(int handle) {
        Object value = slots[handle >>> PAGE_SHIFT][handle & PAGE_MASK];
        if (value instanceof BlockKind kind) {
            return kind.view(this, handle);
        }
        return value;
    }

    public void replace(int handle, Object value) {
        Object old = slots[handle >>> PAGE_SHIFT][handle & PAGE_MASK];
        if (old != value) {
            free(old);
        }
        freeBlock(handle);
        store(handle, value);
    }

    public Object remove(int handle) {
        Object[] page = slots[handle >>> PAGE_SHIFT];
        Object value = page[handle & PAGE_MASK];
        if (value instanceof BlockKind kind) {
            value = kind.detach(this, handle);
            freeBlock(handle);
        }
        page[handle & PAGE_MASK] = null;
        if (freeCount == free.length) {
            free = Arrays.copyOf(free, freeCount * 2);
        }
        free[freeCount++] = handle;
        size--;
        return value;
    }

    public int size() {
        return size;
    }

    // ---- native blocks ---------------------------------------------------------------------------

    /** The block of {@code handle}, 0 when it has none. */
    public long block(int handle) {
        return blocks.pages[handle >>> PAGE_SHIFT][handle & PAGE_MASK];
    }

    /** Records the block of {@code handle} (0 for none); the caller freed any block it replaces. */
    public void block(int handle, long address) {
        long[] page = blocks.pages[handle >>> PAGE_SHIFT];
        int at = handle & PAGE_MASK;
        if ((page[at] == 0) != (address == 0)) {
            blocks.count += address == 0 ? -1 : 1;
        }
        page[at] = address;
    }

    private void freeBlock(int handle) {
        if (blocks != null) {
            long address = block(handle);
            if (address != 0) {
                OffHeap.free(address, OffHeap.getInt(address));
                block(handle, 0);
            }
        }
    }

    /** How many values live as native blocks. */
    public int blockCount() {
        return blocks == null ? 0 : blocks.count;
    }

    /**
     * A reusable array of at least {@code length} bytes for a value's write in progress (engine
     * thread only, one write at a time); its content is not kept between calls.
     */
    public byte[] scratch(int length) {
        if (length > SCRATCH_KEPT) {
            return new byte[length];
        }
        if (scratch.length < length) {
            scratch = new byte[Math.max(length, Math.min(SCRATCH_KEPT, scratch.length * 2))];
        }
        return scratch;
    }

    /**
     * Frees every block and every value's own native memory now (or, for many values, on a thread
     * of its own) when the table is dropped as a whole (FLUSHALL, FLUSHDB); the table must not be
     * used afterwards. A table dropped without this has its blocks freed once the collector finds
     * it unreachable (but not its values' own memory).
     */
    public void release() {
        Object[][] values = slots;
        Runnable freeBlocks = cleanable == null ? () -> { } : cleanable::clean;
        Runnable freeAll = () -> {
            freeValues(values);
            freeBlocks.run();
        };
        slots = new Object[0][];
        if (size <= RELEASE_INLINE_LIMIT && blocksToFree(values) <= RELEASE_INLINE_LIMIT) {
            freeAll.run();
            return;
        }
        Thread releasing = new Thread(freeAll, "magpie-release-blocks");
        releasing.setDaemon(true);
        releasing.start();
    }

    /** Blocks the values' own memory takes, counted up to just past the inline limit (a big list alone may pass it). */
    private static long blocksToFree(Object[][] pages) {
        long blocks = 0;
        for (Object[] page : pages) {
            for (int i = 0; page != null && i < page.length && blocks <= RELEASE_INLINE_LIMIT; i++) {
                if (page[i] instanceof Freeable freeable) {
                    blocks += freeable.blocksToFree();
                }
            }
        }
        return blocks;
    }

    private static void freeValues(Object[][] pages) {
        for (Object[] page : pages) {
            if (page != null) {
                for (Object value : page) {
                    free(value);
                }
            }
        }
    }
}
