package dev.magpie.tests.protocol;

import dev.magpie.tests.support.Differential;
import dev.magpie.tests.support.Magpie;
import dev.magpie.tests.support.RawRespClient;
import dev.magpie.tests.support.RedisOracle;
import dev.magpie.tests.support.Resp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.ByteArrayOutputStream;
import java.util.Random;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * The same raw byte streams sent to redis-server and to Magpie: well-formed pipelines cut in odd
 * places, and every kind of malformed request. Replies must match byte for byte, a protocol error
 * must close the connection (after the replies to the commands before it) on both, and other
 * connections must not notice. Subclasses pick Magpie's thread layout.
 */
abstract class RawStreamsDifferential {
    private static final int CLOSE_WAIT_MS = 3000;
    private static final String BIG = "1".repeat(70_000);

    private static RedisOracle redis;
    private static Magpie magpie;
    private Differential both;
    private Differential bystander;

    /** Magpie's extra flags, e.g. the io-threads layout. */
    abstract String[] magpieFlags();

    @BeforeAll
    static void startRedis() {
        redis = RedisOracle.start();
    }

    @BeforeEach
    void connect() {
        if (magpie == null) {
            magpie = Magpie.start(magpieFlags());
        }
        both = Differential.connect(magpie, redis);
        bystander = Differential.connect(magpie, redis);
        bystander.assertSame("SELECT", "3");
    }

    @AfterEach
    void checkBystanderAndDisconnect() {
        // Whatever happened on the other connection, this one is untouched.
        bystander.assertSame("PING");
        bystander.assertSame("ECHO", "still here");
        bystander.close();
        both.close();
    }

    @AfterAll
    static void stop() {
        if (magpie != null) {
            magpie.close();
            magpie = null;
        }
        if (redis != null) {
            redis.close();
        }
    }

    static Stream<Arguments> protocolErrors() {
        return Stream.of(
                Arguments.of("non-numeric multibulk count", "*x\r\n"),
                Arguments.of("empty multibulk count", "*\r\n"),
                Arguments.of("multibulk count above INT_MAX", "*2147483648\r\n"),
                Arguments.of("multibulk count overflowing a long", "*9999999999999999999\r\n"),
                Arguments.of("multibulk count with a leading zero", "*01\r\n"),
                Arguments.of("negative bulk length", "*1\r\n$-1\r\n"),
                Arguments.of("non-numeric bulk length", "*1\r\n$x\r\n"),
                Arguments.of("bulk length above proto-max-bulk-len", "*1\r\n$536870913\r\n"),
                Arguments.of("bulk length overflowing a long", "*1\r\n$9999999999999999999\r\n"),
                Arguments.of("integer instead of a bulk", "*2\r\n$4\r\nECHO\r\n:1\r\n"),
                Arguments.of("simple string instead of a bulk", "*1\r\n+PING\r\n"),
                Arguments.of("too big inline request", "x".repeat(70_000)),
                Arguments.of("too big mbulk count string", "*" + BIG),
                Arguments.of("too big bulk count string", "*1\r\n$" + BIG),
                Arguments.of("too big bulk count string on a later argument", "*2\r\n$4\r\nECHO\r\n$" + BIG),
                Arguments.of("unbalanced double quote", "\"PING\r\n"),
                Arguments.of("unbalanced single quote", "ECHO 'abc\r\n"),
                Arguments.of("text right after a closing quote", "ECHO \"a\"b\r\n"),
                Arguments.of("a NUL line grown past the inline limit", "PING\u0000\r\n" + "x".repeat(70_000)),
                Arguments.of("commands before the error still run", "PING\r\nECHO a\r\n*1\r\n$1\r\nx\r\n*1\r\n$-1\r\nPING\r\n"),
                Arguments.of("commands after the error do not run", "*1\r\n$-5\r\nSET never ran\r\n"),
                Arguments.of("error after a pipeline of 1000", "PING\r\n".repeat(1000) + "*1\r\n$-1\r\n"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("protocolErrors")
    void protocolErrorRepliesThenCloses(String name, String raw) {
        both.assertSameUntilClosed(Resp.bytes(raw), CLOSE_WAIT_MS);
    }

    @Test
    void commandsAfterAnErrorNeverRan() {
        both.assertSameUntilClosed(Resp.bytes("*1\r\n$-1\r\nSET raw-after-error 1\r\n"), CLOSE_WAIT_MS);
        both.close();
        try (Differential fresh = Differential.connect(magpie, redis)) {
            fresh.assertSame("EXISTS", "raw-after-error");
        }
    }

    static Stream<Arguments> incompleteRequests() {
        return Stream.of(
                Arguments.of("a NUL in a multibulk count", "*1\u0000\r\n"),
                Arguments.of("a NUL in a bulk length line", "*1\r\n\u0000\r\n"),
                Arguments.of("a NUL in an inline request", "PING\u0000\r\n"),
                Arguments.of("the largest multibulk count", "*2147483647\r\n"),
                Arguments.of("the largest bulk", "*1\r\n$536870912\r\n"),
                Arguments.of("half a command", "*2\r\n$4\r\nECHO\r\n$5\r\nhel"),
                Arguments.of("a count line without its LF", "*1\r"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("incompleteRequests")
    void incompleteRequestsGetNoReplyAndStayOpen(String name, String raw) {
        both.magpie().sendRaw(raw);
        both.redis().sendRaw(raw);
        assertFalse(both.redis().closedByPeerWithin(200), "redis-server closed on " + name);
        assertFalse(both.magpie().closedByPeerWithin(200), "Magpie closed on " + name);
    }

    @Test
    void pipelinedCommandsInOneWrite() {
        ByteArrayOutputStream stream = new ByteArrayOutputStream();
        int count = 0;
        for (int i = 0; i < 2000; i++) {
            stream.writeBytes(Resp.command("SET", "pipe:" + i, "v" + i));
            stream.writeBytes(Resp.command("GET", "pipe:" + i));
            stream.writeBytes(Resp.bytes("ECHO \"inline\\t" + i + "\"\r\n"));
            stream.writeBytes(Resp.bytes(i % 2 == 0 ? "PING\r\n" : "*1\r\n$4\r\nPING\r\n"));
            count += 4;
        }
        stream.writeBytes(Resp.command("DEL", "nothing-here"));
        both.assertSameRaw(dev.magpie.tests.support.Normalizers.none(), stream.toByteArray(), count + 1);
    }

    @Test
    void aPipelineCutIntoRandomPiecesGivesTheSameReplies() throws InterruptedException {
        byte[] raw = Resp.bytes("*3\r\n$3\r\nSET\r\n$5\r\nsplit\r\n$11\r\nhello\r\nworld\r\n"
                + "GET split\r\n\r\n*0\r\n"
                + "ECHO \"a\\x41 b\" 'c\\'d'\n"
                + "*2\r\n$4\r\nECHO\r\n$0\r\n\r\n"
                + "PING\r\n");
        Random random = new Random(42);
        for (int round = 0; round < 3; round++) {
            int at = 0;
            while (at < raw.length) {
                int piece = Math.min(raw.length - at, 1 + random.nextInt(7));
                byte[] part = java.util.Arrays.copyOfRange(raw, at, at + piece);
                both.magpie().sendRaw(part);
                both.redis().sendRaw(part);
                at += piece;
                Thread.sleep(1); // let each piece arrive as its own read
            }
            for (int reply = 0; reply < 5; reply++) {
                both.assertSameReply("reply " + (reply + 1) + " of the split pipeline, round " + round);
            }
        }
    }

    @Test
    void largeValuesCrossManyReads() {
        String value = "0123456789abcdef".repeat(256 * 1024); // 4 MB
        both.assertSame("SET", "large", value);
        byte[] reply = both.assertSame("GET", "large");
        assertEquals(value.length() + 12, reply.length, "$4194304\\r\\n...\\r\\n");
        both.assertSame("ECHO", value.substring(0, 70_000));
        both.assertSame("DEL", "large");
    }

    @Test
    void binaryArgumentsRoundTrip() {
        byte[] binary = new byte[256];
        for (int i = 0; i < binary.length; i++) {
            binary[i] = (byte) i;
        }
        both.assertSame(Resp.bytes("SET"), Resp.bytes("bin\r\nkey"), binary);
        both.assertSame(Resp.bytes("GET"), Resp.bytes("bin\r\nkey"));
        both.assertSame(Resp.bytes("ECHO"), binary);
        both.assertSame("DEL", "bin\r\nkey");
    }

    @Test
    void protoMaxBulkLenIsEnforcedAsConfigured() {
        both.assertSame("CONFIG", "SET", "proto-max-bulk-len", "1mb");
        try {
            both.assertSameUntilClosed(Resp.bytes("*2\r\n$4\r\nECHO\r\n$1048577\r\n"), CLOSE_WAIT_MS);
            try (Differential fresh = Differential.connect(magpie, redis)) {
                fresh.assertSame("ECHO", "x".repeat(1_048_576 - 100));
            }
        } finally {
            try (RawRespClient m = magpie.connect(); RawRespClient r = redis.connect()) {
                assertEquals("+OK\r\n", m.callText("CONFIG", "SET", "proto-max-bulk-len", "512mb"));
                assertEquals("+OK\r\n", r.callText("CONFIG", "SET", "proto-max-bulk-len", "512mb"));
            }
        }
    }

    @Test
    void emptyLinesAndEmptyMultibulksAreIgnored() {
        both.assertSameRaw("\r\n\n  \r\n*0\r\n*-1\r\n*-7\r\nPING\r\n\r\n", 1);
        both.assertBothOpen();
    }

    @Test
    void anEmptyCommandNameIsAnUnknownCommand() {
        both.assertSameRaw("*1\r\n$0\r\n\r\n\"\"\r\n", 2);
    }
}
