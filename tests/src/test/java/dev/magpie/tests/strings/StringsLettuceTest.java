package dev.magpie.tests.strings;

import dev.magpie.tests.support.LettuceOnMagpie;
import io.lettuce.core.GetExArgs;
import io.lettuce.core.KeyValue;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.SetArgs;
import io.lettuce.core.StringMatchResult;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.output.StringMatchResultOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.ProtocolKeyword;
import io.lettuce.core.protocol.ProtocolVersion;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The string commands through Lettuce, a real client, in RESP2 and RESP3. */
class StringsLettuceTest {
    @RegisterExtension
    static final LettuceOnMagpie lettuce = new LettuceOnMagpie();

    @ParameterizedTest
    @EnumSource(value = ProtocolVersion.class, names = {"RESP2", "RESP3"})
    void stringCommandsWorkThroughLettuce(ProtocolVersion protocol) throws Exception {
        lettuce.withCommands(protocol, redis -> {
            String p = "lettuce:" + protocol + ":";
            assertEquals("OK", redis.set(p + "a", "1"));
            assertEquals("1", redis.get(p + "a"));
            assertNull(redis.get(p + "missing"));
            assertEquals("1", redis.setGet(p + "a", "2"));
            assertNull(redis.set(p + "a", "3", SetArgs.Builder.nx()));
            assertEquals("OK", redis.set(p + "b", "v", SetArgs.Builder.ex(100)));
            assertTrue(redis.setnx(p + "c", "x"));
            assertFalse(redis.setnx(p + "c", "y"));
            assertEquals("OK", redis.setex(p + "d", 100, "v"));
            assertEquals("OK", redis.psetex(p + "e", 100_000, "v"));
            assertEquals("x", redis.getset(p + "c", "z"));
            assertEquals("z", redis.getdel(p + "c"));
            assertNull(redis.getdel(p + "c"));
            assertEquals("v", redis.getex(p + "d", GetExArgs.Builder.persist()));
            assertEquals("OK", redis.mset(Map.of(p + "m1", "x", p + "m2", "y")));
            assertFalse(redis.msetnx(Map.of(p + "m1", "z", p + "m3", "w")));
            assertTrue(redis.msetnx(Map.of(p + "m3", "w", p + "m4", "v")));
            List<KeyValue<String, String>> values = redis.mget(p + "m1", p + "none", p + "m3");
            assertEquals("x", values.get(0).getValue());
            assertFalse(values.get(1).hasValue());
            assertEquals(5L, redis.append(p + "s", "hello"));
            assertEquals(11L, redis.append(p + "s", " world"));
            assertEquals(11L, redis.strlen(p + "s"));
            assertEquals("world", redis.getrange(p + "s", -5, -1));
            assertEquals(11L, redis.setrange(p + "s", 0, "HELLO"));
            assertEquals("HELLO world", redis.get(p + "s"));
            assertEquals(1L, redis.incr(p + "n"));
            assertEquals(11L, redis.incrby(p + "n", 10));
            assertEquals(10L, redis.decr(p + "n"));
            assertEquals(0L, redis.decrby(p + "n", 10));
            assertEquals(10.5, redis.incrbyfloat(p + "f", 10.5));
            assertEquals(3010.5, redis.incrbyfloat(p + "f", 3.0e3));
            RedisCommandExecutionException notInteger = assertThrows(RedisCommandExecutionException.class,
                    () -> redis.incr(p + "s"));
            assertEquals("ERR value is not an integer or out of range", notInteger.getMessage());

            redis.set(p + "l1", "ohmytext");
            redis.set(p + "l2", "mynewtext");
            CommandArgs<String, String> args = new CommandArgs<>(StringCodec.UTF8)
                    .addKey(p + "l1").addKey(p + "l2").add("IDX").add("MINMATCHLEN").add(4).add("WITHMATCHLEN");
            StringMatchResult lcs = redis.dispatch(LCS, new StringMatchResultOutput<>(StringCodec.UTF8), args);
            assertEquals(6, lcs.getLen());
            assertEquals(1, lcs.getMatches().size());
            assertEquals(4, lcs.getMatches().get(0).getA().getStart());
            assertEquals(7, lcs.getMatches().get(0).getA().getEnd());
            assertEquals(4, lcs.getMatches().get(0).getMatchLen());
        });
    }

    private static final ProtocolKeyword LCS = new ProtocolKeyword() {
        private final byte[] bytes = "LCS".getBytes(StandardCharsets.US_ASCII);

        @Override
        public byte[] getBytes() {
            return bytes;
        }
    };
}
