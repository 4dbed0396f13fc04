package dev.magpie.server.types;

import dev.magpie.server.keyspace.Entry;

import java.util.Arrays;

/**
 * A sorted set, ordered by (score, member bytes) exactly as Redis orders it. Small sets are one
 * packed byte array in order (Redis's listpack encoding: insertion and removal by scanning);
 * past {@code zset-max-listpack-entries} members, or with a member longer than
 * {@code zset-max-listpack-value}, it becomes a {@link ZSetTable} (the "skiplist" encoding) and
 * never converts back, as in Redis, except for the results the *STORE commands build.
 *
 * <p>Packed entry layout: a length header (one byte below 255, else 255 and a 4-byte length),
 * the member, the score's 8 raw bytes, and one trailing byte with the entry's size (255 when it
 * does not fit) so a cursor can step backwards.
 */
public final class ZSetValue implements CollectionValue {
    private static final int LONG_HEADER = 255;

    private byte[] pack;
    private int packUsed;
    private int packCount;
    private ZSetTable table;

    private ZSetValue(byte[] pack, ZSetTable table) {
        this.pack = pack;
        this.table = table;
    }

    /** An empty set in the encoding Redis 7.0 gives a key created by ZADD with this first member. */
    public static ZSetValue forFirstMember(int memberLength, long maxEntries, long maxValue) {
        if (maxEntries == 0 || memberLength > maxValue) {
            return new ZSetValue(null, new ZSetTable(16));
        }
        return new ZSetValue(new byte[32], null);
    }

    /** An empty set as Redis's zsetTypeCreate picks it from a size hint (ZRANGESTORE's destination). */
    public static ZSetValue forSizeHint(long sizeHint, long maxEntries, long maxValue) {
        if (sizeHint <= maxEntries && maxValue >= 0) {
            return new ZSetValue(new byte[32], null);
        }
        return new ZSetValue(null, new ZSetTable((int) Math.min(sizeHint, 1 << 20)));
    }

    /** An empty set in the skiplist encoding, for building results. */
    public static ZSetValue table(int expected) {
        return new ZSetValue(null, new ZSetTable(expected));
    }

    @Override
    public byte type() {
        return Entry.TYPE_ZSET;
    }

    @Override
    public byte encoding() {
        return table == null ? Values.ENCODING_LISTPACK : Values.ENCODING_SKIPLIST;
    }

    public boolean packed() {
        return table == null;
    }

    @Override
    public long size() {
        return table == null ? packCount : table.size();
    }

    @Override
    public ZSetValue copy() {
        if (table == null) {
            ZSetValue copy = new ZSetValue(Arrays.copyOf(pack, Math.max(packUsed, 8)), null);
            copy.packUsed = packUsed;
            copy.packCount = packCount;
            return copy;
        }
        return new ZSetValue(null, table.copy());
    }

    @Override
    public long memoryUsage() {
        return table == null ? 48 + 16 + pack.length : 48 + table.memoryUsage();
    }

    // ---- the packed form ------------------------------------------------------------------

    private int headerLength(int at) {
        return (pack[at] & 0xFF) == LONG_HEADER ? 5 : 1;
    }

    private int memberLength(int at) {
        int first = pack[at] & 0xFF;
        if (first != LONG_HEADER) {
            return first;
        }
        return ((pack[at + 1] & 0xFF) << 24) | ((pack[at + 2] & 0xFF) << 16) | ((pack[at + 3] & 0xFF) << 8)
                | (pack[at + 4] & 0xFF);
    }

    private int memberStart(int at) {
        return at + headerLength(at);
    }

    private double packScore(int at) {
        return readDouble(pack, memberStart(at) + memberLength(at));
    }

    private int nextEntry(int at) {
        return memberStart(at) + memberLength(at) + 9;
    }

    private static double readDouble(byte[] b, int at) {
        long bits = 0;
        for (int i = 0; i < 8; i++) {
            bits = (bits << 8) | (b[at + i] & 0xFF);
        }
        return Double.longBitsToDouble(bits);
    }

    private static void writeDouble(byte[] b, int at, double value) {
        long bits = Double.doubleToRawLongBits(value);
        for (int i = 7; i >= 0; i--) {
            b[at + i] = (byte) bits;
            bits >>>= 8;
        }
    }

    /** Offset of a member's entry, or -1. */
    private int packFind(byte[] data, int offset, int length) {
        int at = 0;
        while (at < packUsed) {
            int len = memberLength(at);
            int start = memberStart(at);
            if (len == length && Arrays.equals(pack, start, start + len, data, offset, offset + length)) {
                return at;
            }
            at = start + len + 9;
        }
        return -1;
    }

    /** Compares the entry at {@code at} with (score, member): negative when the entry sorts first. */
    private int packCompare(int at, double score, byte[] data, int offset, int length) {
        int start = memberStart(at);
        int len = memberLength(at);
        double s = readDouble(pack, start + len);
        if (s < score) {
            return -1;
        }
        if (s > score) {
            return 1;
        }
        return Arrays.compareUnsigned(pack, start, start + len, data, offset, offset + length);
    }

    private void packInsert(byte[] data, int offset, int length, double score) {
        int at = 0;
        while (at < packUsed && packCompare(at, score, data, offset, length) < 0) {
            at = nextEntry(at);
        }
        int entry = (length < LONG_HEADER ? 1 : 5) + length + 9;
        if (packUsed + entry > pack.length) {
            pack = Arrays.copyOf(pack, Math.max(packUsed + entry, pack.length + (pack.length >> 1)));
        }
        System.arraycopy(pack, at, pack, at + entry, packUsed - at);
        writeEntry(at, data, offset, length, score);
        packUsed += entry;
        packCount++;
    }

    /** Writes one entry at {@code at} (room made by the caller). */
    private void writeEntry(int at, byte[] data, int offset, int length, double score) {
        int p = at;
        if (length < LONG_HEADER) {
            pack[p++] = (byte) length;
        } else {
            pack[p++] = (byte) LONG_HEADER;
            pack[p++] = (byte) (length >>> 24);
            pack[p++] = (byte) (length >>> 16);
            pack[p++] = (byte) (length >>> 8);
            pack[p++] = (byte) length;
        }
        System.arraycopy(data, offset, pack, p, length);
        p += length;
        // Redis's listpack stores scores as text, where -0 becomes "0".
        writeDouble(pack, p, score == 0 ? 0.0 : score);
        p += 8;
        int back = p - at;
        pack[p] = (byte) (back < LONG_HEADER ? back : LONG_HEADER);
    }

    private void packDelete(int from, int to) {
        System.arraycopy(pack, to, pack, from, packUsed - to);
        packUsed -= to - from;
    }

    /** Offset of the entry at a rank (0 <= rank <= count: count gives the end). */
    private int packOffset(long rank) {
        int at = 0;
        for (long i = 0; i < rank; i++) {
            at = nextEntry(at);
        }
        return at;
    }

    /** Converts to the skiplist encoding now (SORT does this to a sorted set before reading it, as Redis). */
    public void convertToSkiplist() {
        if (table == null) {
            toTable();
        }
    }

    private void toTable() {
        ZSetTable converted = new ZSetTable(packCount + 1);
        int at = 0;
        while (at < packUsed) {
            int start = memberStart(at);
            int len = memberLength(at);
            converted.add(Arrays.copyOfRange(pack, start, start + len), readDouble(pack, start + len));
            at = start + len + 9;
        }
        table = converted;
        pack = null;
        packUsed = 0;
        packCount = 0;
    }

    // ---- element operations ---------------------------------------------------------------

    /** The member's score, or NaN when it is absent (scores are never NaN). */
    public double score(byte[] data, int offset, int length) {
        if (table != null) {
            int id = table.find(data, offset, length);
            return id < 0 ? Double.NaN : table.score(id);
        }
        int at = packFind(data, offset, length);
        return at < 0 ? Double.NaN : packScore(at);
    }

    /** Adds an absent member, converting to the skiplist encoding first when Redis would. */
    public void add(byte[] data, int offset, int length, double score, long maxEntries, long maxValue) {
        if (table == null && (packCount + 1L > maxEntries || length > maxValue)) {
            toTable();
        }
        if (table != null) {
            table.add(Arrays.copyOfRange(data, offset, offset + length), score);
        } else {
            packInsert(data, offset, length, score);
        }
    }

    /** Changes a present member's score. */
    public void setScore(byte[] data, int offset, int length, double score) {
        if (table != null) {
            table.updateScore(table.find(data, offset, length), score);
            return;
        }
        int at = packFind(data, offset, length);
        packDelete(at, nextEntry(at));
        packCount--;
        packInsert(data, offset, length, score);
    }

    /** Removes a member; false when it was absent. */
    public boolean remove(byte[] data, int offset, int length) {
        if (table != null) {
            int id = table.find(data, offset, length);
            if (id < 0) {
                return false;
            }
            table.remove(id);
            return true;
        }
        int at = packFind(data, offset, length);
        if (at < 0) {
            return false;
        }
        packDelete(at, nextEntry(at));
        packCount--;
        return true;
    }

    /** The 0-based rank of a member in ascending order, or -1. */
    public long rank(byte[] data, int offset, int length) {
        if (table != null) {
            int id = table.find(data, offset, length);
            return id < 0 ? -1 : table.tree().rank(id);
        }
        int at = 0;
        long rank = 0;
        while (at < packUsed) {
            int len = memberLength(at);
            int start = memberStart(at);
            if (len == length && Arrays.equals(pack, start, start + len, data, offset, offset + length)) {
                return rank;
            }
            at = start + len + 9;
            rank++;
        }
        return -1;
    }

    /** Removes the elements of ranks {@code from..to} (inclusive, within bounds). */
    public void removeRange(long from, long to) {
        if (from > to) {
            return;
        }
        if (table == null) {
            int start = packOffset(from);
            int end = start;
            for (long i = from; i <= to; i++) {
                end = nextEntry(end);
            }
            packDelete(start, end);
            packCount -= (int) (to - from + 1);
            return;
        }
        int[] ids = new int[(int) (to - from + 1)];
        ScoreTree.Cursor cursor = new ScoreTree.Cursor();
        table.tree().seek(from, cursor);
        for (int i = 0; i < ids.length; i++) {
            ids[i] = cursor.id();
            cursor.next();
        }
        for (int id : ids) {
            table.remove(id);
        }
    }

    // ---- searches -------------------------------------------------------------------------

    /** A test on one element. */
    public interface Test {
        boolean test(byte[] member, int offset, int length, double score);
    }

    /**
     * The first rank whose element passes {@code test}, assumed false-then-true over the order
     * (as "score >= min" is), or -1. The packed form scans from the start as Redis's listpack
     * code does; the table searches, as the skiplist does.
     */
    public long firstRank(Test test) {
        if (table == null) {
            int at = 0;
            long rank = 0;
            while (at < packUsed) {
                int start = memberStart(at);
                int len = memberLength(at);
                if (test.test(pack, start, len, readDouble(pack, start + len))) {
                    return rank;
                }
                at = start + len + 9;
                rank++;
            }
            return -1;
        }
        ZSetTable t = table;
        long before = t.tree().countPrefix(id -> !test.test(t.member(id), 0, t.member(id).length, t.score(id)));
        return before < t.size() ? before : -1;
    }

    /** The last rank whose element passes {@code test}, assumed true-then-false (as "score <= max" is), or -1. */
    public long lastRank(Test test) {
        if (table == null) {
            int at = 0;
            long rank = 0;
            long last = -1;
            while (at < packUsed) {
                int start = memberStart(at);
                int len = memberLength(at);
                if (test.test(pack, start, len, readDouble(pack, start + len))) {
                    last = rank;
                }
                at = start + len + 9;
                rank++;
            }
            return last;
        }
        ZSetTable t = table;
        return t.tree().countPrefix(id -> test.test(t.member(id), 0, t.member(id).length, t.score(id))) - 1;
    }

    // ---- iteration ------------------------------------------------------------------------

    /** A new cursor over this set (valid until the set changes). */
    public Cursor cursor() {
        return new Cursor(this);
    }

    /** Walks elements by rank in either direction. */
    public static final class Cursor {
        private final ZSetValue set;
        private final ScoreTree.Cursor treeCursor = new ScoreTree.Cursor();
        private int at;
        private long rank;

        private Cursor(ZSetValue set) {
            this.set = set;
        }

        /** Moves to {@code rank} (0 <= rank < size). */
        public Cursor seek(long rank) {
            this.rank = rank;
            if (set.table != null) {
                set.table.tree().seek(rank, treeCursor);
            } else {
                at = set.packOffset(rank);
            }
            return this;
        }

        public long rank() {
            return rank;
        }

        public boolean next() {
            rank++;
            if (set.table != null) {
                return treeCursor.next();
            }
            at = set.nextEntry(at);
            return at < set.packUsed;
        }

        public boolean prev() {
            if (rank == 0) {
                rank = -1;
                return false;
            }
            rank--;
            if (set.table != null) {
                return treeCursor.prev();
            }
            int back = set.pack[at - 1] & 0xFF;
            at = back == LONG_HEADER ? set.packOffset(rank) : at - 1 - back;
            return true;
        }

        public byte[] memberArray() {
            return set.table != null ? set.table.member(treeCursor.id()) : set.pack;
        }

        public int memberOffset() {
            return set.table != null ? 0 : set.memberStart(at);
        }

        public int memberLength() {
            return set.table != null ? set.table.member(treeCursor.id()).length : set.memberLength(at);
        }

        public byte[] memberCopy() {
            if (set.table != null) {
                return set.table.member(treeCursor.id());
            }
            int start = set.memberStart(at);
            return Arrays.copyOfRange(set.pack, start, start + set.memberLength(at));
        }

        public double score() {
            return set.table != null ? set.table.score(treeCursor.id()) : set.packScore(at);
        }
    }

    // ---- building results -----------------------------------------------------------------

    /**
     * After a *STORE result was built in the skiplist encoding: goes back to the packed form
     * when it is small enough (Redis's zsetConvertToListpackIfNeeded).
     */
    public void compactIfSmall(long maxEntries, long maxValue) {
        if (table == null || table.size() > maxEntries) {
            return;
        }
        ScoreTree.Cursor cursor = new ScoreTree.Cursor();
        int bytes = 0;
        if (table.size() > 0) {
            table.tree().seek(0, cursor);
            do {
                byte[] m = table.member(cursor.id());
                if (m.length > maxValue) {
                    return;
                }
                bytes += m.length + 14;
            } while (cursor.next());
        }
        ZSetTable source = table;
        table = null;
        pack = new byte[Math.max(8, bytes)];
        packUsed = 0;
        packCount = 0;
        if (source.size() > 0) {
            source.tree().seek(0, cursor);
            do {
                byte[] m = source.member(cursor.id());
                appendPacked(m, source.score(cursor.id()));
            } while (cursor.next());
        }
    }

    /** Appends to the packed form an element known to sort after every present one. */
    private void appendPacked(byte[] member, double score) {
        int entry = (member.length < LONG_HEADER ? 1 : 5) + member.length + 9;
        if (packUsed + entry > pack.length) {
            pack = Arrays.copyOf(pack, packUsed + entry);
        }
        writeEntry(packUsed, member, 0, member.length, score);
        packUsed += entry;
        packCount++;
    }

    // ---- ZSCAN ----------------------------------------------------------------------------

    /** Receives scanned elements. */
    public interface Visitor {
        void visit(byte[] member, int offset, int length, double score);
    }

    /**
     * One step of ZSCAN over the skiplist encoding: visits a bucket's elements and returns the
     * next cursor. Packed sets are returned whole by the caller instead, as Redis does.
     */
    public long scanStep(long cursor, Visitor visitor) {
        ZSetTable t = table;
        return t.scan(cursor, id -> visitor.visit(t.member(id), 0, t.member(id).length, t.score(id)));
    }
}
