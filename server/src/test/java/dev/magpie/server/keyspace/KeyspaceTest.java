package dev.magpie.server.keyspace;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The index itself: incremental growth and shrinking, deletes mid-rehash, the expiry set, random picks. */
class KeyspaceTest {
    private final Keyspace keyspace = new Keyspace();

    @AfterEach
    void freeEverything() {
        Keyspace.freeDetached(keyspace.detachAll());
    }

    static byte[] key(String name) {
        return name.getBytes(StandardCharsets.UTF_8);
    }

    /** Adds a string entry whose 8-byte value is {@code value}. */
    static long put(Keyspace keyspace, String name, long value) {
        byte[] key = key(name);
        long entry = keyspace.add(key, 0, key.length, 8);
        Entry.type(entry, Entry.TYPE_STRING, Entry.ENCODING_INT);
        OffHeap.putLong(Entry.valueAddress(entry), value);
        return entry;
    }

    static long find(Keyspace keyspace, String name) {
        byte[] key = key(name);
        return keyspace.find(key, 0, key.length);
    }

    @Test
    void warmingAKeyReadsItsBucketWithoutChangingAnything() {
        for (int i = 0; i < 1000; i++) {
            put(keyspace, "k" + i, i);
        }
        boolean rehashing = keyspace.isRehashing();
        long buckets = keyspace.buckets();
        byte[] present = key("k7");
        assertNotEquals(0, keyspace.warm(present, 0, present.length));
        for (int i = 0; i < 1000; i++) {
            byte[] absent = key("absent" + i);
            keyspace.warm(absent, 0, absent.length);
        }
        assertEquals(1000, keyspace.size());
        assertEquals(rehashing, keyspace.isRehashing());
        assertEquals(buckets, keyspace.buckets());
        assertEquals(7, OffHeap.getLong(Entry.valueAddress(find(keyspace, "k7"))));
        Keyspace empty = new Keyspace();
        assertEquals(0, empty.warm(present, 0, present.length));
    }

    @Test
    void growsThroughManyIncrementalRehashesAndFindsEveryKeyOnTheWay() {
        Random random = new Random(1);
        int rehashingSeen = 0;
        int count = 100_000;
        for (int i = 0; i < count; i++) {
            put(keyspace, "key:" + i, i);
            if (keyspace.isRehashing()) {
                rehashingSeen++;
            }
            // Lookups while the two tables coexist must find keys in either of them.
            int probe = random.nextInt(i + 1);
            long found = find(keyspace, "key:" + probe);
            assertNotEquals(0, found, "key:" + probe + " lost after " + (i + 1) + " inserts");
            assertEquals(probe, Entry.intValue(found));
            assertEquals(0, find(keyspace, "absent:" + i));
        }
        assertTrue(rehashingSeen > 1000, "inserts should have run during incremental rehashes: " + rehashingSeen);
        assertEquals(count, keyspace.size());
        for (int i = 0; i < count; i++) {
            assertEquals(i, Entry.intValue(find(keyspace, "key:" + i)));
        }
        while (keyspace.rehash(100)) {
            // finish
        }
        assertEquals(131_072, keyspace.buckets(), "a power of two at least the size, as Redis's dict");
    }

    @Test
    void deletesWhileRehashingKeepTheRestReachable() {
        int count = 0;
        // Grow until a rehash has just started, with plenty of entries still in the old table.
        while (!(keyspace.isRehashing() && count > 5000)) {
            put(keyspace, "k" + count, count);
            count++;
        }
        Set<Integer> deleted = new HashSet<>();
        for (int i = 0; i < count; i += 2) {
            keyspace.delete(find(keyspace, "k" + i));
            deleted.add(i);
            int probe = (i * 7919) % count;
            assertEquals(!deleted.contains(probe), find(keyspace, "k" + probe) != 0, "k" + probe);
        }
        assertEquals(count - deleted.size(), keyspace.size());
        for (int i = 0; i < count; i++) {
            assertEquals(!deleted.contains(i), find(keyspace, "k" + i) != 0, "k" + i);
        }
    }

    @Test
    void shrinksWhenSparseAndKeepsEveryRemainingKey() {
        for (int i = 0; i < 10_000; i++) {
            put(keyspace, "k" + i, i);
        }
        while (keyspace.rehash(100)) {
            // finish growing
        }
        assertEquals(16_384, keyspace.buckets());
        for (int i = 100; i < 10_000; i++) {
            keyspace.delete(find(keyspace, "k" + i));
        }
        keyspace.shrinkIfSparse();
        assertTrue(keyspace.isRehashing(), "under 10% full must start a shrink");
        int steps = 0;
        while (keyspace.rehash(1)) {
            steps++;
            assertNotEquals(0, find(keyspace, "k" + (steps % 100)));
        }
        assertEquals(128, keyspace.buckets());
        for (int i = 0; i < 100; i++) {
            assertEquals(i, Entry.intValue(find(keyspace, "k" + i)));
        }
        keyspace.shrinkIfSparse();
        assertFalse(keyspace.isRehashing(), "78% full is not sparse");
    }

    @Test
    void expireSetFollowsAddRemoveReallocationAndDelete() {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            names.add("k" + i);
            put(keyspace, "k" + i, i);
        }
        assertEquals(0, keyspace.expiringCount());
        assertEquals(0, keyspace.randomExpiring());

        long entry = find(keyspace, "k7");
        long moved = keyspace.expireAt(entry, 1234);
        assertNotEquals(entry, moved, "gaining an expire time reallocates the entry");
        assertEquals(moved, find(keyspace, "k7"), "the index points at the new address");
        assertEquals(7, Entry.intValue(moved), "value kept");
        assertEquals(1234, Entry.expireAt(moved));
        assertEquals(1, keyspace.expiringCount());
        assertEquals(moved, keyspace.randomExpiring());
        assertEquals(moved, keyspace.expireAt(moved, 5678), "changing the time keeps the address");
        assertEquals(5678, Entry.expireAt(moved));
        assertEquals(1, keyspace.expiringCount());

        long cleared = keyspace.expireAt(moved, -1);
        assertEquals(-1, Entry.expireAt(cleared));
        assertFalse(Entry.hasExpire(cleared));
        assertEquals(0, keyspace.expiringCount());
        assertEquals(7, Entry.intValue(cleared));

        // Random churn, then the set must hold exactly the entries that carry a time, at their current addresses.
        Random random = new Random(7);
        for (int round = 0; round < 5000; round++) {
            String name = names.get(random.nextInt(names.size()));
            long e = find(keyspace, name);
            switch (random.nextInt(4)) {
                case 0 -> keyspace.expireAt(e, 1000 + round);
                case 1 -> keyspace.expireAt(e, -1);
                case 2 -> keyspace.resizeValueKeeping(e, 8 + random.nextInt(3) * 8);
                default -> {
                    keyspace.delete(e);
                    put(keyspace, name, round);
                }
            }
        }
        Set<Long> withExpire = new HashSet<>();
        keyspace.forEach(e -> {
            if (Entry.hasExpire(e)) {
                withExpire.add(e);
            }
        });
        assertEquals(withExpire.size(), keyspace.expiringCount());
        Set<Long> sampled = new HashSet<>();
        for (int i = 0; i < 100 * Math.max(1, withExpire.size()); i++) {
            long e = keyspace.randomExpiring();
            assertTrue(withExpire.contains(e), "the expiry set holds a stale address");
            sampled.add(e);
        }
        assertEquals(withExpire, sampled);
    }

    @Test
    void randomEntryReachesEveryKeyIncludingMidRehash() {
        for (int i = 0; i < 200; i++) {
            put(keyspace, "k" + i, i);
        }
        while (keyspace.rehash(100)) {
            // settle, so the next growth starts a fresh rehash with nearly every bucket still to move
        }
        assertEveryKeyPicked(200);
        int count = 200;
        while (!keyspace.isRehashing()) {
            put(keyspace, "k" + count, count);
            count++;
        }
        keyspace.rehash(3);
        assertTrue(keyspace.isRehashing());
        assertEveryKeyPicked(count);
        assertTrue(keyspace.isRehashing(), "random picks must not move buckets");
    }

    private void assertEveryKeyPicked(int count) {
        Set<Long> seen = new HashSet<>();
        for (int i = 0; i < count * 200 && seen.size() < count; i++) {
            long entry = keyspace.randomEntry();
            assertNotEquals(0, entry);
            seen.add(Entry.intValue(entry));
        }
        assertEquals(count, seen.size());
    }

    @Test
    void randomEntryOfAnEmptyKeyspaceIsZero() {
        assertEquals(0, keyspace.randomEntry());
        put(keyspace, "only", 1);
        keyspace.delete(find(keyspace, "only"));
        assertEquals(0, keyspace.randomEntry());
    }

    @Test
    void copyOfKeepsEverythingButTheKey() {
        long source = keyspace.expireAt(put(keyspace, "from", 42), 99_999);
        Entry.lru(source, 321);
        Entry.lfu(source, 17);
        byte[] name = key("to");
        long copy = Keyspace.copyOf(source, name, 0, name.length);
        keyspace.addEntry(copy);
        assertEquals(copy, find(keyspace, "to"));
        assertEquals(Entry.TYPE_STRING, Entry.type(copy));
        assertEquals(Entry.ENCODING_INT, Entry.encoding(copy));
        assertEquals(42, Entry.intValue(copy));
        assertEquals(99_999, Entry.expireAt(copy));
        assertEquals(321, Entry.lru(copy));
        assertEquals(17, Entry.lfu(copy));
        assertEquals(2, keyspace.expiringCount(), "the copy joins the expiry set");
        keyspace.delete(source);
        assertEquals(1, keyspace.expiringCount());
        assertEquals(copy, keyspace.randomExpiring());
    }
}
