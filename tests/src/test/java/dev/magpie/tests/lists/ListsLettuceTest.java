package dev.magpie.tests.lists;

import dev.magpie.tests.support.LettuceOnMagpie;
import io.lettuce.core.KeyValue;
import io.lettuce.core.LMPopArgs;
import io.lettuce.core.LMoveArgs;
import io.lettuce.core.LPosArgs;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.protocol.ProtocolVersion;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The list commands through Lettuce, a real client, in RESP2 and RESP3, blocking ones included. */
class ListsLettuceTest {
    @RegisterExtension
    static final LettuceOnMagpie lettuce = new LettuceOnMagpie();

    @ParameterizedTest
    @EnumSource(value = ProtocolVersion.class, names = {"RESP2", "RESP3"})
    void listCommandsWorkThroughLettuce(ProtocolVersion protocol) throws Exception {
        lettuce.withClient(protocol, client -> {
            try (StatefulRedisConnection<String, String> connection = client.connect();
                 StatefulRedisConnection<String, String> waiter = client.connect()) {
                RedisCommands<String, String> redis = connection.sync();
                String p = "lettuce:" + protocol + ":";
                String l = p + "list";
                assertEquals(3, redis.rpush(l, "b", "c", "d"));
                assertEquals(4, redis.lpush(l, "a"));
                assertEquals(0, redis.lpushx(p + "none", "x"));
                assertEquals(List.of("a", "b", "c", "d"), redis.lrange(l, 0, -1));
                assertEquals("c", redis.lindex(l, -2));
                assertEquals("OK", redis.lset(l, 1, "B"));
                assertEquals(5, redis.linsert(l, true, "c", "bc"));
                assertEquals(2, redis.lpos(l, "bc"));
                assertEquals(List.of(2L), redis.lpos(l, "bc", 0, LPosArgs.Builder.rank(-1)));
                assertEquals(1, redis.lrem(l, 0, "bc"));
                assertEquals("a", redis.lpop(l));
                assertEquals(List.of("d", "c"), redis.rpop(l, 2));
                assertNull(redis.lpop(p + "none"));
                assertEquals("B", redis.lmove(l, p + "other", LMoveArgs.Builder.leftRight()));
                assertEquals(0, redis.llen(l));
                assertEquals(KeyValue.just(p + "other", List.of("B")),
                        redis.lmpop(LMPopArgs.Builder.left().count(3), p + "none", p + "other"));
                assertEquals("OK", redis.ltrim(p + "none", 0, 1));
                redis.set(p + "string", "v");
                assertThrows(RedisCommandExecutionException.class, () -> redis.lpush(p + "string", "x"));
                assertEquals(1, redis.rpush(l, "z"));
                assertEquals("quicklist", redis.objectEncoding(l));

                // A blocked BLPOP on one connection is woken by a push on another.
                RedisAsyncCommands<String, String> async = waiter.async();
                var popped = async.blpop(5, p + "queue");
                var moved = async.blmove(p + "queue", p + "done", LMoveArgs.Builder.leftLeft(), 5.0);
                Thread.sleep(50);
                assertFalse(popped.isDone());
                assertEquals(2, redis.rpush(p + "queue", "job1", "job2"));
                assertEquals(KeyValue.just(p + "queue", "job1"), popped.get(5, TimeUnit.SECONDS));
                assertEquals("job2", moved.get(5, TimeUnit.SECONDS));
                assertEquals(List.of("job2"), redis.lrange(p + "done", 0, -1));
                long started = System.nanoTime();
                assertNull(waiter.sync().brpop(0.1, p + "empty"));
                assertTrue(System.nanoTime() - started >= 90_000_000L);
                redis.del(l, p + "done", p + "string");
            }
        });
    }
}
