package dev.magpie.server.util;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The glob matcher against Redis 7.0.15's answers: every case below was run through KEYS on a
 * real redis-server (one key, one pattern) and the expected value is what it returned. Strings
 * are one char per byte, so bytes above 0x7f exercise C's signed-char ranges.
 */
class GlobPatternTest {
    private static final Object[][] REDIS_ANSWERS = {
            {"hello", "hello", true},
            {"h?llo", "hello", true},
            {"h*llo", "heeeello", true},
            {"h[ae]llo", "hallo", true},
            {"h[^e]llo", "hello", false},
            {"h[^e]llo", "hallo", true},
            {"h[a-b]llo", "hbllo", true},
            {"h[b-a]llo", "hallo", true},
            {"h\\*llo", "h*llo", true},
            {"h\\*llo", "hello", false},
            {"\\", "\\", true},
            {"a\\", "a\\", true},
            {"[a-]", "a", true},
            {"[a-]", "]", true},
            {"[a-]", "^", true},
            {"[a-]", "b", false},
            {"[abc", "a", true},
            {"[abc", "d", false},
            {"[^", "x", true},
            {"[", "x", false},
            {"[]", "x", false},
            {"[]]", "]", false},
            {"[\\]]", "]", true},
            {"[^]", "x", true},
            {"[Z-a]", "_", true},
            {"[Z-a]", "z", false},
            {"[\u0001-\u00ff]", "\u0080", false},
            {"[\u0080-\u00ff]", "\u0090", true},
            {"[\u0000-\u007f]", "\u0080", false},
            {"\u0080?", "\u0080\u0081", true},
            {"a*b*c", "abxbxc", true},
            {"a*b", "abab", true},
            {"*ab", "aab", true},
            {"a*", "a", true},
            {"a**", "a", true},
            {"a*?", "a", false},
            {"*?", "ab", true},
            {"a*b*", "ab", true},
            {"*[0-9]", "abc1", true},
            {"a*a*a*a*a*a*a*a*a*b", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", false},
            {"*a*a*a*a*a*a*a*a*a*", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", true},
            {"**", "x", true},
            {"?", "xy", false},
            {"??", "xy", true},
            {"x\\", "x", false},
            {"[a-c-e]", "d", false},
            {"[a-c-e]", "-", true},
            {"[\\a-c]", "b", false},
            {"*\\*", "ab*", true},
            {"ab[", "ab", false},
            {"ab*[", "abz", false},
            {"[-a]", "-", true},
            {"[a-c]x", "bx", true},
            {"\\[a]", "[a]", true},
            {"*.txt", "a.txt", true},
            {"*.txt", "a.txt.bak", false},
            {"h[ae-]llo", "h-llo", false},
            {"h[ae-]llo", "hbllo", false},
            {"h[^a-c]llo", "hdllo", true},
            {"a?c", "abc", true},
            {"a?c", "ac", false},
            {"*", "abc", true},
            {"a\\?c", "a?c", true},
            {"a\\?c", "abc", false}
    };

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }

    @Test
    void matchesWhatRedisMatches() {
        for (Object[] c : REDIS_ANSWERS) {
            String pattern = (String) c[0];
            String subject = (String) c[1];
            assertEquals(c[2], GlobPattern.matches(bytes(pattern), bytes(subject), false),
                    () -> "pattern " + pattern + " against " + subject);
        }
    }

    @Test
    void emptySubjectMatchesOnlyTheEmptyPattern() {
        // Redis's KEYS and SCAN short-cut a lone "*"; the matcher itself, like stringmatchlen, does not.
        assertTrue(GlobPattern.matches(bytes(""), bytes(""), false));
        assertFalse(GlobPattern.matches(bytes("*"), bytes(""), false));
        assertFalse(GlobPattern.matches(bytes("**"), bytes(""), false));
        assertFalse(GlobPattern.matches(bytes("?"), bytes(""), false));
        assertFalse(GlobPattern.matches(bytes(""), bytes("a"), false));
    }

    @Test
    void nocaseFoldsAsciiLettersOnly() {
        assertTrue(GlobPattern.matches("HELLO", "hello", true));
        assertTrue(GlobPattern.matches("h*O", "hello", true));
        assertTrue(GlobPattern.matches("[A-Z]", "q", true));
        assertTrue(GlobPattern.matches("[abc]", "B", true));
        assertTrue(GlobPattern.matches("maxmemory-*", "MAXMEMORY-POLICY", true));
        assertFalse(GlobPattern.matches("HELLO", "hello", false));
        // Bounds are swapped before folding, so "[Z-a]" folds to the empty range z..a.
        assertFalse(GlobPattern.matches("[Z-a]", "z", true));
        // An escaped byte inside a class compares exactly, even with nocase.
        assertFalse(GlobPattern.matches("[\\A]", "a", true));
        assertFalse(GlobPattern.matches(bytes("\u00e9"), bytes("\u00c9"), true));
    }

    @Test
    void respectsOffsetsAndLengths() {
        byte[] pattern = bytes("xxh*oyy");
        byte[] subject = bytes("__hello__");
        assertTrue(GlobPattern.matches(pattern, 2, 3, subject, 2, 5, false));
        assertFalse(GlobPattern.matches(pattern, 2, 4, subject, 2, 5, false));
    }

    @Test
    void hostilePatternsFinishQuicklyWithoutRecursion() {
        String subject = "a".repeat(10_000);
        String stars = "*a".repeat(50_000) + "*b";
        assertTimeoutPreemptively(java.time.Duration.ofSeconds(5), () -> {
            assertFalse(GlobPattern.matches(stars, subject, false));
            assertTrue(GlobPattern.matches("*a".repeat(5_000) + "*", subject, false));
            assertFalse(GlobPattern.matches("a*".repeat(5_000) + "b", subject, false));
        });
    }
}
