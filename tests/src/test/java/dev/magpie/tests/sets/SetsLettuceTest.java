package dev.magpie.tests.sets;

import dev.magpie.tests.support.LettuceOnMagpie;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.ValueScanCursor;
import io.lettuce.core.protocol.ProtocolVersion;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The set commands through Lettuce, a real client, in RESP2 and RESP3. */
class SetsLettuceTest {
    @RegisterExtension
    static final LettuceOnMagpie lettuce = new LettuceOnMagpie();

    @ParameterizedTest
    @EnumSource(value = ProtocolVersion.class, names = {"RESP2", "RESP3"})
    void setCommandsWorkThroughLettuce(ProtocolVersion protocol) throws Exception {
        lettuce.withCommands(protocol, redis -> {
            String p = "lettuce:" + protocol + ":";
            assertEquals(3L, redis.sadd(p + "a", "3", "1", "2"));
            assertEquals(Set.of("1", "2", "3"), redis.smembers(p + "a"));
            assertEquals(2L, redis.sadd(p + "b", "2", "x"));
            assertEquals(3L, redis.scard(p + "a"));
            assertTrue(redis.sismember(p + "a", "2"));
            assertEquals(List.of(true, false), redis.smismember(p + "a", "1", "9"));
            assertEquals(Set.of("2"), redis.sinter(p + "a", p + "b"));
            assertEquals(1L, redis.sintercard(p + "a", p + "b"));
            assertEquals(Set.of("1", "2", "3", "x"), redis.sunion(p + "a", p + "b"));
            assertEquals(Set.of("1", "3"), redis.sdiff(p + "a", p + "b"));
            assertEquals(2L, redis.sdiffstore(p + "d", p + "a", p + "b"));
            assertEquals(4L, redis.sunionstore(p + "u", p + "a", p + "b"));
            assertEquals(1L, redis.sinterstore(p + "i", p + "a", p + "b"));
            assertTrue(redis.smove(p + "a", p + "b", "1"));
            assertFalse(redis.smove(p + "a", p + "b", "1"));
            assertTrue(Set.of("2", "3").contains(redis.srandmember(p + "a")));
            assertEquals(2, redis.srandmember(p + "a", 5).size());
            assertEquals(5, redis.srandmember(p + "a", -5).size());
            ValueScanCursor<String> scan = redis.sscan(p + "b", ScanCursor.INITIAL);
            assertEquals(Set.of("1", "2", "x"), new HashSet<>(scan.getValues()));
            String popped = redis.spop(p + "a");
            assertTrue(Set.of("2", "3").contains(popped));
            assertEquals(1, redis.spop(p + "a", 5).size());
            assertNull(redis.spop(p + "a"));
            assertEquals(1L, redis.srem(p + "b", "x", "nope"));
        });
    }
}
