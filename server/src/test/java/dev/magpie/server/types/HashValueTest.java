package dev.magpie.server.types;

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
}
