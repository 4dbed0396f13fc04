package dev.magpie.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;

import static dev.magpie.protocol.Parsing.bytes;
import static dev.magpie.protocol.Parsing.parse;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** Multibulk requests, batching, and every protocol limit with the error text Redis 7.0 gives for it. */
class RequestParserTest {

    @Test
    void multibulkArgumentsAreBinarySafe() {
        Parsing.Result result = parse("*3\r\n$3\r\nSET\r\n$4\r\nk\r\nx\r\n$0\r\n\r\n");
        assertEquals(List.of(List.of("SET", "k\r\nx", "")), result.commands());
        assertNull(result.error());
        assertEquals(0, result.unread());
    }

    @Test
    void highBytesAndNulInsideBulksSurvive() {
        Parsing.Result result = parse("*2\r\n$4\r\nECHO\r\n$3\r\n\u0000\u00ff\u0080\r\n");
        assertEquals(List.of(List.of("ECHO", "\u0000\u00ff\u0080")), result.commands());
    }

    @Test
    void manyCommandsInOneReadFormOneBatchInOrder() {
        ByteBuf in = Unpooled.wrappedBuffer(bytes("*1\r\n$4\r\nPING\r\nECHO a\r\n*2\r\n$3\r\nGET\r\n$1\r\nk\r\nQUIT\r\n"));
        CommandBatch batch = new CommandBatch();
        new RequestParser().parse(in, batch, 100);
        assertEquals(List.of(List.of("PING"), List.of("ECHO", "a"), List.of("GET", "k"), List.of("QUIT")),
                Parsing.commands(batch));
        assertEquals(0, in.readableBytes());
    }

    @Test
    void maxCommandsLeavesTheRestForTheNextBatch() {
        ByteBuf in = Unpooled.wrappedBuffer(bytes("PING\r\nPING\r\nECHO x\r\n"));
        CommandBatch batch = new CommandBatch();
        RequestParser parser = new RequestParser();
        parser.parse(in, batch, 2);
        assertEquals(2, batch.commandCount());
        batch.clear();
        parser.parse(in, batch, 2);
        assertEquals(List.of(List.of("ECHO", "x")), Parsing.commands(batch));
    }

    @Test
    void aReusedBatchForgetsThePreviousCommands() {
        RequestParser parser = new RequestParser();
        CommandBatch batch = new CommandBatch();
        parser.parse(Unpooled.wrappedBuffer(bytes("*2\r\n$4\r\nECHO\r\n$5\r\nfirst\r\n")), batch, 10);
        batch.clear();
        parser.parse(Unpooled.wrappedBuffer(bytes("*1\r\n$4\r\nPING\r\n")), batch, 10);
        assertEquals(List.of(List.of("PING")), Parsing.commands(batch));
    }

    @Test
    void largeArgumentsGrowTheBatch() {
        String big = "v".repeat(100_000);
        Parsing.Result result = parse("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$100000\r\n" + big + "\r\n*1\r\n$4\r\nPING\r\n");
        assertEquals(List.of(List.of("SET", "k", big), List.of("PING")), result.commands());
    }

    @Test
    void emptyAndNegativeMultibulksAreSkipped() {
        Parsing.Result result = parse("*0\r\n*-1\r\n*-5\r\n*1\r\n$4\r\nPING\r\n*0\r\n");
        assertEquals(List.of(List.of("PING")), result.commands());
        assertNull(result.error());
        assertEquals(0, result.unread());
    }

    @Test
    void incompleteCommandsAreLeftUnread() {
        for (String partial : new String[] {"*", "*2", "*2\r", "*2\r\n", "*2\r\n$3", "*2\r\n$3\r\nGET", "*2\r\n$3\r\nGET\r",
                "*2\r\n$3\r\nGET\r\n", "*2\r\n$3\r\nGET\r\n$1\r\nk", "*2\r\n$3\r\nGET\r\n$1\r\nk\r", "PING", "PING\r"}) {
            Parsing.Result result = parse(partial);
            assertEquals(List.of(), result.commands(), partial);
            assertNull(result.error(), partial);
            assertEquals(partial.length(), result.unread(), partial);
        }
    }

    @Test
    void theByteAfterACountLineCarriageReturnAndAfterABulkIsNotChecked() {
        // Redis skips two bytes after a count line's '\r' and after bulk data without looking at them.
        assertEquals(List.of(List.of("PING")), parse("*1\rx$4\r\nPING\r\n").commands());
        assertEquals(List.of(List.of("PING"), List.of("PING")), parse("*1\r\n$4\r\nPINGxx*1\r\n$4\r\nPING\r\n").commands());
    }

    @Test
    void multibulkCommandsWithCrlfLineEndsAreKeptVerbatimAndInlineOnesAreNot() {
        // Parsing.commands checks each verbatim text against the RESP of the command's arguments.
        ByteBuf in = Unpooled.wrappedBuffer(bytes("*1\r\n$4\r\nPING\r\nECHO a\r\n*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$0\r\n\r\n"
                + "*2\r\n$4\r\nECHO\r\n$1\r\nb\r\n*2\r\n$3\r\nGET\r\n$5\r\nabc"));
        CommandBatch batch = new CommandBatch();
        new RequestParser().parse(in, batch, 100);
        assertEquals(List.of(List.of("PING"), List.of("ECHO", "a"), List.of("SET", "k", ""), List.of("ECHO", "b")),
                Parsing.commands(batch));
        assertEquals(List.of(true, false, true, true), Parsing.verbatim(batch));
        assertEquals(0, batch.verbatimStart(0));
        // The incomplete GET is left unread.
        assertEquals(bytes("*2\r\n$3\r\nGET\r\n$5\r\nabc").length, in.readableBytes());
    }

    @Test
    void aCommandWithOtherBytesWhereRedisSkipsItsLineEndsIsNotVerbatim() {
        String wire = "*2\r\n$3\r\nDEL\r\n$1\r\nk\r\n";
        for (int at : new int[] {3, 7, 12, 16, 19}) {
            String odd = wire.substring(0, at) + 'x' + wire.substring(at + 1);
            CommandBatch batch = new CommandBatch();
            new RequestParser().parse(Unpooled.wrappedBuffer(bytes(odd)), batch, 10);
            assertEquals(List.of(List.of("DEL", "k")), Parsing.commands(batch), odd);
            assertEquals(List.of(false), Parsing.verbatim(batch), odd);
        }
    }

    @Test
    void aCommandCompletedByALaterReadIsVerbatim() {
        byte[] wire = bytes("*1\r\n$4\r\nPING\r\n*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$5\r\nvalue\r\n");
        for (int cut = 1; cut < wire.length; cut++) {
            ByteBuf cumulation = Unpooled.buffer();
            CommandBatch batch = new CommandBatch();
            RequestParser parser = new RequestParser();
            cumulation.writeBytes(wire, 0, cut);
            parser.parse(cumulation, batch, 10);
            cumulation.writeBytes(wire, cut, wire.length - cut);
            parser.parse(cumulation, batch, 10);
            assertEquals(List.of(List.of("PING"), List.of("SET", "k", "value")), Parsing.commands(batch), "cut " + cut);
            assertEquals(List.of(true, true), Parsing.verbatim(batch), "cut " + cut);
        }
    }

    @Test
    void commandsBeforeAProtocolErrorAreKept() {
        Parsing.Result result = parse("PING\r\n*1\r\n$1\r\nx\r\n*1\r\n$-1\r\nPING\r\n");
        assertEquals(List.of(List.of("PING"), List.of("x")), result.commands());
        assertEquals("invalid bulk length", result.error());
    }

    // ---- multibulk count ----

    @ParameterizedTest
    @ValueSource(strings = {"*x\r\n", "*\r\n", "*1x\r\n", "*+1\r\n", "*01\r\n", "*-0\r\n", "* 1\r\n", "*1 \r\n",
            "*2147483648\r\n", "*9999999999999999999\r\n", "*9223372036854775808\r\n", "*99999999999999999999\r\n",
            "*123456789012345678901\r\n"})
    void invalidMultibulkLength(String raw) {
        assertEquals("invalid multibulk length", parse(raw).error());
    }

    @Test
    void theLargestMultibulkCountIsAcceptedAndWaitsForItsArguments() {
        Parsing.Result result = parse("*2147483647\r\n");
        assertNull(result.error());
        assertEquals(List.of(), result.commands());
    }

    @Test
    void tooBigMbulkCountString() {
        assertNull(parse("*" + "1".repeat(RequestParser.INLINE_MAX - 1)).error());
        assertEquals("too big mbulk count string", parse("*" + "1".repeat(RequestParser.INLINE_MAX)).error());
    }

    // ---- bulk lengths ----

    @ParameterizedTest
    @ValueSource(strings = {"$-1", "$-2", "$x", "$", "$01", "$1x", "$9999999999999999999", "$536870913"})
    void invalidBulkLength(String header) {
        assertEquals("invalid bulk length", parse("*1\r\n" + header + "\r\n").error());
    }

    @Test
    void protoMaxBulkLenIsTheLimit() {
        RequestParser parser = new RequestParser();
        parser.maxBulkLength(100);
        assertNull(Parsing.parse(parser, bytes("*1\r\n$100\r\n")).error());
        assertEquals("invalid bulk length", Parsing.parse(parser, bytes("*1\r\n$101\r\n")).error());
        assertNull(parse("*1\r\n$536870912\r\n").error(), "the default is 512 MB");
    }

    @ParameterizedTest
    @ValueSource(strings = {"x", "+", ":", "*", "\u00e9"})
    void expectedDollar(String marker) {
        assertEquals("expected '$', got '" + marker + "'", parse("*1\r\n" + marker + "4\r\nPING\r\n").error());
    }

    @Test
    void tooBigBulkCountString() {
        assertNull(parse("*1\r\n$" + "1".repeat(RequestParser.INLINE_MAX - 1)).error());
        assertEquals("too big bulk count string", parse("*1\r\n$" + "1".repeat(RequestParser.INLINE_MAX)).error());
        assertEquals("too big bulk count string",
                parse("*2\r\n$4\r\nECHO\r\n$" + "1".repeat(RequestParser.INLINE_MAX)).error());
    }

    // ---- before authentication ----

    @Test
    void unauthenticatedClientsGetTinyLimits() {
        RequestParser parser = new RequestParser();
        parser.authenticated(false);
        assertNull(Parsing.parse(parser, bytes("*10\r\n")).error());
        assertEquals("unauthenticated multibulk length", Parsing.parse(parser, bytes("*11\r\n")).error());
        assertNull(Parsing.parse(parser, bytes("*1\r\n$16384\r\n")).error());
        assertEquals("unauthenticated bulk length", Parsing.parse(parser, bytes("*1\r\n$16385\r\n")).error());
        // a malformed count is still reported as such
        assertEquals("invalid multibulk length", Parsing.parse(parser, bytes("*2147483648\r\n")).error());
        assertEquals("invalid bulk length", Parsing.parse(parser, bytes("*1\r\n$-1\r\n")).error());
    }

    @Test
    void unauthenticatedClientsGetOneCommandPerBatch() {
        // An AUTH must be able to lift the limits for the very next command in the same read.
        RequestParser parser = new RequestParser();
        parser.authenticated(false);
        ByteBuf in = Unpooled.wrappedBuffer(bytes("*2\r\n$4\r\nAUTH\r\n$2\r\npw\r\n*11\r\n$1\r\na\r\n"));
        CommandBatch batch = new CommandBatch();
        parser.parse(in, batch, 100);
        assertEquals(List.of(List.of("AUTH", "pw")), Parsing.commands(batch));
        assertNull(batch.protocolError());
        parser.authenticated(true);
        batch.clear();
        parser.parse(in, batch, 100);
        assertNull(batch.protocolError());
    }

    // ---- NUL bytes in lines: Redis's line search stops at them ----

    @Test
    void aNulBeforeTheLineEndKeepsTheRequestIncomplete() {
        for (String raw : new String[] {"*1\u0000\r\n", "*1\r\n\u0000\r\n", "*1\r\n$4\u0000\r\nPING\r\n", "PING\u0000\r\n"}) {
            Parsing.Result result = parse(raw);
            assertEquals(List.of(), result.commands(), raw);
            assertNull(result.error(), raw);
            assertEquals(raw.length(), result.unread());
        }
    }

    @Test
    void aNulLineBecomesTooBigPastTheInlineLimit() {
        String padding = "x".repeat(RequestParser.INLINE_MAX);
        assertEquals("too big inline request", parse("PING\u0000\r\n" + padding).error());
        assertEquals("too big mbulk count string", parse("*1\u0000\r\n" + padding).error());
        assertEquals("too big bulk count string", parse("*1\r\n$4\u0000\r\n" + padding).error());
    }
}
