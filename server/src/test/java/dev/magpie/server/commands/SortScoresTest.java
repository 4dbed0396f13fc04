package dev.magpie.server.commands;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** SORT's weights read as C's strtod reads them (each case checked against Redis 7.0.15's SORT ... BY). */
class SortScoresTest {
    private static double parse(String text) {
        return SortScores.parse(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    private static void invalid(String text) {
        assertTrue(Double.isNaN(parse(text)), () -> "'" + text + "' should be refused");
    }

    @Test
    void acceptedForms() {
        assertEquals(0, parse(""));
        assertEquals(1.5, parse(" 1.5"));
        assertEquals(7, parse("\t7"));
        assertEquals(0.5, parse(".5"));
        assertEquals(5, parse("5."));
        assertEquals(16, parse("0x10"));
        assertEquals(0.25, parse("0x1p-2"));
        assertEquals(Double.POSITIVE_INFINITY, parse("inf"));
        assertEquals(Double.POSITIVE_INFINITY, parse("INF"));
        assertEquals(Double.POSITIVE_INFINITY, parse("infinity"));
        assertEquals(Double.NEGATIVE_INFINITY, parse("-inf"));
        assertEquals(-0.0, parse("-0"));
        assertEquals(12, parse("12\0abc"));
        assertEquals(-3e5, parse("-3e5"));
    }

    @Test
    void refusedForms() {
        invalid("1.5 ");
        invalid("nan");
        invalid("abc");
        invalid("  ");
        invalid("+");
        invalid("1e");
        invalid("1e+");
        invalid("0x");
        invalid("1e400");
        invalid("1e-400");
        invalid("1e-310");
    }

    @Test
    void comparisons() {
        assertTrue(SortElement.compareC("a\0z".getBytes(StandardCharsets.ISO_8859_1),
                "a\0b".getBytes(StandardCharsets.ISO_8859_1)) == 0);
        assertTrue(SortElement.compareBinary("a\0z".getBytes(StandardCharsets.ISO_8859_1),
                "a\0b".getBytes(StandardCharsets.ISO_8859_1)) > 0);
        assertTrue(SortElement.compareBinary("ab".getBytes(StandardCharsets.ISO_8859_1),
                "abc".getBytes(StandardCharsets.ISO_8859_1)) < 0);
        assertTrue(SortElement.compareC(new byte[] {(byte) 0xE9}, new byte[] {'z'}) > 0);
    }
}
