package dev.magpie.server.types;

import dev.magpie.server.keyspace.ObjectTable;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The hash value in both encodings, against java.util maps as models. */
class HashValueTest {
    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static boolean set(HashValue hash, String field, String value, long maxEntries, long maxValue) {
        byte[] f = b(field);
        byte[] v = b(value);
        return hash.set(f, 0, f.length, v, 0, v.length, maxEntries, maxValue);
    }

    private static String get(HashValue hash, String field) {
        byte[] f = b(field);
        int at = hash.find(f, 0, f.length);
        if (at < 0) {
            return null;
        }
        HashView view = new HashView();
        hash.load(at, view);
        return new String(view.value(), StandardCharsets.ISO_8859_1);
    }

    /** The hash's pairs in iteration order. */
    private static List<String> pairs(HashValue hash) {
        List<String> out = new ArrayList<>();
        HashView view = new HashView();
        for (int at = hash.first(); at >= 0; at = hash.next(at)) {
            hash.load(at, view);
            out.add(new String(view.field(), StandardCharsets.ISO_8859_1) + "="
                    + new String(view.value(), StandardCharsets.ISO_8859_1));
        }
        return out;
    }

    private static List<String> pairs(Map<String, String> model) {
        List<String> out = new ArrayList<>();
        model.forEach((k, v) -> out.add(k + "=" + v));
        return out;
    }

    @Test
    void listpackKeepsInsertionOrderUpdatesInPlaceAndClosesGaps() {
        // LinkedHashMap has exactly the listpack's order semantics: updates keep the place, deletes close the gap.
        Random random = new Random(7);
        for (int round = 0; round < 200; round++) {
            HashValue hash = new HashValue();
            LinkedHashMap<String, String> model = new LinkedHashMap<>();
            for (int i = 0; i < 60; i++) {
                String field = "f" + random.nextInt(20);
                if (random.nextInt(4) == 0) {
                    byte[] f = b(field);
                    assertEquals(model.remove(field) != null, hash.delete(f, 0, f.length));
                } else {
                    String value = "v".repeat(random.nextInt(3) == 0 ? random.nextInt(200) : random.nextInt(5));
                    assertEquals(!model.containsKey(field), set(hash, field, value, 1000, 1000));
                    model.put(field, value);
                }
                assertTrue(hash.isListpack());
                assertEquals(model.size(), hash.size());
                assertEquals(pairs(model), pairs(hash));
            }
        }
    }

    @Test
    void convertsBeyondTheEntryLimitAndNeverBack() {
        HashValue hash = new HashValue();
        for (int i = 0; i < 128; i++) {
            set(hash, "field" + i, "v" + i, 128, 64);
        }
        assertEquals(Values.ENCODING_LISTPACK, hash.encoding());
        set(hash, "field0", "updated", 128, 64);
        assertEquals(Values.ENCODING_LISTPACK, hash.encoding());
        set(hash, "one-more", "v", 128, 64);
        assertEquals(Values.ENCODING_HASHTABLE, hash.encoding());
        assertEquals(129, hash.size());
        for (int i = 0; i < 120; i++) {
            byte[] f = b("field" + i);
            assertTrue(hash.delete(f, 0, f.length));
        }
        assertEquals(Values.ENCODING_HASHTABLE, hash.encoding());
        assertEquals("updated", get(hash, "one-more") == null ? null : "updated");
        assertEquals("v120", get(hash, "field120"));
    }

    @Test
    void convertsForALongFieldOrValue() {
        HashValue byValue = new HashValue();
        set(byValue, "a", "x".repeat(64), 128, 64);
        assertEquals(Values.ENCODING_LISTPACK, byValue.encoding());
        set(byValue, "b", "x".repeat(65), 128, 64);
        assertEquals(Values.ENCODING_HASHTABLE, byValue.encoding());
        HashValue byField = new HashValue();
        set(byField, "f".repeat(65), "x", 128, 64);
        assertEquals(Values.ENCODING_HASHTABLE, byField.encoding());
        assertEquals("x", get(byField, "f".repeat(65)));
        HashValue zeroEntries = new HashValue();
        set(zeroEntries, "a", "b", 0, 64);
        assertEquals(Values.ENCODING_HASHTABLE, zeroEntries.encoding());
    }

    @Test
    void tableMatchesAMapUnderChurn() {
        Random random = new Random(11);
        HashValue hash = new HashValue();
        hash.convertToTable();
        HashMap<String, String> model = new HashMap<>();
        for (int i = 0; i < 60_000; i++) {
            String field = "field:" + random.nextInt(5000);
            int op = random.nextInt(10);
            if (op < 3) {
                byte[] f = b(field);
                assertEquals(model.remove(field) != null, hash.delete(f, 0, f.length));
            } else {
                // Values of changing lengths leave garbage behind; a few are big enough for pages of their own.
                int length = random.nextInt(50) == 0 ? 20_000 + random.nextInt(5000) : random.nextInt(40);
                String value = Integer.toString(i).repeat(Math.max(1, length / 6));
                assertEquals(!model.containsKey(field), set(hash, field, value, 0, 0));
                model.put(field, value);
            }
        }
        assertEquals(model.size(), hash.size());
        for (Map.Entry<String, String> e : model.entrySet()) {
            assertEquals(e.getValue(), get(hash, e.getKey()));
        }
        assertEquals(model.size(), pairs(hash).size());
        assertTrue(hash.memoryUsage() > 0);
    }

    @Test
    void copyIsIndependent() {
        for (boolean table : new boolean[] {false, true}) {
            HashValue hash = new HashValue();
            set(hash, "a", "1", 128, 64);
            set(hash, "b", "2", 128, 64);
            if (table) {
                hash.convertToTable();
            }
            HashValue copy = hash.copy();
            assertNotSame(hash, copy);
            set(copy, "a", "changed", 128, 64);
            byte[] b = b("b");
            copy.delete(b, 0, 1);
            assertEquals("1", get(hash, "a"));
            assertEquals("2", get(hash, "b"));
            assertEquals("changed", get(copy, "a"));
            assertEquals(1, copy.size());
            assertEquals(hash.encoding(), copy.encoding());
        }
    }

    @Test
    void randomPositionsAreFieldsOfTheHash() {
        for (boolean table : new boolean[] {false, true}) {
            HashValue hash = new HashValue();
            for (int i = 0; i < 10; i++) {
                set(hash, "f" + i, "v" + i, 128, 64);
            }
            if (table) {
                hash.convertToTable();
            }
            Random random = new Random(3);
            HashView view = new HashView();
            java.util.Set<String> seen = new java.util.HashSet<>();
            for (int i = 0; i < 500; i++) {
                hash.load(hash.randomPosition(random), view);
                String field = new String(view.field(), StandardCharsets.ISO_8859_1);
                assertEquals("v" + field.substring(1), new String(view.value(), StandardCharsets.ISO_8859_1));
                seen.add(field);
            }
            assertEquals(10, seen.size(), "every field comes up");
        }
        assertEquals(-1, new HashValue().randomPosition(new Random()));
        assertFalse(new HashValue().first() >= 0);
    }

    // ---- hashes kept in a table's native blocks --------------------------------------------------

    @Test
    void hashesInATableMatchTheModelThroughFreshViews() {
        // Every step asks the table again, as commands do: nothing may live in the view between steps.
        Random random = new Random(19);
        ObjectTable objects = new ObjectTable();
        int keys = 50;
        int[] handles = new int[keys];
        List<LinkedHashMap<String, String>> models = new ArrayList<>();
        for (int k = 0; k < keys; k++) {
            handles[k] = objects.put(new HashValue());
            models.add(new LinkedHashMap<>());
        }
        assertEquals(0, objects.blockCount(), "an empty hash takes no block");
        for (int step = 0; step < 20_000; step++) {
            int k = random.nextInt(keys);
            LinkedHashMap<String, String> model = models.get(k);
            HashValue hash = (HashValue) objects.get(handles[k]);
            int op = random.nextInt(10);
            if (op < 3) {
                String field = "f" + random.nextInt(12);
                byte[] f = b(field);
                assertEquals(model.remove(field) != null, hash.delete(f, 0, f.length));
            } else if (op < 5) {
                // A batch, as HSET runs one: several fields, one store.
                hash.beginWrites();
                try {
                    for (int n = 1 + random.nextInt(4); n > 0; n--) {
                        String field = "f" + random.nextInt(12);
                        String value = "v".repeat(random.nextInt(20));
                        assertEquals(!model.containsKey(field), set(hash, field, value, 64, 64));
                        model.put(field, value);
                    }
                } finally {
                    hash.endWrites();
                }
            } else {
                String field = "f" + random.nextInt(12);
                // Same-length updates are written in place; others move the block.
                String value = random.nextBoolean() && model.containsKey(field)
                        ? "w".repeat(model.get(field).length()) : "v".repeat(random.nextInt(20));
                assertEquals(!model.containsKey(field), set(hash, field, value, 64, 64));
                model.put(field, value);
            }
            HashValue fresh = (HashValue) objects.get(handles[k]);
            assertTrue(fresh.isListpack());
            assertEquals(model.size(), fresh.size());
            assertEquals(pairs(model), pairs(fresh));
        }
        long blocks = models.stream().filter(m -> !m.isEmpty()).count();
        assertEquals(blocks, objects.blockCount(), "one block per non-empty hash");
        for (int k = 0; k < keys; k++) {
            HashValue detached = (HashValue) objects.remove(handles[k]);
            assertEquals(pairs(models.get(k)), pairs(detached), "remove hands back the content");
        }
        assertEquals(0, objects.blockCount());
    }

    @Test
    void convertingInATableReplacesTheBlockWithTheObject() {
        ObjectTable objects = new ObjectTable();
        int handle = objects.put(new HashValue());
        HashValue hash = (HashValue) objects.get(handle);
        hash.beginWrites();
        for (int i = 0; i < 10; i++) {
            set(hash, "field" + i, "value" + i, 8, 64);
        }
        hash.endWrites();
        assertEquals(Values.ENCODING_HASHTABLE, hash.encoding(), "the batch converted past 8 entries");
        assertSame(hash, objects.get(handle), "the converted hash is the table's object now");
        assertEquals(0, objects.blockCount());
        assertEquals("value9", get((HashValue) objects.get(handle), "field9"));

        int small = objects.put(new HashValue());
        set((HashValue) objects.get(small), "a", "1", 8, 64);
        HashValue viewed = (HashValue) objects.get(small);
        set(viewed, "long", "x".repeat(65), 8, 64);
        assertSame(viewed, objects.get(small));
        assertEquals(Values.ENCODING_HASHTABLE, ((HashValue) objects.get(small)).encoding());
        assertEquals("1", get((HashValue) objects.get(small), "a"));
        assertEquals(0, objects.blockCount());
    }

    @Test
    void aHashBuiltOnTheHeapMovesIntoABlockAndCopiesStayIndependent() {
        HashValue built = new HashValue();
        for (int i = 0; i < 10; i++) {
            set(built, "field" + i, "value:" + i, 128, 64);
        }
        List<String> expected = pairs(built);
        ObjectTable objects = new ObjectTable();
        int handle = objects.put(built);
        assertEquals(1, objects.blockCount());
        // The slot, the allocator's header, the block's 8-byte header and the listpack: 10 x (1 + 6) + 10 x (1 + 7).
        assertEquals(12 + 8 + 8 + 150, built.memoryUsage());
        assertEquals(expected, pairs(built), "the stored object now reads the block");
        assertEquals(expected, pairs((HashValue) objects.get(handle)));

        HashValue copy = ((HashValue) objects.get(handle)).copy();
        set(copy, "field0", "changed", 128, 64);
        assertEquals(expected, pairs((HashValue) objects.get(handle)));
        int second = objects.put(copy);
        assertEquals("changed", get((HashValue) objects.get(second), "field0"));
        assertEquals("value:0", get((HashValue) objects.get(handle), "field0"));

        // A value moved between tables (MOVE) keeps its content.
        ObjectTable other = new ObjectTable();
        int moved = other.put(objects.remove(handle));
        assertEquals(expected, pairs((HashValue) other.get(moved)));
        objects.release();
        other.release();
        assertEquals(0, objects.blockCount());
        assertEquals(0, other.blockCount());
    }

    @Test
    void tablePagesHoldManyHandlesAndReuseFreedOnes() {
        ObjectTable objects = new ObjectTable();
        int count = 3 * 4096 + 17;
        for (int i = 0; i < count; i++) {
            HashValue hash = new HashValue();
            set(hash, "id", Integer.toString(i), 128, 64);
            assertEquals(i, objects.put(hash));
        }
        objects.put("a heap object beside the blocks");
        for (int i = 0; i < count; i += 3) {
            objects.remove(i);
        }
        for (int i = 0; i < count; i++) {
            Object value = objects.get(i);
            if (i % 3 == 0) {
                assertEquals(null, value);
            } else {
                assertEquals(Integer.toString(i), get((HashValue) value, "id"));
            }
        }
        assertEquals("a heap object beside the blocks", objects.get(count));
        int reused = objects.put(new HashValue());
        assertEquals(0, reused % 3, "a freed handle is reused");
        assertEquals(0, ((HashValue) objects.get(reused)).size());
        objects.release();
    }
}
