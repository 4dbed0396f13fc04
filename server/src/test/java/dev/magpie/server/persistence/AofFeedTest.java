package dev.magpie.server.persistence;

import dev.magpie.server.MagpieServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What the feed appends for each kind of write (appendfsync always: the file is complete once a reply arrives). */
class AofFeedTest {
    @TempDir
    Path dir;

    @Test
    void rewritesForDeterministicReplay() throws Exception {
        MagpieServer server = AofServers.start(dir, "--appendfsync", "always");
        try (AofTestClient c = new AofTestClient(server.port())) {
            long before = System.currentTimeMillis();
            assertEquals("+OK", c.call("SET", "plain", "v"));
            assertEquals("$v", c.call("GET", "plain"));                          // reads are not appended
            assertEquals("-ERR value is not an integer or out of range", c.call("INCR", "plain")); // nor failures
            assertEquals("+OK", c.call("SET", "ttl", "v", "NX", "EX", "100"));
            assertEquals("+OK", c.call("SETEX", "sx", "50", "v"));
            assertEquals(":1", c.call("EXPIRE", "plain", "1000"));
            assertEquals(":0", c.call("EXPIRE", "missing", "1000"));              // nothing changed: not appended
            assertEquals("$2.5", c.call("INCRBYFLOAT", "f", "2.5"));
            assertEquals(":1", c.call("HSET", "h", "n", "1"));
            assertEquals("$1.5", c.call("HINCRBYFLOAT", "h", "n", "0.5"));
            assertEquals(":1", c.call("SADD", "s", "only"));
            assertEquals("$only", c.call("SPOP", "s"));
            assertEquals(":2", c.call("RPUSH", "l", "a", "b"));
            assertEquals("*[$l, $a]", c.call("BLPOP", "l", "0"));
            assertEquals("+OK", c.call("SELECT", "5"));
            assertEquals("+OK", c.call("SET", "five", "5"));
            assertEquals(":1", c.call("PEXPIRE", "five", "-1"));                  // a past time deletes: DEL
            long after = System.currentTimeMillis();

            List<List<String>> aof = AofServers.commands(AofServers.incr(dir));
            int i = 0;
            assertEquals(List.of("SELECT", "0"), aof.get(i++));
            assertEquals(List.of("SET", "plain", "v"), upper(aof.get(i++)));
            List<String> ttl = aof.get(i++);
            assertEquals(List.of("SET", "ttl", "v", "NX", "PXAT"), upper(ttl.subList(0, 5)));
            assertWithin(Long.parseLong(ttl.get(5)), before + 100_000, after + 100_000);
            List<String> setex = aof.get(i++);
            assertEquals(List.of("SET", "sx", "v", "PXAT"), setex.subList(0, 4));
            assertWithin(Long.parseLong(setex.get(4)), before + 50_000, after + 50_000);
            List<String> expire = aof.get(i++);
            assertEquals(List.of("PEXPIREAT", "plain"), expire.subList(0, 2));
            assertWithin(Long.parseLong(expire.get(2)), before + 1_000_000, after + 1_000_000);
            assertEquals(List.of("SET", "f", "2.5", "KEEPTTL"), aof.get(i++));
            assertEquals(List.of("HSET", "h", "n", "1"), upper(aof.get(i++)));
            assertEquals(List.of("HSET", "h", "n", "1.5"), aof.get(i++));
            assertEquals(List.of("SADD", "s", "only"), upper(aof.get(i++)));
            assertEquals(List.of("SREM", "s", "only"), aof.get(i++));
            assertEquals(List.of("RPUSH", "l", "a", "b"), upper(aof.get(i++)));
            assertEquals(List.of("LPOP", "l"), aof.get(i++));
            assertEquals(List.of("SELECT", "5"), aof.get(i++));
            assertEquals(List.of("SET", "five", "5"), upper(aof.get(i++)));
            assertEquals(List.of("DEL", "five"), aof.get(i++));
            assertEquals(i, aof.size(), "nothing else appended: " + aof);
        } finally {
            server.close();
        }
    }

    @Test
    void blockedPopServedLaterIsAppendedAsItsNonBlockingForm() throws Exception {
        MagpieServer server = AofServers.start(dir, "--appendfsync", "always");
        try (AofTestClient waiter = new AofTestClient(server.port()); AofTestClient pusher = new AofTestClient(server.port())) {
            Thread blocked = new Thread(() -> {
                try {
                    assertEquals("*[$q, $x]", waiter.call("BRPOP", "q", "5"));
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            });
            blocked.start();
            long deadline = System.currentTimeMillis() + 5000;
            while (!pusher.call("INFO", "clients").contains("blocked_clients:1") && System.currentTimeMillis() < deadline) {
                Thread.sleep(5);
            }
            assertEquals(":1", pusher.call("LPUSH", "q", "x"));
            blocked.join(5000);
            List<List<String>> aof = AofServers.commands(AofServers.incr(dir));
            assertEquals(List.of("LPUSH", "q", "x"), upper(aof.get(1)));
            assertEquals(List.of("RPOP", "q"), aof.get(2));
        } finally {
            server.close();
        }
    }

    @Test
    void expiredKeysAreAppendedAsDel() throws Exception {
        MagpieServer server = AofServers.start(dir, "--appendfsync", "always");
        try (AofTestClient c = new AofTestClient(server.port())) {
            assertEquals("+OK", c.call("SET", "k", "v", "PX", "20"));
            Thread.sleep(60);
            assertEquals("(nil)", c.call("GET", "k"));
            List<List<String>> aof = AofServers.commands(AofServers.incr(dir));
            assertTrue(aof.contains(List.of("DEL", "k")), aof.toString());
        } finally {
            server.close();
        }
    }

    @Test
    void verbatimCommandsAreAppendedByteForByteWhateverTheirArgumentLengths() throws Exception {
        MagpieServer server = AofServers.start(dir, "--appendfsync", "always");
        try (AofTestClient c = new AofTestClient(server.port())) {
            int[] lengths = {0, 1, 9, 10, 99, 100, 999, 1000, 9999, 10_000, 123_456};
            String[] command = new String[2 + lengths.length];
            command[0] = "RPUSH";
            command[1] = "lengths";
            StringBuilder expected = new StringBuilder("*2\r\n$6\r\nSELECT\r\n$1\r\n0\r\n*" + command.length + "\r\n");
            expected.append("$5\r\nRPUSH\r\n$7\r\nlengths\r\n");
            for (int i = 0; i < lengths.length; i++) {
                command[2 + i] = String.valueOf((char) ('a' + i)).repeat(lengths[i]);
                expected.append('$').append(lengths[i]).append("\r\n").append(command[2 + i]).append("\r\n");
            }
            assertEquals(":" + lengths.length, c.call(command));
            String file = java.nio.file.Files.readString(AofServers.incr(dir), java.nio.charset.StandardCharsets.US_ASCII);
            assertEquals(expected.toString(), file);
        } finally {
            server.close();
        }
    }

    @Test
    void inlineCommandsAndOddLineEndsAreAppendedAsRedisWritesThem() throws Exception {
        MagpieServer server = AofServers.start(dir, "--appendfsync", "always");
        try (AofTestClient c = new AofTestClient(server.port())) {
            assertEquals("+OK", c.send("set inline \"a b\"\r\n"));
            // Redis skips the bytes after a count line's CR and after a bulk unread.
            assertEquals("+OK", c.send("*3\rx$3\r\nSET\r\n$3\r\nodd\r\n$1\r\nvxx"));
            assertEquals(":1", c.send("*2\r\n$4\r\nincr\r\n$1\r\nn\r\n"));
            String file = java.nio.file.Files.readString(AofServers.incr(dir), java.nio.charset.StandardCharsets.US_ASCII);
            assertEquals("*2\r\n$6\r\nSELECT\r\n$1\r\n0\r\n"
                    + "*3\r\n$3\r\nset\r\n$6\r\ninline\r\n$3\r\na b\r\n"
                    + "*3\r\n$3\r\nSET\r\n$3\r\nodd\r\n$1\r\nv\r\n"
                    + "*2\r\n$4\r\nincr\r\n$1\r\nn\r\n", file);
        } finally {
            server.close();
        }
    }

    private static List<String> upper(List<String> command) {
        List<String> copy = new java.util.ArrayList<>(command);
        copy.set(0, copy.get(0).toUpperCase(java.util.Locale.ROOT));
        return copy;
    }

    private static void assertWithin(long value, long low, long high) {
        assertTrue(value >= low && value <= high, value + " not in [" + low + ", " + high + "]");
    }
}
