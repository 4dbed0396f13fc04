package dev.magpie.protocol;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;

import static dev.magpie.protocol.Parsing.parse;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** Inline requests, split with the quoting rules of Redis's sdssplitargs. */
class InlineRequestTest {

    private static List<String> args(String line) {
        Parsing.Result result = parse(line + "\r\n");
        assertNull(result.error(), () -> "unexpected error for " + line);
        assertEquals(1, result.commands().size(), () -> "one command expected for " + line);
        return result.commands().get(0);
    }

    @Test
    void wordsAreSeparatedByAnyRunOfSpaces() {
        assertEquals(List.of("SET", "k", "v"), args("  SET \t k  v \t "));
        assertEquals(List.of("k\u000b\fv", "w"), args("\u000b\fk\u000b\fv w"),
                "vertical tab and form feed are skipped between words but do not end one");
        assertEquals(List.of("a", "b"), args("a\rb"), "a lone CR inside the line separates too");
    }

    @Test
    void lfAloneEndsALine() {
        assertEquals(List.of(List.of("PING"), List.of("ECHO", "x")), parse("PING\nECHO x\n").commands());
    }

    @Test
    void doubleQuotesTakeCEscapes() {
        assertEquals(List.of("ECHO", "a b"), args("ECHO \"a b\""));
        assertEquals(List.of("\n\r\t\b\u0007\"\\q"), args("\"\\n\\r\\t\\b\\a\\\"\\\\\\q\""));
        assertEquals(List.of("A\u00ff\u0000"), args("\"\\x41\\xff\\x00\""));
        assertEquals(List.of("xZZ", "x4"), args("\"\\xZZ\" \"\\x4\""), "\\x needs two hex digits, else it is plain x");
        assertEquals(List.of(""), args("\"\""));
    }

    @Test
    void singleQuotesOnlyEscapeTheQuote() {
        assertEquals(List.of("it's", "a\\nb"), args("'it\\'s' 'a\\nb'"));
        assertEquals(List.of(""), args("''"));
    }

    @Test
    void quotesMayStartInsideAWordAndJoinIt() {
        assertEquals(List.of("ab c", "x'"), args("a\"b c\" x\"'\""));
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"PING", "'PING", "ECHO \"a\"b", "ECHO 'a'b", "ECHO \"abc\\\"", "ECHO 'abc\\'"})
    void unbalancedQuotes(String line) {
        assertEquals("unbalanced quotes in request", parse(line + "\r\n").error());
    }

    @Test
    void aClosingQuoteMayBeFollowedBySpaceOrTheEnd() {
        assertEquals(List.of("a", "b"), args("\"a\"\t'b'"));
    }

    @Test
    void emptyAndBlankLinesAreSkipped() {
        Parsing.Result result = parse("\r\n\n   \r\n\t\nPING\r\n\r\n");
        assertEquals(List.of(List.of("PING")), result.commands());
        assertNull(result.error());
        assertEquals(0, result.unread());
    }

    @Test
    void tooBigInlineRequest() {
        assertNull(parse("x".repeat(RequestParser.INLINE_MAX)).error());
        assertEquals("too big inline request", parse("x".repeat(RequestParser.INLINE_MAX + 1)).error());
        assertEquals(List.of(List.of("x".repeat(100_000))), parse("x".repeat(100_000) + "\n").commands(),
                "a long line that arrives whole with its newline is fine");
    }

    @Test
    void inlineAndMultibulkMix() {
        assertEquals(List.of(List.of("ECHO", "a"), List.of("ECHO", "b"), List.of("ECHO", "c")),
                parse("ECHO a\r\n*2\r\n$4\r\nECHO\r\n$1\r\nb\r\nECHO c\r\n").commands());
    }
}
