package dev.magpie.server.types;

import java.util.Arrays;

/**
 * The "skiplist" encoding of a sorted set: elements are int ids into parallel arrays (member
 * bytes, score), found by member through a chained hash index held in two int arrays, and
 * ordered by a {@link ScoreTree}. No object per element beyond the member's byte array.
 * The index scans with Redis's reverse-binary cursor, so ZSCAN keeps SCAN's guarantees.
 */
final class ZSetTable implements ScoreTree.Order {
    private static final int MIN_BUCKETS = 16;

    private byte[][] members;
    private double[] scores;
    /** Next id in the same bucket (-1 ends); for a free id, the next free id. */
    private int[] chain;
    private int[] buckets;
    private int freeHead = -1;
    private int highWater;
    private int size;
    private final ScoreTree tree = new ScoreTree(this);

    ZSetTable(int expected) {
        int capacity = Math.max(8, expected);
        members = new byte[capacity][];
        scores = new double[capacity];
        chain = new int[capacity];
        buckets = new int[bucketsFor(expected)];
        Arrays.fill(buckets, -1);
    }

    private static int bucketsFor(int elements) {
        int n = MIN_BUCKETS;
        while (n < elements) {
            n <<= 1;
        }
        return n;
    }

    int size() {
        return size;
    }

    @Override
    public int compare(int a, int b) {
        double x = scores[a];
        double y = scores[b];
        if (x < y) {
            return -1;
        }
        if (x > y) {
            return 1;
        }
        return Arrays.compareUnsigned(members[a], members[b]);
    }

    byte[] member(int id) {
        return members[id];
    }

    double score(int id) {
        return scores[id];
    }

    ScoreTree tree() {
        return tree;
    }

    static int hash(byte[] data, int offset, int length) {
        int h = 0x9747b28c;
        for (int i = 0; i < length; i++) {
            h = 31 * h + data[offset + i];
        }
        h ^= h >>> 16;
        h *= 0x85ebca6b;
        h ^= h >>> 13;
        h *= 0xc2b2ae35;
        h ^= h >>> 16;
        return h;
    }

    /** The id of a member, or -1. */
    int find(byte[] data, int offset, int length) {
        int id = buckets[hash(data, offset, length) & (buckets.length - 1)];
        while (id >= 0) {
            byte[] m = members[id];
            if (m.length == length && Arrays.equals(m, 0, length, data, offset, offset + length)) {
                return id;
            }
            id = chain[id];
        }
        return -1;
    }

    /** Adds a member known to be absent; the array is kept, not copied. */
    int add(byte[] member, double score) {
        if (size >= buckets.length) {
            rehash(buckets.length << 1);
        }
        int id;
        if (freeHead >= 0) {
            id = freeHead;
            freeHead = chain[id];
        } else {
            if (highWater == members.length) {
                int capacity = members.length + (members.length >> 1) + 1;
                members = Arrays.copyOf(members, capacity);
                scores = Arrays.copyOf(scores, capacity);
                chain = Arrays.copyOf(chain, capacity);
            }
            id = highWater++;
        }
        members[id] = member;
        scores[id] = score;
        int bucket = hash(member, 0, member.length) & (buckets.length - 1);
        chain[id] = buckets[bucket];
        buckets[bucket] = id;
        size++;
        tree.insert(id);
        return id;
    }

    /** Removes the element with this id. */
    void remove(int id) {
        tree.remove(id);
        byte[] member = members[id];
        int bucket = hash(member, 0, member.length) & (buckets.length - 1);
        int at = buckets[bucket];
        if (at == id) {
            buckets[bucket] = chain[id];
        } else {
            while (chain[at] != id) {
                at = chain[at];
            }
            chain[at] = chain[id];
        }
        members[id] = null;
        chain[id] = freeHead;
        freeHead = id;
        size--;
        if (buckets.length > MIN_BUCKETS && (long) size * 10 < buckets.length) {
            rehash(bucketsFor(size));
        }
    }

    /** Changes an element's score, moving it in the order. */
    void updateScore(int id, double score) {
        tree.remove(id);
        scores[id] = score;
        tree.insert(id);
    }

    private void rehash(int bucketCount) {
        int[] fresh = new int[bucketCount];
        Arrays.fill(fresh, -1);
        for (int old : buckets) {
            int id = old;
            while (id >= 0) {
                int next = chain[id];
                byte[] m = members[id];
                int bucket = hash(m, 0, m.length) & (bucketCount - 1);
                chain[id] = fresh[bucket];
                fresh[bucket] = id;
                id = next;
            }
        }
        buckets = fresh;
    }

    /** Visits one bucket's ids and returns the next cursor (Redis's dictScan over one table). */
    long scan(long cursor, java.util.function.IntConsumer visitor) {
        long mask = buckets.length - 1;
        int id = buckets[(int) (cursor & mask)];
        while (id >= 0) {
            visitor.accept(id);
            id = chain[id];
        }
        cursor |= ~mask;
        cursor = Long.reverse(cursor);
        cursor++;
        return Long.reverse(cursor);
    }

    ZSetTable copy() {
        ZSetTable copy = new ZSetTable(size);
        ScoreTree.Cursor cursor = new ScoreTree.Cursor();
        if (size > 0) {
            tree.seek(0, cursor);
            do {
                int id = cursor.id();
                copy.add(members[id], scores[id]);
            } while (cursor.next());
        }
        return copy;
    }

    long memoryUsage() {
        long bytes = 64 + 16L * 4 + (long) members.length * (4 + 8 + 4) + 4L * buckets.length;
        for (int i = 0; i < highWater; i++) {
            byte[] m = members[i];
            if (m != null) {
                bytes += (16 + m.length + 7) & ~7L;
            }
        }
        return bytes + tree.memoryUsage();
    }
}
