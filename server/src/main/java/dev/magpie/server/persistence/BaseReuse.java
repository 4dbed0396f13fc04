package dev.magpie.server.persistence;

import dev.magpie.server.engine.Engine;
import dev.magpie.server.keyspace.ChangedSegments;
import dev.magpie.server.keyspace.Keyspace;

import java.nio.file.Path;
import java.util.Arrays;

/**
 * What an AOF rewrite may take from the previous base instead of walking and encoding it again:
 * the keys of every segment of the index ({@link ChangedSegments}) in which nothing changed
 * since that base was taken, copied as the bytes they are in it. A base records where each
 * segment it walked or copied lies ({@link Layout}); the keyspaces track what changes from the
 * moment a base is taken until the next one is. A rewrite copies a segment when the previous
 * base recorded it, its keyspace is the one tracked then, with the same table, and nothing in
 * it changed; every other segment is walked as before.
 *
 * <p>Only RDB bases divide into segments, and only without an LRU or LFU policy, whose access
 * hints a copy would carry over stale. A failed rewrite leaves a base whose changes since were
 * not all tracked: nothing is reused after one. Engine thread, except where a method says.
 */
final class BaseReuse {
    private static final long UNKNOWN = -1;

    /**
     * Where the keys of each segment lie in one base file: offset, length and CRC-64 per segment
     * and database. Filled by the rewrite thread while it writes the file; read by the engine
     * once the rewrite ended.
     */
    static final class Layout {
        private final boolean checksummed;
        /** Per database: the table size its segments divide, 0 when not divided. */
        private final int[] buckets;
        /** Per database: three longs per segment (offset, length or {@link #UNKNOWN}, CRC). */
        private final long[][] ranges;
        private Path file;
        private long walkOffset;
        private long walkCrc;

        Layout(boolean checksummed, int[] buckets) {
            this.checksummed = checksummed;
            this.buckets = buckets;
            this.ranges = new long[buckets.length][];
            for (int db = 0; db < buckets.length; db++) {
                if (buckets[db] > 0) {
                    ranges[db] = new long[3 * ChangedSegments.segments(buckets[db])];
                    for (int s = 0; s < ranges[db].length; s += 3) {
                        ranges[db][s + 1] = UNKNOWN;
                    }
                }
            }
        }

        int buckets(int database) {
            return buckets[database];
        }

        boolean recorded(int database, int segment) {
            return ranges[database] != null && ranges[database][3 * segment + 1] != UNKNOWN;
        }

        long offset(int database, int segment) {
            return ranges[database][3 * segment];
        }

        long length(int database, int segment) {
            return ranges[database][3 * segment + 1];
        }

        long crc(int database, int segment) {
            return ranges[database][3 * segment + 2];
        }

        Path file() {
            return file;
        }

        /** Rewrite thread: the file now holds the base under this name. */
        void installedAs(Path installed) {
            this.file = installed;
        }

        /** Rewrite thread: the walk of a segment begins at this point of the file. */
        void walkStarted(long position, long crcSoFar) {
            walkOffset = position;
            walkCrc = crcSoFar;
        }

        /** Rewrite thread: the walk of {@code segment} ended here, with nothing else since it began. */
        void walkEnded(int database, int segment, long position, long crcSoFar) {
            long length = position - walkOffset;
            // The CRC is linear: the one of the whole file so far, less the one of what preceded.
            set(database, segment, walkOffset, length, crcSoFar ^ Crc64.combine(walkCrc, 0, length));
        }

        /** Rewrite thread: the segment's bytes were copied to {@code position}. */
        void copied(int database, int segment, long position, long length, long crc) {
            set(database, segment, position, length, crc);
        }

        private void set(int database, int segment, long offset, long length, long crc) {
            long[] r = ranges[database];
            r[3 * segment] = offset;
            r[3 * segment + 1] = length;
            r[3 * segment + 2] = crc;
        }
    }

    /** What one rewrite copies ({@code source}, per database a bit per segment) and records ({@code target}). */
    record Plan(Layout source, long[][] reused, Layout target) {
        boolean reuses(int database, int segment) {
            long[] bits = reused[database];
            return bits != null && (bits[segment >>> 6] & (1L << segment)) != 0;
        }

        boolean reusesAny() {
            return Arrays.stream(reused).anyMatch(bits -> bits != null && Arrays.stream(bits).anyMatch(b -> b != 0));
        }
    }

    private final Engine engine;
    /** The layout of the base in place, or null when it cannot be reused. */
    private Layout last;
    /** The keyspaces whose changes have been tracked since {@link #last} was taken. */
    private Keyspace[] tracked;

    BaseReuse(Engine engine) {
        this.engine = engine;
    }

    /**
     * A rewrite's snapshot started (its tables no longer resize until the walk ends): what it
     * can copy from the base in place, and what it records of its own. Tracking starts again
     * from this moment. Null when the rewrite cannot divide its base.
     */
    Plan begin(boolean rdb) {
        boolean checksum = engine.settings().bool("rdbchecksum");
        String policy = engine.settings().text("maxmemory-policy");
        if (!rdb || policy.contains("lru") || policy.contains("lfu")) {
            forget();
            return null;
        }
        int count = engine.databases().length;
        int[] buckets = new int[count];
        long[][] reused = new long[count][];
        Keyspace[] now = new Keyspace[count];
        for (int db = 0; db < count; db++) {
            Keyspace keyspace = engine.database(db).keyspace();
            now[db] = keyspace;
            // A table too large for its segments to be covered whole is walked whole, as an empty one.
            buckets[db] = keyspace.size() == 0 || keyspace.bucketCount() > Keyspace.COVERABLE_BUCKETS
                    ? 0 : keyspace.bucketCount();
            reused[db] = reusable(db, keyspace, checksum);
            keyspace.trackChanges(new ChangedSegments(keyspace.bucketCount(), engine::onlyReading));
        }
        Plan plan = new Plan(last, reused, new Layout(checksum, buckets));
        tracked = now;
        last = null;
        return plan;
    }

    /** Segments of the base in place that database {@code db} can copy, or null. */
    private long[] reusable(int db, Keyspace keyspace, boolean checksum) {
        ChangedSegments changes = keyspace.changes();
        if (last == null || tracked == null || tracked[db] != keyspace || keyspace.size() == 0
                || changes == null || changes.everything()
                || last.buckets(db) == 0 || last.buckets(db) != keyspace.bucketCount()
                || changes.buckets() != keyspace.bucketCount() || (checksum && !last.checksummed)) {
            return null;
        }
        int segments = ChangedSegments.segments(keyspace.bucketCount());
        long[] bits = new long[(segments + 63) >>> 6];
        for (int s = 0; s < segments; s++) {
            if (last.recorded(db, s) && !changes.changed(s)) {
                bits[s >>> 6] |= 1L << s;
            }
        }
        return bits;
    }

    /** The rewrite that recorded {@code layout} succeeded: its base is in place. */
    void installed(Layout layout) {
        last = layout;
    }

    /** Nothing is reused from now on, and no changes are tracked (a failed rewrite, the AOF off). */
    void forget() {
        last = null;
        if (tracked != null) {
            for (Keyspace keyspace : tracked) {
                keyspace.trackChanges(null);
            }
            tracked = null;
        }
    }
}
