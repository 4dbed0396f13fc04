package dev.magpie.tests.admin;

import dev.magpie.server.keyspace.OffHeap;
import dev.magpie.tests.support.Magpie;
import dev.magpie.tests.support.RawRespClient;
import dev.magpie.tests.support.SharedMagpie;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.ByteArrayOutputStream;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.magpie.tests.admin.ClientAdminTest.integer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** SLOWLOG, LATENCY, DEBUG, FLUSH*, SWAPDB, MEMORY and SHUTDOWN end to end against an in-process Magpie. */
class ServerAdminTest {
    @RegisterExtension
    static final SharedMagpie shared = new SharedMagpie("--enable-debug-command", "yes");

    @Test
    void slowlogRecordsDebugSleepWithItsClient() {
        try (RawRespClient client = shared.magpie().connect()) {
            assertEquals("+OK\r\n", client.callText("CONFIG", "SET", "slowlog-log-slower-than", "0"));
            try {
                assertEquals("+OK\r\n", client.callText("SLOWLOG", "RESET"));
                client.callText("CLIENT", "SETNAME", "sleeper");
                assertEquals("+OK\r\n", client.callText("DEBUG", "SLEEP", "0.05"));
                String addr = ClientAdminTest.fields(ClientAdminTest.bulk(client.callText("CLIENT", "INFO")).trim())
                        .get("addr");
                String entries = client.callText("SLOWLOG", "GET", "2");
                // Newest first: CLIENT INFO, then DEBUG SLEEP.
                Matcher m = Pattern.compile("\\*2\r\n\\*6\r\n:(\\d+)\r\n:\\d+\r\n:\\d+\r\n\\*2\r\n\\$6\r\nCLIENT\r\n\\$4\r\n"
                        + "INFO\r\n\\$\\d+\r\n" + Pattern.quote(addr) + "\r\n\\$7\r\nsleeper\r\n"
                        + "\\*6\r\n:(\\d+)\r\n:(\\d+)\r\n:(\\d+)\r\n\\*3\r\n\\$5\r\nDEBUG\r\n\\$5\r\nSLEEP\r\n\\$4\r\n0.05\r\n"
                        + "\\$\\d+\r\n" + Pattern.quote(addr) + "\r\n\\$7\r\nsleeper\r\n").matcher(entries);
                assertTrue(m.matches(), entries);
                assertEquals(Long.parseLong(m.group(1)), Long.parseLong(m.group(2)) + 1, "ids count up");
                long seconds = Long.parseLong(m.group(3));
                assertTrue(Math.abs(seconds - System.currentTimeMillis() / 1000) < 5, "timestamp " + seconds);
                assertTrue(Long.parseLong(m.group(4)) >= 50_000, "duration " + m.group(4) + " µs");
                assertTrue(integer(client.callText("SLOWLOG", "LEN")) >= 3);
                assertEquals("+OK\r\n", client.callText("SLOWLOG", "RESET"));
                assertEquals(":1\r\n", client.callText("SLOWLOG", "LEN"), "the RESET itself is logged after it ran");
            } finally {
                client.callText("CONFIG", "SET", "slowlog-log-slower-than", "10000");
            }
        }
    }

    @Test
    void latencyMonitorSeesDebugSleepOverTheThreshold() {
        try (RawRespClient client = shared.magpie().connect()) {
            assertEquals("+OK\r\n", client.callText("CONFIG", "SET", "latency-monitor-threshold", "20"));
            try {
                client.callText("LATENCY", "RESET");
                assertEquals("*0\r\n", client.callText("LATENCY", "LATEST"));
                assertEquals("+OK\r\n", client.callText("DEBUG", "SLEEP", "0.04"));
                String latest = client.callText("LATENCY", "LATEST");
                Matcher m = Pattern.compile("\\*1\r\n\\*4\r\n\\$7\r\ncommand\r\n:(\\d+)\r\n:(\\d+)\r\n:(\\d+)\r\n")
                        .matcher(latest);
                assertTrue(m.matches(), latest);
                assertTrue(Long.parseLong(m.group(2)) >= 40, latest);
                assertEquals(m.group(2), m.group(3), "the only sample is also the maximum");
                String history = client.callText("LATENCY", "HISTORY", "command");
                assertEquals("*1\r\n*2\r\n:" + m.group(1) + "\r\n:" + m.group(2) + "\r\n", history);
                assertEquals("*0\r\n", client.callText("LATENCY", "HISTORY", "nothing"));
                assertEquals(":1\r\n", client.callText("LATENCY", "RESET", "command", "nothing"));
                assertEquals("*0\r\n", client.callText("LATENCY", "LATEST"));
            } finally {
                client.callText("CONFIG", "SET", "latency-monitor-threshold", "0");
            }
        }
    }

    @Test
    void debugObjectAndActiveExpireSwitch() {
        try (RawRespClient client = shared.magpie().connect()) {
            client.callText("SET", "dbg:emb", "hello");
            client.callText("SET", "dbg:int", "123");
            client.callText("SET", "dbg:big", "99999999999");
            assertTrue(client.callText("DEBUG", "OBJECT", "dbg:emb").matches(
                    "\\+Value at:0x[0-9a-f]+ refcount:1 encoding:embstr serializedlength:6 lru:\\d+ lru_seconds_idle:\\d+\r\n"));
            assertTrue(client.callText("DEBUG", "OBJECT", "dbg:int").matches(
                    "\\+Value at:0x[0-9a-f]+ refcount:2147483647 encoding:int serializedlength:2 lru:\\d+ lru_seconds_idle:\\d+\r\n"));
            assertTrue(client.callText("DEBUG", "OBJECT", "dbg:big").matches(
                    "\\+Value at:0x[0-9a-f]+ refcount:1 encoding:int serializedlength:12 .*\r\n"));
            assertEquals("-ERR no such key\r\n", client.callText("DEBUG", "OBJECT", "dbg:none"));

            assertEquals("+OK\r\n", client.callText("DEBUG", "SET-ACTIVE-EXPIRE", "0"));
            assertTrue(!shared.magpie().server().engine().activeExpireEnabled());
            assertEquals("+OK\r\n", client.callText("DEBUG", "SET-ACTIVE-EXPIRE", "1"));
            assertTrue(shared.magpie().server().engine().activeExpireEnabled());
        }
    }

    @Test
    void flushallAsyncEmptiesAtOnceAndFreesMemoryOffTheEngine() {
        try (RawRespClient client = shared.magpie().connect()) {
            client.callText("FLUSHALL");
            shared.magpie().server().engine().lazyFree().drain();
            int keys = 20_000;
            ByteArrayOutputStream pipeline = new ByteArrayOutputStream();
            for (int i = 0; i < keys; i++) {
                byte[] command = dev.magpie.tests.support.Resp.command("SET", "flush:" + i, "v".repeat(60) + i);
                pipeline.writeBytes(command);
            }
            client.sendRaw(pipeline.toByteArray());
            for (int i = 0; i < keys; i++) {
                client.readReply();
            }
            client.callText("SELECT", "5");
            client.callText("SET", "other-db", "x");
            long before = OffHeap.allocatedBytes();
            assertEquals("+OK\r\n", client.callText("FLUSHALL", "ASYNC"));
            assertEquals(":0\r\n", client.callText("DBSIZE"));
            client.callText("SELECT", "0");
            assertEquals(":0\r\n", client.callText("DBSIZE"));
            shared.magpie().server().engine().lazyFree().drain();
            long freed = before - OffHeap.allocatedBytes();
            assertTrue(freed >= keys * 80L, "only " + freed + " bytes freed");
        }
    }

    @Test
    void swapdbKeepsEachSessionOnItsIndex() {
        try (RawRespClient on0 = shared.magpie().connect(); RawRespClient on1 = shared.magpie().connect()) {
            on0.callText("FLUSHALL", "SYNC");
            on1.callText("SELECT", "1");
            on0.callText("SET", "where", "zero");
            on1.callText("SET", "where", "one");
            on1.callText("SET", "extra", "1");
            assertEquals("+OK\r\n", on0.callText("SWAPDB", "0", "1"));
            assertEquals("$3\r\none\r\n", on0.callText("GET", "where"));
            assertEquals(":2\r\n", on0.callText("DBSIZE"));
            assertEquals("$4\r\nzero\r\n", on1.callText("GET", "where"));
            assertEquals("+OK\r\n", on0.callText("FLUSHDB"));
            assertEquals(":0\r\n", on0.callText("DBSIZE"));
            assertEquals(":1\r\n", on1.callText("DBSIZE"));
        }
    }

    @Test
    void memoryUsageCountsTheEntry() {
        try (RawRespClient client = shared.magpie().connect()) {
            client.callText("SET", "mem:small", "x");
            client.callText("SET", "mem:large", "y".repeat(1000));
            long small = integer(client.callText("MEMORY", "USAGE", "mem:small"));
            long large = integer(client.callText("MEMORY", "USAGE", "mem:large", "SAMPLES", "0"));
            assertTrue(small > 9 && small < 100, "small " + small);
            assertTrue(large - small >= 999, "large " + large + " small " + small);
            assertEquals("$-1\r\n", client.callText("MEMORY", "USAGE", "mem:none"));
            assertTrue(client.callText("MEMORY", "STATS").contains("$18\r\nkeys.bytes-per-key\r\n"));
        }
    }

    @Test
    void debugIsRefusedUnlessEnabledAndLocalMeansLoopback() {
        try (Magpie closed = Magpie.start(); RawRespClient client = closed.connect()) {
            assertEquals("-ERR DEBUG command not allowed. If the enable-debug-command option is set to \"local\", you can"
                    + " run it from a local connection, otherwise you need to set this option in the configuration"
                    + " file, and then restart the server.\r\n", client.callText("DEBUG", "SLEEP", "0"));
        }
        try (Magpie local = Magpie.start("--enable-debug-command", "local"); RawRespClient client = local.connect()) {
            assertEquals("+OK\r\n", client.callText("DEBUG", "SLEEP", "0"));
        }
    }

    @Test
    void shutdownStopsTheServer() throws Exception {
        Magpie doomed = Magpie.start();
        try (RawRespClient client = doomed.connect()) {
            assertEquals("-ERR No shutdown in progress.\r\n", client.callText("SHUTDOWN", "ABORT"));
            assertEquals("-ERR syntax error\r\n", client.callText("SHUTDOWN", "SAVE", "NOSAVE"));
            client.send("SHUTDOWN", "NOSAVE");
            assertTrue(client.closedByPeerWithin(5000));
            CompletableFuture<Void> stopped = CompletableFuture.runAsync(() -> {
                try {
                    doomed.server().awaitStop();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            stopped.get(5, TimeUnit.SECONDS);
        } finally {
            doomed.close();
        }
    }
}
