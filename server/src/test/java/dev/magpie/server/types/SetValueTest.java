package dev.magpie.server.types;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The set value: intset rules (Redis's string2ll, sorted order, widths) and the conversion to a table. */
class SetValueTest {
    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static boolean add(SetValue set, String member, long max) {
        byte[] m = b(member);
        return set.add(m, 0, m.length, max);
    }

    private static boolean remove(SetValue set, String member) {
        byte[] m = b(member);
        return set.remove(m, 0, m.length);
    }

    private static List<String> members(SetValue set) {
        List<String> out = new ArrayList<>();
        SetMember member = new SetMember();
        for (int at = set.first(); at >= 0; at = set.next(at)) {
            set.load(at, member);
            out.add(new String(member.copy(), StandardCharsets.ISO_8859_1));
        }
        return out;
    }

    @Test
    void intsetHoldsIntegersSortedInEveryWidth() {
        SetValue set = SetValue.emptyIntset();
        Random random = new Random(1);
        TreeSet<Long> model = new TreeSet<>();
        long[] edges = {0, 1, -1, Short.MAX_VALUE, Short.MIN_VALUE, Short.MAX_VALUE + 1L, Integer.MAX_VALUE,
            Integer.MIN_VALUE, Integer.MAX_VALUE + 1L, Long.MAX_VALUE, Long.MIN_VALUE};
        for (long edge : edges) {
            assertTrue(add(set, Long.toString(edge), 512));
            model.add(edge);
        }
        for (int i = 0; i < 300; i++) {
            long value = random.nextInt(3) == 0 ? random.nextLong() : random.nextInt(1000) - 500;
            assertEquals(model.add(value), add(set, Long.toString(value), 512));
            if (random.nextInt(4) == 0) {
                long gone = random.nextInt(1000) - 500;
                assertEquals(model.remove(gone), remove(set, Long.toString(gone)));
            }
        }
        assertTrue(set.isIntset());
        List<String> expected = new ArrayList<>();
        model.forEach(v -> expected.add(Long.toString(v)));
        assertEquals(expected, members(set));
        assertTrue(set.contains(b("-9223372036854775808"), 0, 20));
        assertFalse(set.contains(b("9223372036854775808"), 0, 19));
    }

    @Test
    void onlyRedisIntegersStayInAnIntset() {
        for (String notInteger : new String[] {"007", "-0", "+1", " 1", "1 ", "1.0", "", "9223372036854775808", "abc",
            "-9223372036854775809", "0x10"}) {
            SetValue set = SetValue.emptyIntset();
            add(set, "5", 512);
            assertTrue(add(set, notInteger, 512));
            assertFalse(set.isIntset(), notInteger);
            assertEquals(Set.of("5", notInteger), new HashSet<>(members(set)));
            assertFalse(SetValue.forFirstMember(b(notInteger), 0, notInteger.length()).isIntset(), notInteger);
        }
        assertTrue(SetValue.forFirstMember(b("-12"), 0, 3).isIntset());
    }

    @Test
    void convertsPastTheIntsetLimitAndNeverBack() {
        SetValue set = SetValue.emptyIntset();
        for (int i = 0; i < 512; i++) {
            add(set, Integer.toString(i * 7), 512);
        }
        assertEquals(Values.ENCODING_INTSET, set.encoding());
        assertFalse(add(set, "0", 512));
        assertEquals(Values.ENCODING_INTSET, set.encoding());
        add(set, "100000", 512);
        assertEquals(Values.ENCODING_HASHTABLE, set.encoding());
        for (int i = 0; i < 510; i++) {
            assertTrue(remove(set, Integer.toString(i * 7)));
        }
        assertEquals(Values.ENCODING_HASHTABLE, set.encoding());
        assertEquals(Set.of("3570", "3577", "100000"), new HashSet<>(members(set)));
        SetValue zero = SetValue.emptyIntset();
        add(zero, "1", 0);
        assertEquals(Values.ENCODING_HASHTABLE, zero.encoding());
    }

    @Test
    void membersLoadedFromOneSetWorkOnAnother() {
        SetValue ints = SetValue.emptyIntset();
        SetValue table = SetValue.forFirstMember(b("x"), 0, 1);
        for (String m : new String[] {"1", "2", "-3"}) {
            add(ints, m, 512);
            add(table, m, 512);
        }
        SetMember member = new SetMember();
        for (int at = ints.first(); at >= 0; at = ints.next(at)) {
            ints.load(at, member);
            assertTrue(member.isInteger);
            assertTrue(table.contains(member));
        }
        for (int at = table.first(); at >= 0; at = table.next(at)) {
            table.load(at, member);
            assertFalse(member.isInteger);
            assertTrue(ints.contains(member));
            assertTrue(ints.remove(member));
        }
        assertEquals(0, ints.size());
        SetValue copy = table.copy();
        assertTrue(remove(copy, "1"));
        assertEquals(3, table.size());
        assertEquals(2, copy.size());
    }

    @Test
    void tableMatchesASetUnderChurn() {
        Random random = new Random(2);
        SetValue set = SetValue.forFirstMember(b("m"), 0, 1);
        Set<String> model = new HashSet<>();
        for (int i = 0; i < 50_000; i++) {
            String member = "m" + random.nextInt(3000);
            if (random.nextInt(3) == 0) {
                assertEquals(model.remove(member), remove(set, member));
            } else {
                assertEquals(model.add(member), add(set, member, 512));
            }
        }
        assertEquals(model, new HashSet<>(members(set)));
        for (int i = 0; i < 1000 && set.size() > 0; i++) {
            int at = set.randomPosition(random);
            SetMember member = new SetMember();
            set.load(at, member);
            assertTrue(model.remove(new String(member.copy(), StandardCharsets.ISO_8859_1)));
            set.removeAt(at);
        }
        assertEquals(model, new HashSet<>(members(set)));
    }
}
