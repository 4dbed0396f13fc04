package dev.magpie.server.types;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.IntConsumer;
import java.util.random.RandomGenerator;

/**
 * The large form of hashes and sets: an open-addressing table (linear probing) whose slots are
 * single longs, a 32-bit hash beside a 32-bit reference to a record packed in a byte page
 * ({@link Listpack} format: key, then value for hashes). No Java object per element, so a
 * million small fields cost about a slot and a record each rather than a node and two arrays.
 *
 * <p>Records that die (deleted, or replaced by a value of another length) leave garbage in
 * their page; when garbage outweighs live data the records are copied into fresh pages.
 * Records too big to share a page get one of their own, dropped with the record.
 *
 * <p>Iteration positions are slot indexes. SCAN walks home buckets ({@code hash & mask}) in
 * Redis's reverse-binary cursor order: every element of a home bucket sits in the probe run
 * that starts there, so a cursor keeps Redis's guarantee (whatever was present for the whole
 * scan is returned at least once) across growth and shrinking of the table.
 */
public final class HashSlots {
    private static final int PAGE_BITS = 16;
    private static final int PAGE_SIZE = 1 << PAGE_BITS;
    private static final int MAX_PAGES = 1 << 16;
    private static final int OWN_PAGE = PAGE_SIZE / 4;
    private static final int MIN_CAPACITY = 8;
    private static final long LOW = 0xFFFF_FFFFL;
    /** Per process, so an attacker cannot precompute colliding fields (Redis seeds its siphash too). */
    private static final long SEED = ThreadLocalRandom.current().nextLong();
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private final boolean pairs;
    private long[] slots;
    private int size;
    private byte[][] pages = new byte[4][];
    private int pageCount;
    private int fillPage = -1;
    private int fill;
    private int[] freePages = new int[0];
    private int freePageCount;
    private long liveBytes;
    private long garbageBytes;
    private long pageBytes;
    /**
     * Pages a frozen copy ({@link #share}) still reads, by index; null when there is none. Records
     * are only ever appended to a page or rewritten in place; an in-place rewrite copies a shared
     * page first, while appends touch bytes no frozen record uses.
     */
    private boolean[] sharedPages;

    /** A table of keys with values ({@code pairs}) or of keys alone, sized for {@code expected} elements. */
    public HashSlots(boolean pairs, int expected) {
        this.pairs = pairs;
        this.slots = new long[capacityFor(expected)];
    }

    private HashSlots(boolean pairs, long[] slots) {
        this.pairs = pairs;
        this.slots = slots;
    }

    private static int capacityFor(int expected) {
        int capacity = MIN_CAPACITY;
        while (capacity < (1 << 30) && (long) expected * 4 > (long) capacity * 3) {
            capacity <<= 1;
        }
        return capacity;
    }

    public int size() {
        return size;
    }

    /** Slot count: positions run from 0 to this, exclusive. */
    public int capacity() {
        return slots.length;
    }

    // ---- hashing -------------------------------------------------------------------------------

    /** A 32-bit hash of the bytes, never 0 (0 marks an empty slot). */
    static int hash(byte[] data, int offset, int length) {
        long h = SEED ^ (length * 0x9E37_79B9_7F4A_7C15L);
        int i = offset;
        int end = offset + length;
        while (end - i >= 8) {
            h = mix(h ^ (long) LONGS.get(data, i));
            i += 8;
        }
        long tail = 0;
        for (int shift = 0; i < end; i++, shift += 8) {
            tail |= (data[i] & 0xFFL) << shift;
        }
        h = mix(h ^ tail);
        h ^= h >>> 33;
        h *= 0xFF51_AFD7_ED55_8CCDL;
        h ^= h >>> 33;
        int result = (int) (h ^ (h >>> 32));
        return result == 0 ? 1 : result;
    }

    private static long mix(long k) {
        return Long.rotateLeft(k * 0x87C3_7B91_1142_53D5L, 31) * 0x4CF5_AD43_2745_937FL;
    }

    private static int hashOf(long slot) {
        return (int) (slot >>> 32);
    }

    // ---- lookups -------------------------------------------------------------------------------

    /** The slot holding the key, or -1. */
    public int find(byte[] key, int offset, int length) {
        return find(hash(key, offset, length), key, offset, length);
    }

    private int find(int hash, byte[] key, int offset, int length) {
        int mask = slots.length - 1;
        for (int i = hash & mask; ; i = (i + 1) & mask) {
            long slot = slots[i];
            if (slot == 0) {
                return -1;
            }
            if (hashOf(slot) == hash) {
                int ref = (int) slot;
                if (Listpack.equalsAt(pages[ref >>> PAGE_BITS], ref & (PAGE_SIZE - 1), key, offset, length)) {
                    return i;
                }
            }
        }
    }

    public boolean isUsed(int slot) {
        return slots[slot] != 0;
    }

    /** The first used slot after {@code slot} (-1 to start), or -1 at the end. */
    public int next(int slot) {
        long[] s = slots;
        for (int i = slot + 1; i < s.length; i++) {
            if (s[i] != 0) {
                return i;
            }
        }
        return -1;
    }

    /** A used slot chosen uniformly among the elements (the table is never emptier than 1/8). */
    public int randomSlot(RandomGenerator random) {
        if (size == 0) {
            return -1;
        }
        while (true) {
            int i = random.nextInt(slots.length);
            if (slots[i] != 0) {
                return i;
            }
        }
    }

    /** The page holding the record of a used slot; offsets below index into it. */
    public byte[] array(int slot) {
        return pages[(int) slots[slot] >>> PAGE_BITS];
    }

    private int recordAt(int slot) {
        return (int) slots[slot] & (PAGE_SIZE - 1);
    }

    public int keyOffset(int slot) {
        return Listpack.dataOffset(array(slot), recordAt(slot));
    }

    public int keyLength(int slot) {
        return Listpack.length(array(slot), recordAt(slot));
    }

    public int valueOffset(int slot) {
        byte[] page = array(slot);
        return Listpack.dataOffset(page, Listpack.next(page, recordAt(slot)));
    }

    public int valueLength(int slot) {
        byte[] page = array(slot);
        return Listpack.length(page, Listpack.next(page, recordAt(slot)));
    }

    // ---- writes --------------------------------------------------------------------------------

    /** Adds a key known to be absent (value ignored for key-only tables); returns its slot. */
    public int add(byte[] key, int keyOffset, int keyLength, byte[] value, int valueOffset, int valueLength) {
        if ((long) (size + 1) * 4 > (long) slots.length * 3) {
            resize(slots.length * 2);
        }
        int hash = hash(key, keyOffset, keyLength);
        int ref = store(key, keyOffset, keyLength, value, valueOffset, valueLength);
        int mask = slots.length - 1;
        int i = hash & mask;
        while (slots[i] != 0) {
            i = (i + 1) & mask;
        }
        slots[i] = ((long) hash << 32) | (ref & LOW);
        size++;
        return i;
    }

    /** Sets the key's value, adding the key when absent; true when it was added. */
    public boolean put(byte[] key, int keyOffset, int keyLength, byte[] value, int valueOffset, int valueLength) {
        int slot = find(key, keyOffset, keyLength);
        if (slot >= 0) {
            setValue(slot, value, valueOffset, valueLength);
            return false;
        }
        add(key, keyOffset, keyLength, value, valueOffset, valueLength);
        return true;
    }

    /** Replaces the value of a used slot: in place when the length is unchanged. */
    public void setValue(int slot, byte[] value, int valueOffset, int valueLength) {
        byte[] page = array(slot);
        int record = recordAt(slot);
        int valueHeader = Listpack.next(page, record);
        if (Listpack.length(page, valueHeader) == valueLength) {
            page = unsharedPage((int) slots[slot] >>> PAGE_BITS);
            System.arraycopy(value, valueOffset, page, Listpack.dataOffset(page, valueHeader), valueLength);
            return;
        }
        int keyStart = Listpack.dataOffset(page, record);
        int keyLength = Listpack.length(page, record);
        int oldRef = (int) slots[slot];
        int ref = store(page, keyStart, keyLength, value, valueOffset, valueLength);
        slots[slot] = (slots[slot] & ~LOW) | (ref & LOW);
        release(page, oldRef);
        maybeCompact();
    }

    /** Removes the key; true when it was there. */
    public boolean remove(byte[] key, int offset, int length) {
        int slot = find(key, offset, length);
        if (slot < 0) {
            return false;
        }
        removeAt(slot);
        return true;
    }

    /** Removes the element of a used slot. Positions held by the caller are invalid afterwards. */
    public void removeAt(int slot) {
        int ref = (int) slots[slot];
        release(pages[ref >>> PAGE_BITS], ref);
        size--;
        // Backward-shift deletion keeps probe runs unbroken without tombstones.
        int mask = slots.length - 1;
        int hole = slot;
        slots[hole] = 0;
        for (int j = (hole + 1) & mask; slots[j] != 0; j = (j + 1) & mask) {
            int home = hashOf(slots[j]) & mask;
            boolean stays = hole <= j ? (home > hole && home <= j) : (home > hole || home <= j);
            if (!stays) {
                slots[hole] = slots[j];
                slots[j] = 0;
                hole = j;
            }
        }
        if (slots.length > MIN_CAPACITY && (long) size * 8 < slots.length) {
            resize(slots.length / 2);
        } else {
            maybeCompact();
        }
    }

    private void resize(int capacity) {
        long[] old = slots;
        long[] fresh = new long[Math.max(MIN_CAPACITY, capacity)];
        int mask = fresh.length - 1;
        for (long slot : old) {
            if (slot != 0) {
                int i = hashOf(slot) & mask;
                while (fresh[i] != 0) {
                    i = (i + 1) & mask;
                }
                fresh[i] = slot;
            }
        }
        slots = fresh;
        maybeCompact();
    }

    // ---- record pages --------------------------------------------------------------------------

    private int recordSize(byte[] page, int record) {
        int end = Listpack.next(page, record);
        return pairs ? Listpack.next(page, end) - record : end - record;
    }

    private int store(byte[] key, int keyOffset, int keyLength, byte[] value, int valueOffset, int valueLength) {
        int recordSize = Listpack.entrySize(keyLength) + (pairs ? Listpack.entrySize(valueLength) : 0);
        int ref = reserve(recordSize);
        byte[] page = pages[ref >>> PAGE_BITS];
        int at = Listpack.write(page, ref & (PAGE_SIZE - 1), key, keyOffset, keyLength);
        if (pairs) {
            Listpack.write(page, at, value, valueOffset, valueLength);
        }
        return ref;
    }

    private int storeRaw(byte[] source, int offset, int recordSize) {
        int ref = reserve(recordSize);
        System.arraycopy(source, offset, pages[ref >>> PAGE_BITS], ref & (PAGE_SIZE - 1), recordSize);
        return ref;
    }

    /** Room for one record: the reference of where it goes. */
    private int reserve(int recordSize) {
        liveBytes += recordSize;
        if (recordSize > OWN_PAGE) {
            return newPage(recordSize) << PAGE_BITS;
        }
        if (fillPage < 0 || fill + recordSize > pages[fillPage].length) {
            if (fillPage >= 0) {
                garbageBytes += pages[fillPage].length - fill;
            }
            // Pages grow with the table, so a small set does not pin a 64 KiB page.
            int pageSize = (int) Math.min(PAGE_SIZE, Math.max(256, liveBytes / 4));
            fillPage = newPage(Math.max(pageSize, recordSize));
            fill = 0;
        }
        int ref = (fillPage << PAGE_BITS) | fill;
        fill += recordSize;
        return ref;
    }

    private int newPage(int bytes) {
        int index;
        if (freePageCount > 0) {
            index = freePages[--freePageCount];
        } else {
            if (pageCount == MAX_PAGES) {
                throw new IllegalStateException("collection too large");
            }
            index = pageCount++;
            if (index == pages.length) {
                pages = Arrays.copyOf(pages, pages.length * 2);
            }
        }
        pages[index] = new byte[bytes];
        pageBytes += bytes;
        return index;
    }

    private void release(byte[] page, int ref) {
        int recordSize = recordSize(page, ref & (PAGE_SIZE - 1));
        liveBytes -= recordSize;
        if (recordSize > OWN_PAGE) {
            int index = ref >>> PAGE_BITS;
            pageBytes -= pages[index].length;
            pages[index] = null;
            if (freePageCount == freePages.length) {
                freePages = Arrays.copyOf(freePages, Math.max(4, freePageCount * 2));
            }
            freePages[freePageCount++] = index;
        } else {
            garbageBytes += recordSize;
        }
    }

    /** Page {@code index}, copied first if a frozen copy shares it. */
    private byte[] unsharedPage(int index) {
        if (sharedPages != null && index < sharedPages.length && sharedPages[index]) {
            sharedPages[index] = false;
            pages[index] = pages[index].clone();
        }
        return pages[index];
    }

    /**
     * A frozen copy: its own slots, this table's pages. Costs a copy of the slot array, not of
     * the records. Nothing may change the copy; it may be read on another thread once handed over
     * safely (a snapshot writer encodes it there), while this table goes on changing.
     */
    public HashSlots share() {
        HashSlots frozen = new HashSlots(pairs, slots.clone());
        frozen.pages = pages.clone();
        frozen.pageCount = pageCount;
        frozen.size = size;
        boolean[] shared = new boolean[pageCount];
        for (int i = 0; i < pageCount; i++) {
            shared[i] = pages[i] != null;
        }
        sharedPages = shared;
        return frozen;
    }

    private void maybeCompact() {
        if (garbageBytes > 4096 && garbageBytes > liveBytes) {
            // Fresh pages: nothing shares them.
            sharedPages = null;
            HashSlots fresh = copy();
            pages = fresh.pages;
            pageCount = fresh.pageCount;
            fillPage = fresh.fillPage;
            fill = fresh.fill;
            freePages = fresh.freePages;
            freePageCount = fresh.freePageCount;
            liveBytes = fresh.liveBytes;
            garbageBytes = fresh.garbageBytes;
            pageBytes = fresh.pageBytes;
            slots = fresh.slots;
        }
    }

    /** An independent copy, its records packed into fresh pages. */
    public HashSlots copy() {
        HashSlots copy = new HashSlots(pairs, slots.clone());
        long[] s = copy.slots;
        for (int i = 0; i < s.length; i++) {
            if (s[i] != 0) {
                int ref = (int) s[i];
                byte[] page = pages[ref >>> PAGE_BITS];
                int record = ref & (PAGE_SIZE - 1);
                int moved = copy.storeRaw(page, record, recordSize(page, record));
                s[i] = (s[i] & ~LOW) | (moved & LOW);
            }
        }
        copy.size = size;
        return copy;
    }

    /**
     * Visits (by slot) every element whose home bucket is the cursor's, and returns the next
     * cursor (0 when the scan is complete), exactly as Redis's dictScan steps its cursor.
     */
    public long scan(long cursor, IntConsumer visitor) {
        if (size == 0) {
            return 0;
        }
        int mask = slots.length - 1;
        int bucket = (int) (cursor & mask);
        for (int i = bucket; slots[i] != 0; i = (i + 1) & mask) {
            if ((hashOf(slots[i]) & mask) == bucket) {
                visitor.accept(i);
            }
        }
        long next = cursor | ~(long) mask;
        next = Long.reverse(next);
        next++;
        return Long.reverse(next);
    }

    /** Bytes held: the slot array and the record pages. */
    public long memoryUsage() {
        return 16 + 8L * slots.length + 16 + 8L * pages.length + pageBytes + 16L * pageCount + 4L * freePages.length;
    }
}
