package dev.magpie.server.keyspace;

import java.util.concurrent.ThreadLocalRandom;

/**
 * One database: a chained hash index of native-memory entries that grows and shrinks
 * incrementally (two tables during a rehash, a few buckets moved per operation, as Redis's
 * dict does), plus the set of entries that carry an expire time ({@link ExpiringEntries}).
 *
 * <p>Engine thread only. This class knows nothing of time: expiry decisions live in {@link Database}.
 */
public final class Keyspace {
    private static final int INITIAL_BUCKETS = 4;
    private static final int REHASH_STEP_EMPTY_VISITS = 10;
    /** The largest table whose segments {@link #coverSegment} can cover. */
    public static final int COVERABLE_BUCKETS = SnapshotFlips.MAX_BUCKETS;

    private long[] primary = new long[INITIAL_BUCKETS];
    private long[] secondary;
    /** Next bucket of {@link #primary} to move during a rehash; -1 when not rehashing. */
    private int rehashIndex = -1;
    private long size;
    private long entryBytes;
    private long primaryUsed;

    private final ExpiringEntries expiring = new ExpiringEntries();
    private ObjectTable objects = new ObjectTable();
    /**
     * Set while a snapshot walks this keyspace; entries whose snapshot bit, read through
     * {@link #flips}, differs from the parity are not yet covered.
     */
    private SnapshotHook snapshotHook;
    private boolean snapshotParity;
    private final SnapshotFlips flips = new SnapshotFlips();
    /** A rehash completed during the running snapshot: it handed over every entry not yet covered. */
    private boolean snapshotCovered;
    /** Set while an AOF rewrite's base may be reused: what changed since it was taken. */
    private ChangedSegments changes;

    /** The non-string values of this keyspace, by the handle their entries hold. */
    public ObjectTable objects() {
        return objects;
    }

    public long size() {
        return size;
    }

    /**
     * Native bytes of the entries in this keyspace. Counted here rather than process-wide, so
     * each server's maxmemory sees its own data even when several share a JVM.
     */
    public long entryBytes() {
        return entryBytes;
    }

    public int expiringCount() {
        return expiring.count();
    }

    public boolean isRehashing() {
        return rehashIndex >= 0;
    }

    public long buckets() {
        return primary.length + (secondary == null ? 0 : secondary.length);
    }

    /** Bytes held by the index arrays themselves. */
    public long indexBytes() {
        return 8L * (primary.length + (secondary == null ? 0 : secondary.length)) + expiring.arrayBytes();
    }

    public long find(byte[] key, int offset, int length) {
        return find(key, offset, length, false);
    }

    /**
     * {@link #find} for a command that goes on to replace the key's value and expire time, or to
     * delete it, whatever it holds (plain SET, MSET, DEL): a running snapshot may then leave the
     * entry out instead of recording it first ({@link SnapshotHook#beforeReplace}).
     */
    public long findToReplace(byte[] key, int offset, int length) {
        return find(key, offset, length, true);
    }

    private long find(byte[] key, int offset, int length, boolean replacing) {
        if (size == 0) {
            return 0;
        }
        rehashStep();
        long hash = KeyHash.hash(key, offset, length);
        long found = findHashed(hash, key, offset, length);
        if (found != 0) {
            if (snapshotHook != null && !covered(found, hash) && (replacing || !snapshotHook.onlyReading())) {
                handOver(found, hash, replacing);
            }
            if (changes != null) {
                changes.keyFound(hash);
            }
        }
        return found;
    }

    /** The entry of {@code key}, whose hash is {@code hash}, in either table; 0 if none. */
    private long findHashed(long hash, byte[] key, int offset, int length) {
        long found = findIn(primary, hash, key, offset, length);
        if (found == 0 && secondary != null) {
            found = findIn(secondary, hash, key, offset, length);
        }
        return found;
    }

    /**
     * Loads the index bucket {@code key} falls in and the header of its first entry, and returns
     * a value derived from both. No effect on the keyspace: a batch calls it for each of its keys
     * before running them, so the cache misses of many lookups overlap instead of coming one
     * after another.
     */
    public long warm(byte[] key, int offset, int length) {
        long hash = KeyHash.hash(key, offset, length);
        long head = primary[(int) (hash & (primary.length - 1))];
        return head == 0 ? 0 : head + Entry.keyLength(head);
    }

    private static long findIn(long[] table, long hash, byte[] key, int offset, int length) {
        for (long e = table[(int) (hash & (table.length - 1))]; e != 0; e = Entry.next(e)) {
            if (Entry.keyEquals(e, key, offset, length)) {
                return e;
            }
        }
        return 0;
    }

    /**
     * Adds a new entry for a key the caller knows is absent, copying the key; the caller fills
     * the value ({@link Entry#valueAddress}) and type. Returns the entry's address.
     */
    public long add(byte[] key, int offset, int length, int valueLength) {
        long entry = detached(key, offset, length, valueLength, -1);
        link(entry, KeyHash.hash(key, offset, length));
        return entry;
    }

    /**
     * A new entry, not yet in any index, under {@code key} with the source's type, encoding,
     * access data, expire time and value bytes (RENAME, COPY); link it with {@link #addEntry}.
     * The value bytes are copied as they are: a type whose value refers to memory outside its
     * entry must copy that memory itself.
     */
    public static long copyOf(long source, byte[] key, int offset, int length) {
        int valueLength = Entry.valueLength(source);
        long entry = detached(key, offset, length, valueLength, Entry.hasExpire(source) ? Entry.expireAt(source) : -1);
        Entry.type(entry, Entry.type(source), Entry.encoding(source));
        Entry.lru(entry, Entry.lru(source));
        Entry.lfu(entry, Entry.lfu(source));
        OffHeap.copy(Entry.valueAddress(source), Entry.valueAddress(entry), valueLength);
        return entry;
    }

    /**
     * A new entry for {@code key} with room for {@code valueLength} value bytes and the given
     * expire time (-1 for none), in no index yet. Touches no keyspace, so any thread may build
     * one (a loader's parser does); link it on the engine with {@link #addIfAbsent} or free it
     * with {@link #freeDetachedEntry}. The caller fills the value and type.
     */
    public static long detached(byte[] key, int offset, int length, int valueLength, long expireAt) {
        boolean hasExpire = expireAt >= 0;
        long entry = OffHeap.allocate(Entry.size(hasExpire, length, valueLength));
        Entry.init(entry, length, valueLength, hasExpire);
        if (hasExpire) {
            Entry.expireAt(entry, expireAt);
        }
        OffHeap.copyFromArray(key, offset, Entry.keyAddress(entry), length);
        return entry;
    }

    public static void freeDetachedEntry(long entry) {
        OffHeap.free(entry, Entry.size(entry));
    }

    /**
     * Links a {@link #detached} entry whose key is {@code key}, unless that key is present:
     * then returns false and the entry stays detached.
     */
    public boolean addIfAbsent(long entry, byte[] key) {
        rehashStep();
        long hash = KeyHash.hash(key, 0, key.length);
        if (size != 0 && findHashed(hash, key, 0, key.length) != 0) {
            return false;
        }
        linkWithExpiry(entry, hash);
        return true;
    }

    /** Adds an entry built elsewhere (a copy or a move between databases). */
    public void addEntry(long entry) {
        linkWithExpiry(entry, hashOf(entry));
    }

    private void linkWithExpiry(long entry, long hash) {
        link(entry, hash);
        if (Entry.hasExpire(entry)) {
            expiring.add(entry);
        }
    }

    private void link(long entry, long hash) {
        // A key created now is not part of a running snapshot: it counts as covered.
        Entry.snapshotBit(entry, coveredBit(hash));
        if (changes != null) {
            changes.keyChanged(hash);
        }
        expandIfNeeded();
        rehashStep();
        long[] table = secondary != null ? secondary : primary;
        int bucket = (int) (hash & (table.length - 1));
        Entry.next(entry, table[bucket]);
        table[bucket] = entry;
        size++;
        entryBytes += Entry.size(entry);
    }

    /**
     * Gives {@code entry} a new value area of {@code valueLength} bytes, keeping its key, type,
     * access data and expire time. Returns the entry's (possibly new) address; the old value
     * bytes are not copied.
     */
    public long resizeValue(long entry, int valueLength) {
        if (Entry.valueLength(entry) == valueLength) {
            return entry;
        }
        boolean hasExpire = Entry.hasExpire(entry);
        return reallocate(entry, hasExpire, valueLength, false);
    }

    /** Like {@link #resizeValue} but copies as much of the old value as fits. */
    public long resizeValueKeeping(long entry, int valueLength) {
        if (Entry.valueLength(entry) == valueLength) {
            return entry;
        }
        return reallocate(entry, Entry.hasExpire(entry), valueLength, true);
    }

    private long reallocate(long entry, boolean hasExpire, int valueLength, boolean keepValue) {
        int keyLength = Entry.keyLength(entry);
        long fresh = OffHeap.allocate(Entry.size(hasExpire, keyLength, valueLength));
        Entry.init(fresh, keyLength, valueLength, hasExpire);
        Entry.snapshotBit(fresh, Entry.snapshotBit(entry));
        Entry.type(fresh, Entry.type(entry), Entry.encoding(entry));
        Entry.lru(fresh, Entry.lru(entry));
        Entry.lfu(fresh, Entry.lfu(entry));
        OffHeap.copy(Entry.keyAddress(entry), Entry.keyAddress(fresh), keyLength);
        if (keepValue) {
            OffHeap.copy(Entry.valueAddress(entry), Entry.valueAddress(fresh),
                    Math.min(valueLength, Entry.valueLength(entry)));
        }
        if (hasExpire && Entry.hasExpire(entry)) {
            Entry.expireAt(fresh, Entry.expireAt(entry));
            expiring.moved(entry, fresh);
        } else if (Entry.hasExpire(entry)) {
            expiring.remove(entry);
        }
        replaceInChain(entry, fresh);
        entryBytes += Entry.size(fresh) - Entry.size(entry);
        OffHeap.free(entry, Entry.size(entry));
        return fresh;
    }

    /** Sets or clears ({@code when < 0}) the expire time; returns the entry's (possibly new) address. */
    public long expireAt(long entry, long when) {
        if (when < 0) {
            if (!Entry.hasExpire(entry)) {
                return entry;
            }
            return reallocate(entry, false, Entry.valueLength(entry), true);
        }
        if (!Entry.hasExpire(entry)) {
            entry = reallocate(entry, true, Entry.valueLength(entry), true);
            expiring.add(entry);
        }
        Entry.expireAt(entry, when);
        return entry;
    }

    /** A random entry that carries an expire time, or 0 when there is none. */
    public long randomExpiring() {
        return expiring.random();
    }

    /** Removes the entry from the index and frees it. */
    public void delete(long entry) {
        OffHeap.free(unlink(entry), Entry.size(entry));
    }

    /** Removes the entry from the index without freeing it; the caller owns its memory. */
    public long unlink(long entry) {
        long hash = hashOf(entry);
        if (snapshotHook != null && !covered(entry, hash)) {
            handOver(entry, hash, false);
        }
        rehashStep();
        if (changes != null) {
            changes.keyChanged(hash);
        }
        if (!unlinkFrom(primary, hash, entry) && (secondary == null || !unlinkFrom(secondary, hash, entry))) {
            throw new IllegalStateException("entry not in index");
        }
        if (Entry.hasExpire(entry)) {
            expiring.remove(entry);
        }
        size--;
        entryBytes -= Entry.size(entry);
        return entry;
    }

    private static boolean unlinkFrom(long[] table, long hash, long entry) {
        int bucket = (int) (hash & (table.length - 1));
        long previous = 0;
        for (long e = table[bucket]; e != 0; e = Entry.next(e)) {
            if (e == entry) {
                if (previous == 0) {
                    table[bucket] = Entry.next(e);
                } else {
                    Entry.next(previous, Entry.next(e));
                }
                return true;
            }
            previous = e;
        }
        return false;
    }

    private void replaceInChain(long old, long fresh) {
        long hash = hashOf(old);
        if (changes != null) {
            changes.keyChanged(hash);
        }
        if (!replaceIn(primary, hash, old, fresh) && (secondary == null || !replaceIn(secondary, hash, old, fresh))) {
            throw new IllegalStateException("entry not in index");
        }
    }

    private static boolean replaceIn(long[] table, long hash, long old, long fresh) {
        int bucket = (int) (hash & (table.length - 1));
        long previous = 0;
        for (long e = table[bucket]; e != 0; e = Entry.next(e)) {
            if (e == old) {
                Entry.next(fresh, Entry.next(e));
                if (previous == 0) {
                    table[bucket] = fresh;
                } else {
                    Entry.next(previous, fresh);
                }
                return true;
            }
            previous = e;
        }
        return false;
    }

    // ---- snapshots ----------------------------------------------------------------------------

    /**
     * Starts a snapshot walk: finishes any rehash (the walk starts on one table) and flips the
     * parity so every present entry counts as not yet covered, while entries created from now on
     * count as covered. The table may still grow or shrink during the walk: a rehash hands each
     * entry not yet covered to the snapshot before moving it, so once a rehash completes nothing
     * of this keyspace is left to walk, and a full table never turns into long chains.
     */
    public void beginSnapshot(SnapshotHook hook) {
        if (snapshotHook != null) {
            // Two walks would share one parity bit: each would take the other's keys as covered.
            throw new IllegalStateException("a snapshot is already walking this keyspace");
        }
        while (rehash(1024)) {
            Thread.onSpinWait();
        }
        snapshotParity = !snapshotParity;
        snapshotHook = hook;
        snapshotCovered = false;
    }

    /** Ends the walk: every entry must have been covered (marked) by then. */
    public void endSnapshot() {
        snapshotHook = null;
    }

    /** Tracks changes from now on in {@code tracker} (made for this table's size), or stops with null. */
    public void trackChanges(ChangedSegments tracker) {
        this.changes = tracker;
    }

    public ChangedSegments changes() {
        return changes;
    }

    public boolean snapshotActive() {
        return snapshotHook != null;
    }

    /**
     * True when the running snapshot has nothing left to walk here: a rehash completed since it
     * started, and moving each entry covered it. The walk must stop then, or a table that keeps
     * growing could keep it busy forever.
     */
    public boolean snapshotCovered() {
        return snapshotCovered;
    }

    /**
     * Counts every key of {@code segment} of the table (runs of {@link ChangedSegments#SEGMENT_BUCKETS}
     * buckets) as covered by the running snapshot, in one step, without touching them: for keys
     * the snapshot takes from elsewhere. Right after {@link #beginSnapshot}, before anything else
     * touches this keyspace, while every key still counts as not yet covered; only for a table of
     * at most {@link #COVERABLE_BUCKETS} buckets.
     */
    public void coverSegment(int segment) {
        if (snapshotHook == null || isRehashing()) {
            throw new IllegalStateException("a segment is covered only at the start of a snapshot");
        }
        flips.invertSegment(segment, primary.length);
    }

    /**
     * For the walk: if a snapshot runs and has not covered {@code entry} yet, counts it covered
     * and returns true; the walk then records it.
     */
    public boolean coverIfPending(long entry) {
        if (snapshotHook == null) {
            return false;
        }
        // Without inverted groups the bit does not depend on the key: no hash needed.
        boolean covered = flips.any() ? coveredBit(hashOf(entry)) : snapshotParity;
        if (Entry.snapshotBit(entry) == covered) {
            return false;
        }
        Entry.snapshotBit(entry, covered);
        return true;
    }

    /** The snapshot bit that means covered for a key with hash {@code hash}. */
    private boolean coveredBit(long hash) {
        return snapshotParity ^ flips.of(hash);
    }

    private boolean covered(long entry, long hash) {
        return Entry.snapshotBit(entry) == coveredBit(hash);
    }

    /** Counts a pending entry covered, then lets the snapshot record it (or leave it out, when it is replaced). */
    private void handOver(long entry, long hash, boolean replacing) {
        Entry.snapshotBit(entry, coveredBit(hash));
        if (replacing) {
            snapshotHook.beforeReplace(this, entry);
        } else {
            snapshotHook.beforeChange(this, entry);
        }
    }

    private static long hashOf(long entry) {
        return KeyHash.hashAt(Entry.keyAddress(entry), Entry.keyLength(entry));
    }

    /** Lets the running snapshot record {@code entry} before it is read, changed or removed. */
    public void beforeChange(long entry) {
        if (snapshotHook != null) {
            long hash = hashOf(entry);
            if (!covered(entry, hash)) {
                if (changes != null) {
                    changes.keyChanged(hash);
                }
                handOver(entry, hash, false);
            }
        }
    }

    /** Lets the running snapshot complete before the keyspace is emptied or swapped. */
    public void beforeBulkChange() {
        if (changes != null) {
            changes.everythingChanged();
        }
        if (snapshotHook != null) {
            snapshotHook.beforeBulkChange();
        }
    }

    /** Buckets of the table a snapshot walks (the old one while a rehash drains it). */
    public int bucketCount() {
        return primary.length;
    }

    public long bucketHead(int bucket) {
        return primary[bucket];
    }

    public static long nextInBucket(long entry) {
        return Entry.next(entry);
    }

    // ---- incremental resizing -------------------------------------------------------------

    private void expandIfNeeded() {
        if (secondary != null) {
            return;
        }
        if (size + 1 > primary.length) {
            startRehash(primary.length * 2);
        }
    }

    /**
     * Makes room for {@code keys} keys at once, as a loader that knows the count ahead does
     * (RDB's RESIZEDB): an empty keyspace gets its final table now, a filled one starts one
     * rehash to that size instead of doubling its way there.
     */
    public void expandFor(long keys) {
        if (keys <= primary.length || keys > (1 << 30) || secondary != null) {
            return;
        }
        int buckets = INITIAL_BUCKETS;
        while (buckets < keys) {
            buckets <<= 1;
        }
        if (size == 0) {
            primary = new long[buckets];
            if (changes != null) {
                changes.everythingChanged();
            }
        } else {
            startRehash(buckets);
        }
    }

    /** Starts shrinking when the table is under 10% full, as Redis's cron does. */
    public void shrinkIfSparse() {
        if (secondary != null || primary.length <= INITIAL_BUCKETS) {
            return;
        }
        if (size * 10 < primary.length) {
            int target = INITIAL_BUCKETS;
            while (target < size) {
                target <<= 1;
            }
            startRehash(target);
        }
    }

    private void startRehash(int buckets) {
        if (buckets > (1 << 30)) {
            return;
        }
        secondary = new long[buckets];
        rehashIndex = 0;
        if (changes != null) {
            changes.everythingChanged();
        }
        primaryUsed = size;
    }

    private void rehashStep() {
        if (secondary != null) {
            rehash(1);
        }
    }

    /**
     * Moves up to {@code buckets} non-empty buckets to the new table; returns true while more
     * remain. Used per operation and, with a time budget, by the engine's cron.
     */
    public boolean rehash(int buckets) {
        if (secondary == null) {
            return false;
        }
        int emptyVisits = buckets * REHASH_STEP_EMPTY_VISITS;
        long[] from = primary;
        long[] to = secondary;
        int mask = to.length - 1;
        while (buckets-- > 0 && rehashIndex < from.length) {
            while (from[rehashIndex] == 0) {
                rehashIndex++;
                if (rehashIndex == from.length || --emptyVisits == 0) {
                    return finishIfDone();
                }
            }
            long e = from[rehashIndex];
            while (e != 0) {
                long next = Entry.next(e);
                long hash = hashOf(e);
                if (snapshotHook != null && !covered(e, hash)) {
                    handOver(e, hash, false);
                }
                int bucket = (int) (hash & mask);
                Entry.next(e, to[bucket]);
                to[bucket] = e;
                e = next;
            }
            from[rehashIndex++] = 0;
        }
        return finishIfDone();
    }

    private boolean finishIfDone() {
        if (rehashIndex >= primary.length) {
            primary = secondary;
            secondary = null;
            rehashIndex = -1;
            snapshotCovered = snapshotHook != null;
            return false;
        }
        return true;
    }

    // ---- iteration --------------------------------------------------------------------------

    /** Receives entries during iteration; may not modify the keyspace. */
    @FunctionalInterface
    public interface EntryVisitor {
        void visit(long entry);
    }

    /** Visits every entry; the visitor must not add or remove entries. */
    public void forEach(EntryVisitor visitor) {
        visitTable(primary, visitor);
        if (secondary != null) {
            visitTable(secondary, visitor);
        }
    }

    private static void visitTable(long[] table, EntryVisitor visitor) {
        for (long head : table) {
            for (long e = head; e != 0; e = Entry.next(e)) {
                visitor.visit(e);
            }
        }
    }

    /**
     * One step of a stateless scan (Redis's reverse-binary cursor): visits the buckets the cursor
     * names and returns the next cursor, 0 when the iteration is complete. Every entry present
     * for the whole iteration is visited at least once, even if the tables resize in between.
     */
    public long scan(long cursor, EntryVisitor visitor) {
        if (size == 0) {
            return 0;
        }
        long v = cursor;
        if (secondary == null) {
            long mask = primary.length - 1;
            visitBucket(primary, (int) (v & mask), visitor);
            v |= ~mask;
            v = Long.reverse(Long.reverse(v) + 1);
        } else {
            long[] small = primary.length <= secondary.length ? primary : secondary;
            long[] large = small == primary ? secondary : primary;
            long smallMask = small.length - 1;
            long largeMask = large.length - 1;
            visitBucket(small, (int) (v & smallMask), visitor);
            do {
                visitBucket(large, (int) (v & largeMask), visitor);
                v |= ~largeMask;
                v = Long.reverse(Long.reverse(v) + 1);
            } while ((v & (smallMask ^ largeMask)) != 0);
        }
        return v;
    }

    private static void visitBucket(long[] table, int bucket, EntryVisitor visitor) {
        for (long e = table[bucket]; e != 0; e = Entry.next(e)) {
            visitor.visit(e);
        }
    }

    /** A random entry, or 0 when empty. */
    public long randomEntry() {
        if (size == 0) {
            return 0;
        }
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long head;
        do {
            if (secondary != null) {
                int total = primary.length - rehashIndex + secondary.length;
                int pick = random.nextInt(total);
                head = pick < secondary.length ? secondary[pick] : primary[rehashIndex + pick - secondary.length];
            } else {
                head = primary[random.nextInt(primary.length)];
            }
        } while (head == 0);
        int chain = 0;
        for (long e = head; e != 0; e = Entry.next(e)) {
            chain++;
        }
        long e = head;
        for (int skip = random.nextInt(chain); skip > 0; skip--) {
            e = Entry.next(e);
        }
        return e;
    }

    /**
     * Detaches every entry, leaving this keyspace empty, and returns the old tables so their
     * entries can be freed elsewhere (FLUSHALL ASYNC).
     */
    public long[][] detachAll() {
        beforeBulkChange();
        long[][] detached = secondary == null ? new long[][] {primary} : new long[][] {primary, secondary};
        primary = new long[INITIAL_BUCKETS];
        secondary = null;
        rehashIndex = -1;
        size = 0;
        entryBytes = 0;
        expiring.clear();
        objects.release();
        objects = new ObjectTable();
        return detached;
    }

    /** Frees every entry reachable from tables detached by {@link #detachAll()}; any thread. */
    public static long freeDetached(long[][] tables) {
        long freed = 0;
        for (long[] table : tables) {
            for (long head : table) {
                long e = head;
                while (e != 0) {
                    long next = Entry.next(e);
                    OffHeap.free(e, Entry.size(e));
                    freed++;
                    e = next;
                }
            }
        }
        return freed;
    }
}
