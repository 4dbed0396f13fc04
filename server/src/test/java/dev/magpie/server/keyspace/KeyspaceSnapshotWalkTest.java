package dev.magpie.server.keyspace;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A snapshot walk while the table grows or shrinks under it: every key present at the start is
 * recorded exactly once with the value it had then, keys created later never, and the table
 * keeps resizing (no long chains while a snapshot runs).
 */
class KeyspaceSnapshotWalkTest {
    private final Keyspace keyspace = new Keyspace();
    /** What the snapshot recorded: key to value at recording time. */
    private final Map<String, Long> recorded = new HashMap<>();
    private final SnapshotHook hook = new SnapshotHook() {
        @Override
        public void beforeChange(Keyspace changed, long entry) {
            record(entry);
        }

        @Override
        public void beforeBulkChange() {
            walk(Integer.MAX_VALUE);
        }

        @Override
        public boolean onlyReading() {
            return onlyReading;
        }
    };
    /** What the hook answers: whether the code looking keys up now only reads them. */
    private boolean onlyReading;
    private int walkBucket;

    @AfterEach
    void freeEverything() {
        Keyspace.freeDetached(keyspace.detachAll());
    }

    private void record(long entry) {
        keyspace.markSnapshotted(entry);
        String key = new String(readKey(entry), StandardCharsets.UTF_8);
        Long previous = recorded.put(key, OffHeap.getLong(Entry.valueAddress(entry)));
        assertEquals(null, previous, "recorded twice: " + key);
    }

    private static byte[] readKey(long entry) {
        byte[] key = new byte[Entry.keyLength(entry)];
        OffHeap.copyToArray(Entry.keyAddress(entry), key, 0, key.length);
        return key;
    }

    /** Walks up to {@code buckets} buckets, as the persistence walk does; true while buckets remain. */
    private boolean walk(int buckets) {
        if (keyspace.snapshotCovered()) {
            return false;
        }
        while (buckets-- > 0 && walkBucket < keyspace.bucketCount()) {
            for (long e = keyspace.bucketHead(walkBucket); e != 0; e = Keyspace.nextInBucket(e)) {
                if (keyspace.snapshotPending(e)) {
                    record(e);
                }
            }
            walkBucket++;
        }
        return walkBucket < keyspace.bucketCount() && !keyspace.snapshotCovered();
    }

    private void set(String name, long value) {
        byte[] key = KeyspaceTest.key(name);
        long entry = keyspace.find(key, 0, key.length);
        if (entry == 0) {
            KeyspaceTest.put(keyspace, name, value);
        } else {
            OffHeap.putLong(Entry.valueAddress(entry), value);
        }
    }

    private void delete(String name) {
        long entry = KeyspaceTest.find(keyspace, name);
        if (entry != 0) {
            keyspace.delete(entry);
        }
    }

    @Test
    void growingDuringTheWalkRecordsEveryOriginalKeyOnceWithItsOldValue() {
        int original = 5_000;
        for (int i = 0; i < original; i++) {
            set("old:" + i, i);
        }
        long bucketsAtStart = keyspace.buckets();
        keyspace.beginSnapshot(hook);
        boolean rehashSeen = false;
        int created = 0;
        while (walk(7)) {
            // Writers race the walk: overwrite and delete old keys, create many new ones.
            for (int j = 0; j < 40; j++) {
                set("new:" + created++, -1);
            }
            set("old:" + (created % original), -2);
            delete("old:" + ((created * 7) % original));
            rehashSeen |= keyspace.isRehashing();
        }
        keyspace.endSnapshot();
        assertTrue(rehashSeen, "the table never grew during the walk");
        assertTrue(keyspace.buckets() > bucketsAtStart, "the table did not grow during the walk");
        assertEquals(original, recorded.size());
        for (int i = 0; i < original; i++) {
            assertEquals(Long.valueOf(i), recorded.get("old:" + i), "old:" + i);
        }
        assertFalse(recorded.keySet().stream().anyMatch(k -> k.startsWith("new:")));
    }

    @Test
    void lookupsThatOnlyReadLeaveEntriesToTheWalkAndOthersRecordThemFirst() {
        for (int i = 0; i < 1_000; i++) {
            set("k:" + i, i);
        }
        keyspace.beginSnapshot(hook);
        onlyReading = true;
        for (int i = 0; i < 1_000; i++) {
            assertTrue(KeyspaceTest.find(keyspace, "k:" + i) != 0);
        }
        assertEquals(0, recorded.size(), "a read-only lookup recorded entries");
        onlyReading = false;
        set("k:7", -1);
        assertEquals(Map.of("k:7", 7L), recorded, "a lookup before a change must record the old value");
        // Expiry or deletion during a read still records the entry before it goes.
        onlyReading = true;
        delete("k:8");
        assertEquals(Long.valueOf(8), recorded.get("k:8"));
        onlyReading = false;
        while (walk(5)) {
            set("new:" + recorded.size(), -1);
        }
        keyspace.endSnapshot();
        assertEquals(1_000, recorded.size());
        for (int i = 0; i < 1_000; i++) {
            assertEquals(Long.valueOf(i), recorded.get("k:" + i), "k:" + i);
        }
    }

    @Test
    void shrinkingDuringTheWalkRecordsEveryOriginalKeyOnce() {
        int original = 20_000;
        for (int i = 0; i < original; i++) {
            set("k:" + i, i);
        }
        keyspace.beginSnapshot(hook);
        for (int i = 0; i < original - 100; i++) {
            delete("k:" + i);
        }
        long before = keyspace.buckets();
        keyspace.shrinkIfSparse();
        assertTrue(keyspace.isRehashing(), "no shrink started");
        while (walk(3)) {
            keyspace.rehash(1);
        }
        keyspace.endSnapshot();
        assertTrue(keyspace.buckets() < before, "the table did not shrink");
        assertEquals(original, recorded.size());
        for (int i = 0; i < original; i++) {
            assertEquals(Long.valueOf(i), recorded.get("k:" + i), "k:" + i);
        }
    }
}
