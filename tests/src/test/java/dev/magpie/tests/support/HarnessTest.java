package dev.magpie.tests.support;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The harness checked against the real thing: the reader must stop exactly at the end of every
 * RESP2/RESP3 reply shape redis-server can produce (DEBUG PROTOCOL makes each one), or every
 * differential test built on it would compare the wrong bytes.
 */
class HarnessTest {
    @RegisterExtension
    static final OracleAndMagpie servers = new OracleAndMagpie();

    @ParameterizedTest(name = "RESP3 {0}")
    @CsvSource(delimiter = '@', value = {
            "string   @ $11\\r\\nHello World\\r\\n",
            "integer  @ :12345\\r\\n",
            "double   @ ,3.141\\r\\n",
            "bignum   @ (1234567999999999999999999999999999999\\r\\n",
            "null     @ _\\r\\n",
            "array    @ *3\\r\\n:0\\r\\n:1\\r\\n:2\\r\\n",
            "set      @ ~3\\r\\n:0\\r\\n:1\\r\\n:2\\r\\n",
            "map      @ %3\\r\\n:0\\r\\n#f\\r\\n:1\\r\\n#t\\r\\n:2\\r\\n#f\\r\\n",
            "attrib   @ |1\\r\\n$14\\r\\nkey-popularity\\r\\n*2\\r\\n$7\\r\\nkey:123\\r\\n:90\\r\\n$39\\r\\nSome real reply following the attribute\\r\\n",
            "verbatim @ =29\\r\\ntxt:This is a verbatim\\nstring\\r\\n",
            "true     @ #t\\r\\n",
            "false    @ #f\\r\\n",
    })
    void readerFramesEveryResp3Type(String type, String expected) {
        try (RawRespClient client = servers.redis().connect()) {
            client.call("HELLO", "3");
            assertEquals(expected, Resp.escape(client.call("DEBUG", "PROTOCOL", type)).replaceAll("^\"|\"$", ""));
            assertEquals("+PONG\r\n", client.callText("PING"), "the reader consumed too much or too little");
        }
    }

    @Test
    void pushIsOneReplyAndTheCommandReplyFollows() {
        try (RawRespClient client = servers.redis().connect()) {
            client.call("HELLO", "3");
            assertEquals(">2\r\n$16\r\nserver-cpu-usage\r\n:42\r\n", Resp.latin1(client.send("DEBUG", "PROTOCOL", "push").readReply()));
            assertEquals("$40\r\nSome real reply following the push reply\r\n", client.readText());
        }
    }

    @Test
    void nestedAggregatesAndNullsAreOneReplyEach() {
        try (RawRespClient client = servers.redis().connect()) {
            client.sendRaw("*2\r\n$4\r\nPING\r\n$0\r\n\r\n");
            assertEquals("$0\r\n\r\n", client.readText());
            assertEquals("$-1\r\n", client.callText("GET", "missing"));
            client.call("RPUSH", "l", "a", "b");
            assertEquals("*2\r\n$1\r\na\r\n*2\r\n$1\r\nb\r\n$1\r\nl\r\n",
                    client.callText("EVAL", "return {'a', {'b', 'l'}}", "0"));
        }
    }

    @Test
    void closedByPeerSeesQuitAndTimeoutSeesAnOpenConnection() {
        try (RawRespClient client = servers.redis().connect()) {
            assertFalse(client.closedByPeerWithin(50));
            assertEquals("+OK\r\n", client.callText("QUIT"));
            assertTrue(client.closedByPeerWithin(2000));
        }
    }

    @Test
    void aMissingReplyTimesOutWithWhatArrived() {
        try (RawRespClient client = servers.redis().connect()) {
            client.timeoutMillis(100).sendRaw("*2\r\n$4\r\nECHO\r\n");
            assertThrows(java.io.UncheckedIOException.class, client::readReply);
        }
    }

    @Test
    void differentialComparesMagpieWithRedis() {
        try (Differential both = Differential.connect(servers.magpie(), servers.redis())) {
            both.assertSame("PING");
            both.assertSame("ECHO", "h\u00e9llo\r\n");
        }
        try (Differential twoRedisClients = new Differential(servers.redis().connect(), servers.redis().connect())) {
            AssertionError mismatch = assertThrows(AssertionError.class, () -> twoRedisClients.assertSame("CLIENT", "ID"),
                    "two connections have different ids, so the comparison must fail");
            assertTrue(mismatch.getMessage().contains("CLIENT ID"), mismatch.getMessage());
        }
    }

    @Test
    void helloNormalizerHidesOnlyServerVersionAndId() {
        byte[] redisHello = Resp.bytes("*6\r\n$6\r\nserver\r\n$5\r\nredis\r\n$7\r\nversion\r\n$6\r\n7.0.15\r\n$2\r\nid\r\n:12\r\n");
        byte[] magpieHello = Resp.bytes("*6\r\n$6\r\nserver\r\n$6\r\nmagpie\r\n$7\r\nversion\r\n$5\r\n0.1.0\r\n$2\r\nid\r\n:3\r\n");
        assertEquals(Resp.latin1(Normalizers.hello().apply(redisHello)), Resp.latin1(Normalizers.hello().apply(magpieHello)));
        byte[] otherProto = Resp.bytes("*2\r\n$5\r\nproto\r\n:3\r\n");
        assertEquals(Resp.latin1(otherProto), Resp.latin1(Normalizers.hello().apply(otherProto)));
    }
}
