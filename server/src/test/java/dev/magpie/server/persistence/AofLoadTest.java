package dev.magpie.server.persistence;

import dev.magpie.server.MagpieServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Loading at startup: a whole AOF, a truncated tail, corruption in the middle, and a rewritten AOF. */
class AofLoadTest {
    @TempDir
    Path dir;

    private void fill(AofTestClient c) throws Exception {
        assertEquals("+OK", c.call("SET", "s", "text"));
        assertEquals("+OK", c.call("SET", "n", "41"));
        assertEquals(":42", c.call("INCR", "n"));
        assertEquals(":3", c.call("RPUSH", "l", "a", "b", "c"));
        assertEquals(":2", c.call("HSET", "h", "f", "v", "g", "w"));
        assertEquals(":3", c.call("SADD", "set", "1", "2", "x"));
        assertEquals(":2", c.call("ZADD", "z", "1.5", "m", "-inf", "low"));
        assertEquals(":1", c.call("EXPIRE", "s", "1000"));
        assertEquals("+OK", c.call("SELECT", "2"));
        assertEquals("+OK", c.call("SET", "other", "db2"));
    }

    private void check(AofTestClient c) throws Exception {
        assertEquals("$text", c.call("GET", "s"));
        String ttl = c.call("TTL", "s");
        assertTrue(ttl.equals(":1000") || ttl.equals(":999"), ttl);
        assertEquals("$42", c.call("GET", "n"));
        assertEquals("*[$a, $b, $c]", c.call("LRANGE", "l", "0", "-1"));
        assertEquals("$w", c.call("HGET", "h", "g"));
        assertEquals(":3", c.call("SCARD", "set"));
        assertEquals("*[$low, $-inf, $m, $1.5]", c.call("ZRANGE", "z", "0", "-1", "WITHSCORES"));
        assertEquals("+OK", c.call("SELECT", "2"));
        assertEquals("$db2", c.call("GET", "other"));
    }

    @Test
    void restartLoadsWhatWasWritten() throws Exception {
        MagpieServer first = AofServers.start(dir);
        try (AofTestClient c = new AofTestClient(first.port())) {
            fill(c);
        }
        first.close();
        MagpieServer second = AofServers.start(dir);
        try (AofTestClient c = new AofTestClient(second.port())) {
            check(c);
            assertTrue(c.call("INFO", "persistence").contains("aof_enabled:1"));
        } finally {
            second.close();
        }
    }

    @Test
    void truncatedTailIsDroppedAndTheRestLoads() throws Exception {
        MagpieServer first = AofServers.start(dir);
        try (AofTestClient c = new AofTestClient(first.port())) {
            fill(c);
        }
        first.close();
        Path incr = AofServers.incr(dir);
        long whole = Files.size(incr);
        String partial = "*3\r\n$3\r\nSET\r\n$4\r\nlost\r\n$5\r\nval";
        Files.write(incr, partial.getBytes(StandardCharsets.US_ASCII), StandardOpenOption.APPEND);
        MagpieServer second = AofServers.start(dir);
        try (AofTestClient c = new AofTestClient(second.port())) {
            check(c);
            assertEquals("+OK", c.call("SELECT", "0"));
            assertEquals(":0", c.call("EXISTS", "lost"));
            // the file was cut back to its last whole command, then appending went on
            assertEquals("+OK", c.call("SET", "after", "1"));
        } finally {
            second.close();
        }
        assertTrue(Files.size(incr) > whole);
        assertFalse(new String(Files.readAllBytes(incr), StandardCharsets.US_ASCII).contains("lost"));
        MagpieServer third = AofServers.start(dir);
        try (AofTestClient c = new AofTestClient(third.port())) {
            assertEquals("$1", c.call("GET", "after"));
        } finally {
            third.close();
        }
    }

    @Test
    void truncatedTailStopsStartupWhenNotAllowed() throws Exception {
        MagpieServer first = AofServers.start(dir);
        try (AofTestClient c = new AofTestClient(first.port())) {
            fill(c);
        }
        first.close();
        Files.write(AofServers.incr(dir), "*2\r\n$3\r\nDEL".getBytes(StandardCharsets.US_ASCII), StandardOpenOption.APPEND);
        String failure = AofServers.startFailing(dir, "--aof-load-truncated", "no");
        assertTrue(failure.startsWith("Unexpected end of file reading the append only file appendonly.aof.1.incr.aof"),
                failure);
    }

    @Test
    void corruptionInTheMiddleStopsStartupWithTheOffset() throws Exception {
        MagpieServer first = AofServers.start(dir);
        try (AofTestClient c = new AofTestClient(first.port())) {
            fill(c);
        }
        first.close();
        Path incr = AofServers.incr(dir);
        byte[] bytes = Files.readAllBytes(incr);
        String text = new String(bytes, StandardCharsets.ISO_8859_1);
        int corruptAt = text.lastIndexOf('*', text.toLowerCase().indexOf("incr"));
        bytes[corruptAt] = '?';
        Files.write(incr, bytes);
        String failure = AofServers.startFailing(dir);
        assertTrue(failure.startsWith("Bad file format reading the append only file appendonly.aof.1.incr.aof at offset "
                + corruptAt), failure);
    }

    @ParameterizedTest(name = "aof-use-rdb-preamble {0}")
    @ValueSource(strings = {"yes", "no"})
    void rewriteCompactsIntoANewBaseWhileServing(String preamble) throws Exception {
        String base = preamble.equals("yes") ? ".base.rdb" : ".base.aof";
        MagpieServer first = AofServers.start(dir, "--aof-use-rdb-preamble", preamble);
        try (AofTestClient c = new AofTestClient(first.port())) {
            fill(c);
            assertEquals("+OK", c.call("SELECT", "0"));
            for (int i = 0; i < 2000; i++) {
                c.call("INCR", "counter");
            }
            assertEquals("+Background append only file rewriting started", c.call("BGREWRITEAOF"));
            // writes during and after the rewrite go to the new incremental file
            for (int i = 0; i < 100; i++) {
                c.call("INCR", "counter");
            }
            AofServers.awaitFirstRewrite(c);
            assertTrue(c.call("INFO", "persistence").contains("aof_last_bgrewrite_status:ok"));
            assertEquals("$2100", c.call("GET", "counter"));
        }
        first.close();
        Path aofDir = dir.resolve("appendonlydir");
        assertEquals("file appendonly.aof.2" + base + " seq 2 type b\nfile appendonly.aof.2.incr.aof seq 2 type i\n",
                Files.readString(aofDir.resolve("appendonly.aof.manifest")));
        assertFalse(Files.exists(aofDir.resolve("appendonly.aof.1.incr.aof")));
        assertFalse(Files.exists(aofDir.resolve("appendonly.aof.1" + base)));
        byte[] head = Arrays.copyOf(Files.readAllBytes(aofDir.resolve("appendonly.aof.2" + base)), 9);
        assertEquals(preamble.equals("yes") ? "REDIS0010" : "*2\r\n$6\r\nS", new String(head, StandardCharsets.ISO_8859_1));
        // Loads whatever the setting is now: the file says what it is.
        MagpieServer second = AofServers.start(dir, "--aof-use-rdb-preamble", preamble.equals("yes") ? "no" : "yes");
        try (AofTestClient c = new AofTestClient(second.port())) {
            assertEquals("$2100", c.call("GET", "counter"));
            check(c);
        } finally {
            second.close();
        }
    }
}
