package dev.magpie.server.persistence;

import dev.magpie.server.engine.Engine;
import dev.magpie.server.keyspace.ChangedSegments;
import dev.magpie.server.keyspace.Database;
import dev.magpie.server.keyspace.Entry;
import dev.magpie.server.keyspace.Keyspace;
import dev.magpie.server.keyspace.OffHeap;
import dev.magpie.server.keyspace.SnapshotHook;

/**
 * A consistent point-in-time walk over every database, without stopping the engine and without
 * a fork: copy-on-write at key granularity, all on the engine thread.
 *
 * <p>At {@link #start} every keyspace finishes any rehash, stops resizing and flips its snapshot
 * parity, so every entry present counts as "not yet visited" and every entry created afterwards
 * as "visited". {@link #step} then walks the buckets in slices from the engine's duty cycle.
 * Before a command reads, changes or deletes an entry not yet visited (lookups, deletes, expiry,
 * eviction all pass through {@link Keyspace#find}, {@link Keyspace#unlink} or
 * {@code Database.releaseValue}), the keyspace calls back here and the entry is handed to the
 * sink first, with the value it had when the snapshot started. A fast read-only command (GET,
 * MGET, HGET, ...) only reads what it finds, so its lookups leave entries to the walk
 * ({@link #onlyReading}): only their access time may be newer when the walk records them, and
 * the snapshot keeps that as a hint (RDB's IDLE and FREQ), not as data. FLUSHALL, FLUSHDB and SWAPDB
 * cannot be followed key by key: they make the walk finish synchronously before they proceed.
 *
 * <p>The sink sees every key that existed at the start exactly once, and nothing else. Keys come
 * in no particular database order (a hook may deliver a key of database 3 in the middle of the
 * walk of database 0), so a sink must say which database each key belongs to, as RDB's SELECTDB
 * does. The sink must serialize the value, or take a frozen copy of it ({@link FrozenEntry}),
 * before returning: after it returns the entry may be changed, reallocated or freed.
 *
 * <p>An AOF rewrite may also divide the walk into {@link Segments}: runs of buckets whose bytes
 * it copies from the previous base instead (nothing in them changed since), whose keys count as
 * covered from the start ({@link Keyspace#coverSegment}) so the walk skips them and the hook
 * never fires for them, and the others, whose ends it reports so the next rewrite can do the same.
 *
 * <p>Used by BGSAVE and SAVE (RDB) and by the AOF rewrite. Engine thread only; one at a
 * time ({@link Persistence} enforces it).
 */
public final class KeyspaceSnapshot implements SnapshotHook {
    /** Receives the snapshot's entries, on the engine thread. */
    public interface Sink {
        /**
         * One key as it was when the snapshot started: {@code entry} is its live entry (key,
         * type, expire time, access data, value), {@code keyspace.objects()} holds its value
         * object when it is not a string. Serialize it before returning.
         */
        void entry(int database, Keyspace keyspace, long entry);
    }

    /**
     * The segments ({@link ChangedSegments}) of each database, of the tables as they are when the
     * snapshot starts: which ones the snapshot leaves out, and where the walk of the others
     * begins and ends in the sink's stream.
     */
    public interface Segments {
        /** The table size the segments of {@code database} divide; 0 when they are not tracked there. */
        int buckets(int database);

        /** The keys of this segment come from elsewhere: neither the walk nor the hook hands them over. */
        boolean reused(int database, int segment);

        /** The walk is about to hand over the keys of this segment. */
        void walkStarts(int database, int segment);

        /** The walk handed over all keys of this segment since {@link #walkStarts}, and nothing else. */
        void walkEnds(int database, int segment);
    }

    /**
     * Between slices while clients are served: the walk then takes about a tenth of the engine.
     * On two cores shared with a benchmark client, GET p99 during back-to-back BGSAVEs was
     * 1.35-1.37x idle at pipeline 1 and 1.55-1.68x at 16 with 2 ms, against 1.66-2.05x and
     * 1.75-2.19x with 1 ms; a save under load takes about twice as long.
     */
    private static final long BUSY_PAUSE_MILLIS = 2;
    /** Buckets whose first entries are loaded together before the walk reaches them. */
    private static final int WARM_AHEAD = 16;
    private static final int CACHE_LINE = 64;
    private static final int WARM_LINES = 4;

    private final Engine engine;
    private final Sink sink;
    /** Keeps the compiler from dropping the loads of {@link #warmAhead}. */
    private long warmed;
    private final Keyspace[] keyspaces;
    private int database;
    private int bucket;
    private long visited;
    private boolean done;
    private long commandsAtLastSlice;
    private Segments segments;
    /** The segment being walked, or -1; it stays clean while nothing else was handed over since it began. */
    private int openSegment = -1;
    private boolean openClean;
    /** Keys replaced before the walk reached them are left out ({@link #leaveOutReplacedKeys}). */
    private boolean leaveOutReplaced;
    private long leftOut;

    private KeyspaceSnapshot(Engine engine, Sink sink) {
        this.engine = engine;
        this.sink = sink;
        Database[] databases = engine.databases();
        this.keyspaces = new Keyspace[databases.length];
        for (int i = 0; i < databases.length; i++) {
            keyspaces[i] = databases[i].keyspace();
        }
    }

    /** Starts a snapshot of every database as it is now. */
    public static KeyspaceSnapshot start(Engine engine, Sink sink) {
        KeyspaceSnapshot snapshot = new KeyspaceSnapshot(engine, sink);
        for (Keyspace keyspace : snapshot.keyspaces) {
            keyspace.beginSnapshot(snapshot);
        }
        return snapshot;
    }

    /**
     * Divides the walk into {@code segments}, right after {@link #start}: the keys of the reused
     * ones count as covered at once, before any command can touch them.
     */
    public void divide(Segments segments) {
        this.segments = segments;
        for (int db = 0; db < keyspaces.length; db++) {
            int buckets = segments.buckets(db);
            if (buckets == 0) {
                continue;
            }
            if (buckets != keyspaces[db].bucketCount() || buckets > Keyspace.COVERABLE_BUCKETS) {
                throw new IllegalStateException("segments of " + buckets + " buckets do not divide a table of "
                        + keyspaces[db].bucketCount());
            }
            for (int s = 0, n = ChangedSegments.segments(buckets); s < n; s++) {
                if (segments.reused(db, s)) {
                    keyspaces[db].coverSegment(s);
                }
            }
        }
    }

    /**
     * From now on a key that a command replaces whatever it held (see
     * {@link SnapshotHook#beforeReplace}) before the walk reached it is left out instead of
     * handed over: for an AOF rewrite, whose incremental file, started with the snapshot,
     * replaces it again on loading. Loading replays that file in order, so the commands in it
     * before the replacement never touched the key (the first that did would have handed it
     * over), and those after it see the same key live and on loading. A plain SET or a DEL of
     * a key then costs the engine no copy of the value it drops, and the base no encoding of it.
     */
    public void leaveOutReplacedKeys() {
        leaveOutReplaced = true;
    }

    /** Keys left out so far because a command replaced them before the walk came. */
    public long leftOut() {
        return leftOut;
    }

    /** Keys handed to the sink so far. */
    public long visited() {
        return visited;
    }

    public boolean done() {
        return done;
    }

    /** Walks for about {@code budgetNanos}; returns true while keys remain. */
    public boolean step(long budgetNanos) {
        long deadline = System.nanoTime() + budgetNanos;
        int sinceCheck = 0;
        while (!done) {
            Keyspace keyspace = keyspaces[database];
            if (bucket >= keyspace.bucketCount() || keyspace.snapshotCovered()) {
                closeSegment(keyspace);
                database++;
                bucket = 0;
                if (database == keyspaces.length) {
                    finishWalk();
                    return false;
                }
                continue;
            }
            if (segments != null && (bucket & (ChangedSegments.SEGMENT_BUCKETS - 1)) == 0
                    && segments.buckets(database) > 0) {
                closeSegment(keyspace);
                int segment = bucket >>> ChangedSegments.SEGMENT_SHIFT;
                if (segments.reused(database, segment)) {
                    bucket += ChangedSegments.SEGMENT_BUCKETS;
                    continue;
                }
                openSegment = segment;
                openClean = true;
                segments.walkStarts(database, segment);
            }
            if ((bucket & (WARM_AHEAD - 1)) == 0) {
                warmAhead(keyspace, bucket);
            }
            for (long e = keyspace.bucketHead(bucket); e != 0; e = Keyspace.nextInBucket(e)) {
                if (keyspace.coverIfPending(e)) {
                    emit(database, keyspace, e);
                    sinceCheck++;
                }
            }
            bucket++;
            if ((bucket & 63) == 0 || sinceCheck >= 64) {
                sinceCheck = 0;
                if (System.nanoTime() >= deadline) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * Loads entries before the walk reaches them, in two stages so their cache misses overlap
     * instead of coming one after another (entries lie wherever they were allocated): the first
     * line of the head entries {@code WARM_AHEAD} to {@code 2 * WARM_AHEAD} buckets ahead, and up to
     * four lines of the head entries of the next {@code WARM_AHEAD} buckets, whose first line (holding
     * their size) the previous stage loaded, with the first line of the entry after each.
     */
    private void warmAhead(Keyspace keyspace, int from) {
        int buckets = keyspace.bucketCount();
        long touched = 0;
        for (int b = from + WARM_AHEAD, to = Math.min(buckets, from + 2 * WARM_AHEAD); b < to; b++) {
            long head = keyspace.bucketHead(b);
            if (head != 0) {
                touched += Keyspace.nextInBucket(head);
            }
        }
        for (int b = from, to = Math.min(buckets, from + WARM_AHEAD); b < to; b++) {
            long head = keyspace.bucketHead(b);
            if (head != 0) {
                // A big value is copied at streaming speed anyway: only its first lines are loaded.
                long end = Math.min(Entry.size(head), WARM_LINES * CACHE_LINE);
                for (long line = CACHE_LINE; line < end; line += CACHE_LINE) {
                    touched += OffHeap.getByte(head + line);
                }
                touched += OffHeap.getByte(head + end - 1);
                long next = Keyspace.nextInBucket(head);
                if (next != 0) {
                    touched += Keyspace.nextInBucket(next);
                }
            }
        }
        warmed = touched;
    }

    /**
     * The pause before the next slice: none while no client was served since the last call, so
     * a save on an idle server runs flat out; {@link #BUSY_PAUSE_MILLIS} when clients were, so the
     * walk, and the writer thread encoding what it hands over, leave most of a busy machine to
     * them and their latency stays close to normal.
     */
    public long pauseBeforeNextSliceMillis() {
        long served = engine.stats().commandsProcessed;
        boolean busy = served != commandsAtLastSlice;
        commandsAtLastSlice = served;
        return busy ? BUSY_PAUSE_MILLIS : 0;
    }

    /** Walks everything that remains, now. */
    public void finish() {
        while (step(Long.MAX_VALUE / 4)) {
            Thread.onSpinWait();
        }
    }

    /**
     * Ends the walk where it is, covering nothing more (a background save given up). Entries not
     * yet walked keep the old parity, which a later snapshot would misread as covered: only for
     * when every keyspace is emptied right after (FLUSHALL).
     */
    public void abandon() {
        if (!done) {
            finishWalk();
        }
    }

    private void closeSegment(Keyspace keyspace) {
        if (openSegment >= 0) {
            // After a rehash completed, the rest of the segment was handed over out of order.
            if (openClean && !keyspace.snapshotCovered()) {
                segments.walkEnds(database, openSegment);
            }
            openSegment = -1;
        }
    }

    /** Hands over an entry the keyspace just counted covered. */
    private void emit(int db, Keyspace keyspace, long entry) {
        visited++;
        sink.entry(db, keyspace, entry);
    }

    private void finishWalk() {
        done = true;
        for (Keyspace keyspace : keyspaces) {
            keyspace.endSnapshot();
        }
    }

    @Override
    public void beforeChange(Keyspace keyspace, long entry) {
        for (int i = 0; i < keyspaces.length; i++) {
            if (keyspaces[i] == keyspace) {
                // Keys of reused segments were covered at the start: this one lies in a walked
                // segment, and it comes in the middle of whichever segment the walk has open.
                openClean &= segments == null;
                emit(i, keyspace, entry);
                return;
            }
        }
        throw new IllegalStateException("snapshot hook called for a keyspace it does not walk");
    }

    @Override
    public void beforeReplace(Keyspace keyspace, long entry) {
        if (leaveOutReplaced) {
            leftOut++;
        } else {
            beforeChange(keyspace, entry);
        }
    }

    @Override
    public boolean onlyReading() {
        return engine.onlyReading();
    }

    @Override
    public void beforeBulkChange() {
        finish();
    }

    Engine engine() {
        return engine;
    }
}
