package dev.magpie.server.keyspace;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import static dev.magpie.server.keyspace.KeyspaceTest.find;
import static dev.magpie.server.keyspace.KeyspaceTest.put;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * SCAN's promise: a full iteration (cursor 0 back to 0) returns every key that was present for
 * the whole iteration at least once, however the table grows, shrinks or rehashes between calls.
 */
class KeyspaceScanTest {
    private final Keyspace keyspace = new Keyspace();

    @AfterEach
    void freeEverything() {
        Keyspace.freeDetached(keyspace.detachAll());
    }

    private static String name(long entry) {
        return new String(Entry.keyBytes(entry), StandardCharsets.UTF_8);
    }

    /** One SCAN call: the bucket(s) the cursor names. */
    private long step(long cursor, Map<String, Integer> seen) {
        return keyspace.scan(cursor, entry -> seen.merge(name(entry), 1, Integer::sum));
    }

    @Test
    void emptyKeyspaceEndsAtOnce() {
        assertEquals(0, keyspace.scan(0, entry -> {
            throw new AssertionError("nothing to visit");
        }));
    }

    @Test
    void stableTableReturnsEveryKeyExactlyOnce() {
        for (int i = 0; i < 1000; i++) {
            put(keyspace, "k" + i, i);
        }
        while (keyspace.rehash(100)) {
            // a settled table: no duplicates are allowed then
        }
        Map<String, Integer> seen = new HashMap<>();
        long cursor = 0;
        int calls = 0;
        do {
            cursor = step(cursor, seen);
            calls++;
        } while (cursor != 0);
        assertEquals(1000, seen.size());
        assertTrue(seen.values().stream().allMatch(times -> times == 1), "a stable table visits each key once");
        assertEquals(keyspace.buckets(), calls, "one bucket per call when not rehashing");
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 42, 1234, 99_991})
    void keysPresentThroughoutAreReturnedWhileTheTableGrowsAndShrinks(long seed) {
        Random random = new Random(seed);
        Set<String> stable = new HashSet<>();
        for (int i = 0; i < 300; i++) {
            put(keyspace, "stable:" + i, i);
            stable.add("stable:" + i);
        }
        List<String> transients = new ArrayList<>();
        int next = 0;
        Map<String, Integer> seen = new HashMap<>();
        long cursor = 0;
        int calls = 0;
        boolean sawRehashBetweenCalls = false;
        do {
            cursor = step(cursor, seen);
            calls++;
            // Between calls: bursts of inserts (growth), bursts of deletes (then shrinking), partial rehashes.
            int action = random.nextInt(10);
            if (action < 4) {
                for (int n = random.nextInt(400); n > 0; n--) {
                    String name = "t:" + next++;
                    put(keyspace, name, -1);
                    transients.add(name);
                }
            } else if (action < 7) {
                for (int n = random.nextInt(transients.size() + 1); n > 0; n--) {
                    String name = transients.remove(random.nextInt(transients.size()));
                    keyspace.delete(find(keyspace, name));
                }
                keyspace.shrinkIfSparse();
            } else if (action < 9) {
                keyspace.rehash(1 + random.nextInt(8));
            }
            sawRehashBetweenCalls |= keyspace.isRehashing();
            assertTrue(calls < 1_000_000, "the scan must terminate");
        } while (cursor != 0);
        for (String name : stable) {
            assertTrue(seen.containsKey(name), name + " present throughout was never returned (seed " + seed + ")");
        }
        assertTrue(sawRehashBetweenCalls, "the test must exercise scans across rehashes");
    }

    @Test
    void scanFromTheMiddleOfARehashCoversBothTables() {
        int count = 0;
        while (!(keyspace.isRehashing() && count > 1000)) {
            put(keyspace, "k" + count, count);
            count++;
        }
        Map<String, Integer> seen = new HashMap<>();
        long cursor = 0;
        do {
            cursor = step(cursor, seen);
        } while (cursor != 0);
        assertTrue(keyspace.isRehashing(), "scanning must not move buckets");
        assertEquals(count, seen.size());
    }
}
