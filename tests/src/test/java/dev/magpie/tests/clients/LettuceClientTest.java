package dev.magpie.tests.clients;

import dev.magpie.tests.support.Magpie;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.KeyValue;
import io.lettuce.core.LettuceFutures;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.protocol.ProtocolVersion;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Lettuce, a real client, against Magpie in RESP2 and in RESP3 (negotiated with HELLO): the
 * everyday string and key commands, and a pipeline of thousands of async commands flushed at once.
 */
class LettuceClientTest {
    private static Magpie magpie;
    private static RedisClient client;

    @BeforeAll
    static void start() {
        magpie = Magpie.start();
        client = RedisClient.create(RedisURI.create(magpie.host(), magpie.port()));
        client.setDefaultTimeout(Duration.ofSeconds(10));
    }

    @AfterAll
    static void stop() {
        if (client != null) {
            client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        }
        if (magpie != null) {
            magpie.close();
        }
    }

    private static StatefulRedisConnection<String, String> connect(ProtocolVersion protocol) {
        client.setOptions(ClientOptions.builder().protocolVersion(protocol).build());
        return client.connect();
    }

    private static String key(ProtocolVersion protocol, String name) {
        return "lettuce:" + protocol + ":" + name;
    }

    @ParameterizedTest
    @EnumSource(value = ProtocolVersion.class, names = {"RESP2", "RESP3"})
    void stringsAndKeys(ProtocolVersion protocol) {
        try (StatefulRedisConnection<String, String> connection = connect(protocol)) {
            RedisCommands<String, String> redis = connection.sync();
            String a = key(protocol, "a");
            String counter = key(protocol, "counter");
            assertEquals("PONG", redis.ping());
            String resp = protocol == ProtocolVersion.RESP3 ? "resp=3" : "resp=2";
            assertTrue(redis.clientInfo().contains(" " + resp + " "), "negotiated " + resp + ": " + redis.clientInfo());
            assertEquals("OK", redis.set(a, "héllo"));
            assertEquals("héllo", redis.get(a));
            assertNull(redis.get(key(protocol, "missing")));
            assertEquals(1L, redis.incr(counter));
            assertEquals(11L, redis.incrby(counter, 10));
            assertEquals("11", redis.get(counter));
            assertEquals(-1L, redis.ttl(a));
            assertTrue(redis.expire(a, 100));
            long ttl = redis.ttl(a);
            assertTrue(ttl > 90 && ttl <= 100, "ttl " + ttl);
            assertEquals(-2L, redis.ttl(key(protocol, "missing")));
            List<KeyValue<String, String>> values = redis.mget(a, key(protocol, "missing"), counter);
            assertEquals(List.of(KeyValue.just(a, "héllo"), KeyValue.empty(key(protocol, "missing")), KeyValue.just(counter, "11")),
                    values);
            assertEquals(2L, redis.del(a, counter, key(protocol, "missing")));
            assertEquals(0L, redis.exists(a, counter));
        }
    }

    @ParameterizedTest
    @EnumSource(value = ProtocolVersion.class, names = {"RESP2", "RESP3"})
    void errorsReachTheCaller(ProtocolVersion protocol) {
        try (StatefulRedisConnection<String, String> connection = connect(protocol)) {
            RedisCommands<String, String> redis = connection.sync();
            String text = key(protocol, "text");
            redis.set(text, "not a number");
            RedisCommandExecutionException error = assertThrows(RedisCommandExecutionException.class, () -> redis.incr(text));
            assertEquals("ERR value is not an integer or out of range", error.getMessage());
            assertEquals("PONG", redis.ping(), "the connection is still usable after an error");
            redis.del(text);
        }
    }

    @ParameterizedTest
    @EnumSource(value = ProtocolVersion.class, names = {"RESP2", "RESP3"})
    void pipelinedAsyncCommands(ProtocolVersion protocol) throws Exception {
        int count = 5000;
        try (StatefulRedisConnection<String, String> connection = connect(protocol)) {
            RedisAsyncCommands<String, String> async = connection.async();
            connection.setAutoFlushCommands(false);
            List<RedisFuture<?>> writes = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                writes.add(async.set(key(protocol, "p" + i), "v" + i));
                writes.add(async.incr(key(protocol, "pipeline-counter")));
            }
            connection.flushCommands();
            assertTrue(LettuceFutures.awaitAll(30, TimeUnit.SECONDS, writes.toArray(RedisFuture[]::new)));
            List<RedisFuture<String>> reads = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                reads.add(async.get(key(protocol, "p" + i)));
            }
            RedisFuture<Long> deleted = async.del(key(protocol, "pipeline-counter"));
            connection.flushCommands();
            assertTrue(LettuceFutures.awaitAll(30, TimeUnit.SECONDS, reads.toArray(RedisFuture[]::new)));
            for (int i = 0; i < count; i++) {
                assertEquals("v" + i, reads.get(i).get(), "reply " + i + " out of order or lost");
            }
            assertEquals((long) count, writes.get(writes.size() - 1).get());
            assertEquals(1L, LettuceFutures.awaitOrCancel(deleted, 10, TimeUnit.SECONDS));
            connection.setAutoFlushCommands(true);
            List<String> keys = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                keys.add(key(protocol, "p" + i));
            }
            assertEquals((long) count, connection.sync().del(keys.toArray(String[]::new)));
        }
    }
}
