package dev.magpie.tests.hashes;

import dev.magpie.tests.support.LettuceOnMagpie;
import io.lettuce.core.KeyValue;
import io.lettuce.core.MapScanCursor;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.protocol.ProtocolVersion;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The hash commands through Lettuce, a real client, in RESP2 and RESP3. */
class HashesLettuceTest {
    @RegisterExtension
    static final LettuceOnMagpie lettuce = new LettuceOnMagpie();

    @ParameterizedTest
    @EnumSource(value = ProtocolVersion.class, names = {"RESP2", "RESP3"})
    void hashCommandsWorkThroughLettuce(ProtocolVersion protocol) throws Exception {
        lettuce.withCommands(protocol, redis -> {
            String key = "lettuce:" + protocol + ":h";
            Map<String, String> fields = new LinkedHashMap<>();
            fields.put("name", "magpie");
            fields.put("count", "1");
            assertEquals(2L, redis.hset(key, fields));
            assertTrue(redis.hsetnx(key, "colour", "black"));
            assertFalse(redis.hsetnx(key, "colour", "white"));
            assertEquals("magpie", redis.hget(key, "name"));
            assertNull(redis.hget(key, "missing"));
            assertEquals(List.of(KeyValue.just("name", "magpie"), KeyValue.empty("missing")),
                    redis.hmget(key, "name", "missing"));
            assertEquals(Map.of("name", "magpie", "count", "1", "colour", "black"), redis.hgetall(key));
            assertEquals(List.of("name", "count", "colour"), redis.hkeys(key));
            assertEquals(List.of("magpie", "1", "black"), redis.hvals(key));
            assertEquals(3L, redis.hlen(key));
            assertEquals(6L, redis.hstrlen(key, "name"));
            assertTrue(redis.hexists(key, "count"));
            assertEquals(11L, redis.hincrby(key, "count", 10));
            assertEquals(12.5, redis.hincrbyfloat(key, "count", 1.5));
            assertThrows(RedisCommandExecutionException.class, () -> redis.hincrby(key, "name", 1));
            String randomField = redis.hrandfield(key);
            assertTrue(fields.containsKey(randomField) || "colour".equals(randomField), randomField);
            assertEquals(3, redis.hrandfield(key, 5).size());
            assertEquals(4, redis.hrandfield(key, -4).size());
            KeyValue<String, String> pick = redis.hrandfieldWithvalues(key);
            assertEquals(redis.hget(key, pick.getKey()), pick.getValue());
            assertEquals(2, redis.hrandfieldWithvalues(key, 2).size());
            MapScanCursor<String, String> scan = redis.hscan(key, ScanCursor.INITIAL, ScanArgs.Builder.matches("c*"));
            assertTrue(scan.isFinished());
            assertEquals(Map.of("count", "12.5", "colour", "black"), scan.getMap());
            assertEquals(2L, redis.hdel(key, "name", "colour", "missing"));
            assertEquals("OK", redis.hmset(key, Map.of("a", "1")));

            String big = "lettuce:" + protocol + ":big";
            Map<String, String> many = new HashMap<>();
            for (int i = 0; i < 1000; i++) {
                many.put("f" + i, "v" + i);
            }
            redis.hset(big, many);
            assertEquals(many, redis.hgetall(big));
            Map<String, String> scanned = new HashMap<>();
            ScanCursor cursor = ScanCursor.INITIAL;
            do {
                MapScanCursor<String, String> page = redis.hscan(big, cursor, ScanArgs.Builder.limit(50));
                scanned.putAll(page.getMap());
                cursor = page;
            } while (!cursor.isFinished());
            assertEquals(many, scanned);
            assertEquals(1L, redis.del(big));
        });
    }
}
