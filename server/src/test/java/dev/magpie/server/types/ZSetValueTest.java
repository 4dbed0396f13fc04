package dev.magpie.server.types;

import dev.magpie.server.commands.ScoreFormat;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The sorted set value in both encodings against a simple model, plus its conversions and score texts. */
class ZSetValueTest {
    private record Element(double score, String member) implements Comparable<Element> {
        @Override
        public int compareTo(Element o) {
            if (score < o.score) {
                return -1;
            }
            if (score > o.score) {
                return 1;
            }
            return java.util.Arrays.compareUnsigned(member.getBytes(StandardCharsets.ISO_8859_1),
                    o.member.getBytes(StandardCharsets.ISO_8859_1));
        }
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    @Test
    void randomOperationsMatchAModelInBothEncodings() {
        for (long maxEntries : new long[] {128, 0, 1_000_000}) {
            Random random = new Random(maxEntries);
            ZSetValue set = ZSetValue.forFirstMember(2, maxEntries, 64);
            TreeSet<Element> model = new TreeSet<>();
            Map<String, Double> scores = new HashMap<>();
            for (int step = 0; step < 20_000; step++) {
                String member = "m" + random.nextInt(random.nextBoolean() ? 50 : 3000);
                double score = random.nextInt(4) == 0 ? random.nextInt(10) : random.nextGaussian() * 100;
                Double current = scores.get(member);
                int op = random.nextInt(10);
                if (op < 6) {
                    if (current == null) {
                        set.add(b(member), 0, member.length(), score, maxEntries, 64);
                    } else {
                        set.setScore(b(member), 0, member.length(), score);
                        model.remove(new Element(current, member));
                    }
                    model.add(new Element(score, member));
                    scores.put(member, score);
                } else if (op < 9) {
                    assertEquals(current != null, set.remove(b(member), 0, member.length()));
                    if (current != null) {
                        model.remove(new Element(current, member));
                        scores.remove(member);
                    }
                } else if (!model.isEmpty()) {
                    long from = random.nextInt(model.size());
                    long to = Math.min(model.size() - 1, from + random.nextInt(5));
                    set.removeRange(from, to);
                    List<Element> all = new ArrayList<>(model);
                    for (long i = from; i <= to; i++) {
                        Element gone = all.get((int) i);
                        model.remove(gone);
                        scores.remove(gone.member);
                    }
                }
                assertEquals(model.size(), set.size());
                if (step % 997 == 0) {
                    assertSameOrder(model, set);
                }
            }
            assertSameOrder(model, set);
            if (maxEntries == 0) {
                assertEquals(Values.ENCODING_SKIPLIST, set.encoding());
            }
        }
    }

    private static void assertSameOrder(TreeSet<Element> model, ZSetValue set) {
        if (model.isEmpty()) {
            return;
        }
        ZSetValue.Cursor cursor = set.cursor().seek(0);
        long rank = 0;
        for (Element e : model) {
            assertEquals(e.member, new String(cursor.memberCopy(), StandardCharsets.ISO_8859_1));
            assertEquals(e.score, cursor.score());
            assertEquals(rank, set.rank(b(e.member), 0, e.member.length()));
            rank++;
            if (rank < model.size()) {
                assertTrue(cursor.next());
            }
        }
        assertFalse(cursor.next());
        ZSetValue.Cursor back = set.cursor().seek(model.size() - 1);
        for (Element e : model.descendingSet()) {
            assertEquals(e.member, new String(back.memberCopy(), StandardCharsets.ISO_8859_1));
            back.prev();
        }
    }

    @Test
    void convertsToSkiplistPastEitherThresholdAndNeverBack() {
        ZSetValue set = ZSetValue.forFirstMember(1, 3, 8);
        assertEquals(Values.ENCODING_LISTPACK, set.encoding());
        for (String m : new String[] {"a", "b", "c"}) {
            set.add(b(m), 0, 1, 1, 3, 8);
        }
        assertEquals(Values.ENCODING_LISTPACK, set.encoding());
        set.add(b("d"), 0, 1, 1, 3, 8);
        assertEquals(Values.ENCODING_SKIPLIST, set.encoding());
        set.remove(b("d"), 0, 1);
        set.remove(b("c"), 0, 1);
        assertEquals(Values.ENCODING_SKIPLIST, set.encoding());

        ZSetValue longMember = ZSetValue.forFirstMember(1, 128, 8);
        longMember.add(b("short"), 0, 5, 1, 128, 8);
        longMember.add(b("much-too-long"), 0, 13, 1, 128, 8);
        assertEquals(Values.ENCODING_SKIPLIST, longMember.encoding());
        assertEquals(Values.ENCODING_SKIPLIST, ZSetValue.forFirstMember(9, 128, 8).encoding());
        assertEquals(Values.ENCODING_SKIPLIST, ZSetValue.forFirstMember(1, 0, 8).encoding());

        ZSetValue result = ZSetValue.table(2);
        result.add(b("x"), 0, 1, 2, Long.MAX_VALUE, Long.MAX_VALUE);
        result.add(b("y"), 0, 1, -0.0, Long.MAX_VALUE, Long.MAX_VALUE);
        result.compactIfSmall(128, 64);
        assertEquals(Values.ENCODING_LISTPACK, result.encoding());
        assertEquals(0.0, result.score(b("y"), 0, 1));
        assertEquals(Double.doubleToRawLongBits(0.0), Double.doubleToRawLongBits(result.score(b("y"), 0, 1)),
                "the listpack stores -0 as 0, as Redis's text form does");
    }

    @Test
    void ordersByScoreThenUnsignedBytesWithNegativeZeroEqualToZero() {
        ZSetValue set = ZSetValue.table(4);
        set.add(new byte[] {(byte) 0xff}, 0, 1, 0, Long.MAX_VALUE, Long.MAX_VALUE);
        set.add(b("a"), 0, 1, -0.0, Long.MAX_VALUE, Long.MAX_VALUE);
        set.add(b("ab"), 0, 2, 0, Long.MAX_VALUE, Long.MAX_VALUE);
        set.add(b("z"), 0, 1, Double.NEGATIVE_INFINITY, Long.MAX_VALUE, Long.MAX_VALUE);
        ZSetValue.Cursor c = set.cursor().seek(0);
        assertArrayEquals(b("z"), c.memberCopy());
        c.next();
        assertArrayEquals(b("a"), c.memberCopy());
        c.next();
        assertArrayEquals(b("ab"), c.memberCopy());
        c.next();
        assertArrayEquals(new byte[] {(byte) 0xff}, c.memberCopy());
    }

    @Test
    void scoresPrintAsRedisPrintfDoes() {
        assertEquals("1.1000000000000001", ScoreFormat.format(1.1));
        assertEquals("0.10000000000000001", ScoreFormat.format(0.1));
        assertEquals("1.0000000000000001e-05", ScoreFormat.format(1e-5));
        assertEquals("1.2345678901234568e+17", ScoreFormat.format(123456789012345678.0));
        assertEquals("1e+308", ScoreFormat.format(1e308));
        assertEquals("9.9999999999999694e-311", ScoreFormat.format(1e-310));
        assertEquals("-0", ScoreFormat.format(-0.0));
        assertEquals("inf", ScoreFormat.format(Double.POSITIVE_INFINITY));
        assertEquals("-inf", ScoreFormat.format(Double.NEGATIVE_INFINITY));
        assertEquals("2.5", ScoreFormat.format(2.5));
        assertEquals("100000000000000000", ScoreFormat.listpackText(1e17));
        assertEquals("1e+17", ScoreFormat.format(1e17));
        assertEquals("4.6116860184273889e+18", ScoreFormat.listpackText(4611686018427388928.0));
        assertEquals("13.36138933897018433", ScoreFormat.human(13.361389338970184));
    }

    @Test
    void scoresParseAsStrtodDoes() {
        ScoreFormat.Parsed p = new ScoreFormat.Parsed();
        assertEquals(16, ScoreFormat.parseStrict(b("0x10"), 0, 4, p));
        assertEquals(0.5, ScoreFormat.parseStrict(b(".5"), 0, 2, p));
        assertEquals(5, ScoreFormat.parseStrict(b("5."), 0, 2, p));
        assertEquals(Double.NEGATIVE_INFINITY, ScoreFormat.parseStrict(b("-Infinity"), 0, 9, p));
        assertTrue(Double.isNaN(ScoreFormat.parseStrict(b(" 1"), 0, 2, p)));
        assertTrue(Double.isNaN(ScoreFormat.parseStrict(b("1 "), 0, 2, p)));
        assertTrue(Double.isNaN(ScoreFormat.parseStrict(b("1e400"), 0, 5, p)));
        assertTrue(Double.isNaN(ScoreFormat.parseStrict(b("1e-400"), 0, 6, p)));
        assertTrue(Double.isNaN(ScoreFormat.parseStrict(b("nan"), 0, 3, p)));
        assertTrue(Double.isNaN(ScoreFormat.parseStrict(b(""), 0, 0, p)));
        assertEquals(1e-310, ScoreFormat.parseStrict(b("1e-310"), 0, 6, p));
    }
}
