package dev.magpie.server.types;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The open-addressing table: membership under churn, and SCAN's guarantee across resizes. */
class HashSlotsTest {
    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static void add(HashSlots table, String key) {
        byte[] k = b(key);
        table.add(k, 0, k.length, null, 0, 0);
    }

    private static boolean contains(HashSlots table, String key) {
        byte[] k = b(key);
        return table.find(k, 0, k.length) >= 0;
    }

    private static String keyAt(HashSlots table, int slot) {
        return new String(table.array(slot), table.keyOffset(slot), table.keyLength(slot), StandardCharsets.ISO_8859_1);
    }

    @Test
    void membershipSurvivesGrowthShrinkingAndBackwardShifts() {
        Random random = new Random(5);
        HashSlots table = new HashSlots(false, 0);
        Set<String> model = new HashSet<>();
        for (int i = 0; i < 200_000; i++) {
            String key = Integer.toString(random.nextInt(i < 100_000 ? 20_000 : 2_000));
            if (random.nextBoolean()) {
                if (model.add(key)) {
                    add(table, key);
                }
            } else {
                byte[] k = b(key);
                assertEquals(model.remove(key), table.remove(k, 0, k.length));
            }
        }
        assertEquals(model.size(), table.size());
        for (String key : model) {
            assertTrue(contains(table, key), key);
        }
        Set<String> iterated = new HashSet<>();
        for (int slot = table.next(-1); slot >= 0; slot = table.next(slot)) {
            assertTrue(iterated.add(keyAt(table, slot)));
        }
        assertEquals(model, iterated);
        assertTrue(table.capacity() <= 16 * Math.max(8, table.size()), "the table shrinks as it empties");
    }

    @Test
    void scanReturnsEverythingPresentThroughoutDespiteResizes() {
        Random random = new Random(9);
        for (int round = 0; round < 20; round++) {
            HashSlots table = new HashSlots(false, 0);
            Set<String> stable = new HashSet<>();
            for (int i = 0; i < 3000; i++) {
                String key = "stable" + i;
                add(table, key);
                stable.add(key);
            }
            Set<String> seen = new HashSet<>();
            long cursor = 0;
            int churn = 0;
            do {
                cursor = table.scan(cursor, slot -> seen.add(keyAt(table, slot)));
                // Grow the table between calls (a bounded number of times, or the scan would never end),
                // or shrink it by removing what came and went.
                int limit = round % 2 == 0 ? 30_000 : 40;
                for (int i = 0; i < 50 && churn < limit; i++) {
                    add(table, "temp" + churn++);
                }
                if (round % 2 == 1 && random.nextInt(3) == 0) {
                    for (int i = 0; i < 200 && table.size() > stable.size(); i++) {
                        int slot = table.randomSlot(random);
                        if (!keyAt(table, slot).startsWith("stable")) {
                            table.removeAt(slot);
                        }
                    }
                }
            } while (cursor != 0);
            assertTrue(seen.containsAll(stable), "round " + round + " missed " + (stable.size() - seen.size()));
        }
    }

    @Test
    void valuesReplaceInPlaceOrMoveAndCopiesAreIndependent() {
        HashSlots table = new HashSlots(true, 0);
        byte[] k = b("key");
        byte[] v1 = b("abc");
        byte[] v2 = b("xyz");
        byte[] v3 = b("x".repeat(40_000));
        assertTrue(table.put(k, 0, 3, v1, 0, 3));
        assertFalse(table.put(k, 0, 3, v2, 0, 3));
        HashSlots copy = table.copy();
        assertFalse(table.put(k, 0, 3, v3, 0, v3.length));
        int slot = table.find(k, 0, 3);
        assertEquals(40_000, table.valueLength(slot));
        int copied = copy.find(k, 0, 3);
        assertEquals("xyz", new String(copy.array(copied), copy.valueOffset(copied), copy.valueLength(copied),
                StandardCharsets.ISO_8859_1));
        assertTrue(table.remove(k, 0, 3));
        assertEquals(0, table.size());
        assertEquals(-1, table.randomSlot(new Random()));
        assertEquals(0, table.scan(0, s -> { }));
    }

    private static Map<String, String> contents(HashSlots table) {
        Map<String, String> pairs = new HashMap<>();
        for (int slot = table.next(-1); slot >= 0; slot = table.next(slot)) {
            pairs.put(keyAt(table, slot), new String(table.array(slot), table.valueOffset(slot), table.valueLength(slot),
                    StandardCharsets.ISO_8859_1));
        }
        return pairs;
    }

    /**
     * A frozen copy keeps its contents while the table goes on: values rewritten in place (same
     * length), moved (new length), removals, additions past growth, and compactions. Several
     * copies are taken along the way, each checked after every round of changes.
     */
    @Test
    void frozenCopiesKeepTheirContentsWhileTheTableChanges() {
        Random random = new Random(11);
        HashSlots table = new HashSlots(true, 0);
        Map<String, String> model = new HashMap<>();
        List<HashSlots> frozen = new ArrayList<>();
        List<Map<String, String>> frozenModels = new ArrayList<>();
        for (int round = 0; round < 40; round++) {
            for (int i = 0; i < 2000; i++) {
                String key = "k" + random.nextInt(6000);
                int op = random.nextInt(10);
                if (op < 6) {
                    // Same length as the usual value: rewritten in place when the key exists.
                    String value = (random.nextBoolean() ? "v" : "w") + random.nextInt(10) + "-" + round % 10;
                    byte[] k = b(key);
                    byte[] v = b(op == 5 ? value + "-longer" : value);
                    table.put(k, 0, k.length, v, 0, v.length);
                    model.put(key, new String(v, StandardCharsets.ISO_8859_1));
                } else {
                    byte[] k = b(key);
                    assertEquals(model.remove(key) != null, table.remove(k, 0, k.length));
                }
            }
            if (round % 5 == 0) {
                frozen.add(table.share());
                frozenModels.add(new HashMap<>(model));
            }
            for (int f = 0; f < frozen.size(); f++) {
                assertEquals(frozenModels.get(f), contents(frozen.get(f)), "frozen copy " + f + " after round " + round);
            }
            assertEquals(model, contents(table), "the table after round " + round);
        }
    }

    @Test
    void aMillionSmallFieldsStayCompact() {
        HashSlots table = new HashSlots(true, 0);
        byte[] value = b("value");
        for (int i = 0; i < 1_000_000; i++) {
            byte[] k = b("field:" + i);
            table.add(k, 0, k.length, value, 0, value.length);
        }
        double perElement = table.memoryUsage() / 1_000_000.0;
        // Redis needs about 70 bytes for such a field (dictEntry, two sds strings, a bucket).
        assertTrue(perElement < 50, "bytes per element " + perElement);
    }
}
