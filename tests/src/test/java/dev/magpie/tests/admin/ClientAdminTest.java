package dev.magpie.tests.admin;

import dev.magpie.tests.support.RawRespClient;
import dev.magpie.tests.support.SharedMagpie;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** CLIENT end to end against an in-process Magpie: LIST/INFO fields, KILL, PAUSE, REPLY, MONITOR. */
class ClientAdminTest {
    @RegisterExtension
    static final SharedMagpie shared = new SharedMagpie("--enable-debug-command", "yes");

    /** The body of a bulk-string reply. */
    static String bulk(String reply) {
        assertTrue(reply.startsWith("$"), reply);
        return reply.substring(reply.indexOf("\r\n") + 2, reply.length() - 2);
    }

    static long integer(String reply) {
        assertTrue(reply.startsWith(":"), reply);
        return Long.parseLong(reply.substring(1, reply.length() - 2));
    }

    /** One CLIENT LIST line as an ordered field map. */
    static Map<String, String> fields(String line) {
        Map<String, String> fields = new LinkedHashMap<>();
        for (String pair : line.split(" ")) {
            int eq = pair.indexOf('=');
            fields.put(pair.substring(0, eq), pair.substring(eq + 1));
        }
        return fields;
    }

    @Test
    void clientListHasRedisFieldsInRedisOrder() {
        try (RawRespClient a = shared.magpie().connect(); RawRespClient b = shared.magpie().connect()) {
            long idA = integer(a.callText("CLIENT", "ID"));
            long idB = integer(b.callText("CLIENT", "ID"));
            assertEquals("+OK\r\n", b.callText("CLIENT", "SETNAME", "worker-b"));
            assertEquals("+OK\r\n", b.callText("SELECT", "3"));
            assertEquals("+OK\r\n", b.callText("CLIENT", "SETINFO", "LIB-NAME", "mylib"));
            String list = bulk(a.callText("CLIENT", "LIST"));
            assertTrue(list.endsWith("\n"), list);
            Map<Long, Map<String, String>> byId = new LinkedHashMap<>();
            for (String line : list.split("\n")) {
                Map<String, String> f = fields(line);
                byId.put(Long.parseLong(f.get("id")), f);
            }
            Map<String, String> mine = byId.get(idA);
            Map<String, String> other = byId.get(idB);
            assertEquals(List.of("id", "addr", "laddr", "fd", "name", "age", "idle", "flags", "db", "sub", "psub",
                    "ssub", "multi", "qbuf", "qbuf-free", "argv-mem", "multi-mem", "rbs", "rbp", "obl", "oll", "omem",
                    "tot-mem", "events", "cmd", "user", "redir", "resp", "lib-name", "lib-ver"),
                    new ArrayList<>(mine.keySet()));
            assertEquals("client|list", mine.get("cmd"));
            assertEquals("N", mine.get("flags"));
            assertEquals("0", mine.get("db"));
            assertEquals("worker-b", other.get("name"));
            assertEquals("3", other.get("db"));
            assertEquals("client|setinfo", other.get("cmd"));
            assertEquals("mylib", other.get("lib-name"));
            assertEquals("default", other.get("user"));
            assertEquals("-1", other.get("redir"));
            assertEquals("2", other.get("resp"));
            assertEquals(other.get("addr"), fields(bulk(b.callText("CLIENT", "INFO")).trim()).get("addr"));

            String one = bulk(a.callText("CLIENT", "LIST", "ID", String.valueOf(idB), "999999"));
            assertEquals(1, one.split("\n").length);
            assertTrue(one.startsWith("id=" + idB + " "), one);
            String info = bulk(b.callText("CLIENT", "INFO"));
            assertTrue(info.contains(" cmd=client|info "), info);
            assertTrue(bulk(a.callText("CLIENT", "LIST", "TYPE", "normal")).contains("id=" + idB + " "));
            assertEquals("$0\r\n\r\n", a.callText("CLIENT", "LIST", "TYPE", "pubsub"));
            assertEquals("$8\r\nworker-b\r\n", b.callText("CLIENT", "GETNAME"));

            b.callText("CLIENT", "NO-EVICT", "on");
            b.callText("CLIENT", "NO-TOUCH", "on");
            assertEquals("eT", fields(bulk(b.callText("CLIENT", "INFO")).trim()).get("flags"));
        }
    }

    @Test
    void clientInfoIsVerbatimInResp3() {
        try (RawRespClient a = shared.magpie().connect()) {
            a.callText("HELLO", "3");
            String info = a.callText("CLIENT", "INFO");
            assertTrue(info.startsWith("="), info);
            assertTrue(info.contains("\r\ntxt:id="), info);
            assertTrue(info.contains(" resp=3 "), info);
        }
    }

    @Test
    void killByIdAddrAndOldForm() {
        try (RawRespClient killer = shared.magpie().connect(); RawRespClient victim = shared.magpie().connect();
             RawRespClient second = shared.magpie().connect()) {
            long victimId = integer(victim.callText("CLIENT", "ID"));
            assertEquals(":1\r\n", killer.callText("CLIENT", "KILL", "ID", String.valueOf(victimId)));
            assertTrue(victim.closedByPeerWithin(2000));
            assertFalse(bulk(killer.callText("CLIENT", "LIST")).contains("id=" + victimId + " "),
                    "a killed client leaves CLIENT LIST at once");
            assertEquals(":0\r\n", killer.callText("CLIENT", "KILL", "ID", String.valueOf(victimId)));

            String addr = fields(bulk(second.callText("CLIENT", "INFO")).trim()).get("addr");
            assertEquals("+OK\r\n", killer.callText("CLIENT", "KILL", addr));
            assertTrue(second.closedByPeerWithin(2000));
            assertEquals("-ERR No such client\r\n", killer.callText("CLIENT", "KILL", addr));
            assertEquals("+PONG\r\n", killer.callText("PING"));
        }
    }

    @Test
    void killSkipsTheCallerUnlessToldAndRepliesBeforeClosing() {
        try (RawRespClient self = shared.magpie().connect()) {
            String me = String.valueOf(integer(self.callText("CLIENT", "ID")));
            assertEquals(":0\r\n", self.callText("CLIENT", "KILL", "ID", me));
            assertEquals(":1\r\n", self.callText("CLIENT", "KILL", "ID", me, "SKIPME", "no"));
            assertTrue(self.closedByPeerWithin(2000));
        }
        try (RawRespClient self = shared.magpie().connect()) {
            String addr = fields(bulk(self.callText("CLIENT", "INFO")).trim()).get("addr");
            // Pipelined: the OK arrives, the PING after it is never run.
            self.send("CLIENT", "KILL", addr);
            self.send("PING");
            assertEquals("+OK\r\n", self.readText());
            assertTrue(self.closedByPeerWithin(2000));
        }
    }

    @Test
    void pauseWriteHoldsWritesOfOtherClientsUntilItEnds() throws Exception {
        try (RawRespClient admin = shared.magpie().connect(); RawRespClient writer = shared.magpie().connect();
             RawRespClient reader = shared.magpie().connect()) {
            long started = System.nanoTime();
            assertEquals("+OK\r\n", admin.callText("CLIENT", "PAUSE", "600", "WRITE"));
            CompletableFuture<String> write = CompletableFuture.supplyAsync(() -> writer.callText("SET", "paused", "1"));
            assertEquals("$-1\r\n", reader.callText("GET", "paused"), "reads run during a WRITE pause");
            assertTrue(blockedClientId(reader) > 0);
            assertFalse(write.isDone(), "the write must wait for the pause");
            assertEquals("+OK\r\n", write.get(5, TimeUnit.SECONDS));
            long elapsedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
            assertTrue(elapsedMillis >= 550, "write finished after only " + elapsedMillis + " ms");
            assertEquals("$1\r\n1\r\n", reader.callText("GET", "paused"));
        }
    }

    @Test
    void unpauseReleasesAnAllPauseEarly() throws Exception {
        try (RawRespClient admin = shared.magpie().connect(); RawRespClient other = shared.magpie().connect()) {
            assertEquals("+OK\r\n", admin.callText("CLIENT", "PAUSE", "20000", "WRITE"));
            CompletableFuture<String> write = CompletableFuture.supplyAsync(() -> other.callText("INCR", "released"));
            Thread.sleep(100);
            assertFalse(write.isDone());
            assertEquals(":0\r\n", admin.callText("CLIENT", "UNBLOCK",
                    String.valueOf(blockedClientId(admin)), "ERROR"), "a paused client is not unblockable");
            assertEquals("+OK\r\n", admin.callText("CLIENT", "UNPAUSE"));
            assertEquals(":1\r\n", write.get(3, TimeUnit.SECONDS));
        }
    }

    /** The id of the client CLIENT LIST shows blocked (flag b), waiting up to a second for it to arrive. */
    private static long blockedClientId(RawRespClient admin) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
        String list;
        do {
            list = bulk(admin.callText("CLIENT", "LIST"));
            for (String line : list.split("\n")) {
                Map<String, String> f = fields(line);
                if (f.get("flags").contains("b")) {
                    return Long.parseLong(f.get("id"));
                }
            }
        } while (System.nanoTime() < deadline);
        throw new AssertionError("no blocked client in " + list);
    }

    @Test
    void replyOffAndSkip() {
        try (RawRespClient client = shared.magpie().connect()) {
            client.send("CLIENT", "REPLY", "OFF");
            client.send("SET", "r", "1");
            client.send("CLIENT", "REPLY", "ON");
            assertEquals("+OK\r\n", client.readText());
            client.send("CLIENT", "REPLY", "SKIP");
            client.send("GET", "r");
            client.send("ECHO", "after");
            assertEquals("$5\r\nafter\r\n", client.readText());
        }
    }

    @Test
    void monitorStreamsCommandsInRedisFormat() {
        try (RawRespClient monitor = shared.magpie().connect(); RawRespClient client = shared.magpie().connect()) {
            String port = fields(bulk(client.callText("CLIENT", "INFO")).trim()).get("addr").split(":")[1];
            assertEquals("+OK\r\n", monitor.callText("MONITOR"));
            client.callText("SET", "k", "a \"b\"\n");
            client.callText("SELECT", "2");
            client.callText("AUTH", "user", "secret");
            client.callText("CLIENT", "LIST");
            client.callText("ECHO", "last");
            String pattern = "\\+\\d{10}\\.\\d{6} \\[%s 127\\.0\\.0\\.1:" + port + "\\] %s\r\n";
            assertLine(monitor.readText(), pattern, "0", "\"SET\" \"k\" \"a \\\\\"b\\\\\"\\\\n\"");
            assertLine(monitor.readText(), pattern, "2", "\"SELECT\" \"2\"");
            assertLine(monitor.readText(), pattern, "2", "\"AUTH\" \"\\(redacted\\)\" \"\\(redacted\\)\"");
            // CLIENT LIST is an admin command: not shown.
            assertLine(monitor.readText(), pattern, "2", "\"ECHO\" \"last\"");
        }
    }

    private static void assertLine(String line, String pattern, String db, String args) {
        String regex = String.format(pattern, db, args);
        assertTrue(line.matches(regex), () -> "monitor line " + Arrays.toString(line.getBytes()) + " = '" + line
                + "' does not match " + regex);
    }
}
