package dev.magpie.tests.lists;

import dev.magpie.server.keyspace.OffHeap;
import dev.magpie.tests.support.Magpie;
import dev.magpie.tests.support.RawRespClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A list's nodes live in native memory, freed explicitly: every way a list, or a node of it,
 * leaves the dataset must give its bytes back. Large lists are changed, deleted, overwritten,
 * renamed over, copied, moved, restored over and expired while a BGSAVE and an AOF rewrite hold
 * frozen copies sharing their nodes; once both have finished and the dataset is flushed, the
 * native bytes in use are what they were before the first push.
 */
class ListNativeMemoryTest {
    /** Enough 64-byte elements for about 250 nodes: snapshots freeze such a list instead of writing it inline. */
    private static final int ELEMENTS = 30_000;

    @TempDir
    Path dir;

    @Test
    void everyWayAListLeavesFreesItsNodes() throws Exception {
        try (Magpie magpie = Magpie.start("--dir", dir.toString(), "--appendonly", "yes", "--save", "",
                "--auto-aof-rewrite-percentage", "0", "--enable-debug-command", "yes", "--management", "no");
             RawRespClient c = magpie.connect()) {
            long baseline = OffHeap.allocatedBytes();
            for (String key : List.of("a", "b", "c", "d", "e", "f", "g")) {
                fill(c, key);
            }
            long filled = OffHeap.allocatedBytes() - baseline;
            assertTrue(filled > 7L * ELEMENTS * 66, "the nodes are in native memory: " + filled + " bytes");

            // Redis runs one of the two at a time (a BGSAVE during a rewrite is refused): one each.
            changeWhile(c, "BGREWRITEAOF",
                    new String[] {"LPUSH", "a", "head"},
                    new String[] {"RPUSH", "b", "tail"},
                    new String[] {"LSET", "a", "15000", "changed-in-the-middle"},
                    new String[] {"LINSERT", "c", "BEFORE", element(20_000), "inserted"},
                    new String[] {"LREM", "d", "0", element(7)},
                    new String[] {"LTRIM", "e", "1000", "-1000"},
                    new String[] {"LPOP", "a", "5000"},
                    new String[] {"RPOP", "b", "5000"},
                    new String[] {"DEL", "a"},
                    new String[] {"UNLINK", "b"});
            changeWhile(c, "BGSAVE",
                    new String[] {"LPUSH", "f", "head"},
                    new String[] {"LSET", "f", "100", "changed"},
                    new String[] {"LMOVE", "c", "f", "LEFT", "RIGHT"},
                    new String[] {"SET", "c", "a string now"},
                    new String[] {"RENAME", "d", "e"},
                    new String[] {"COPY", "f", "copied"},
                    new String[] {"MOVE", "g", "1"});

            assertEquals("+OK", line(c, "SELECT", "1"));
            assertEquals("+OK", line(c, "FLUSHDB"));
            assertEquals("+OK", line(c, "SELECT", "0"));
            byte[] payload = bulk(c.call("DUMP", "f"));
            assertEquals("+OK", text(c.send(bytes("RESTORE"), bytes("restored"), bytes("0"), payload).readReply()));
            assertEquals("+OK", text(c.send(bytes("RESTORE"), bytes("f"), bytes("0"), payload, bytes("REPLACE")).readReply()));
            assertEquals("+OK", text(c.send(bytes("RESTORE"), bytes("past"), bytes("1"), payload, bytes("ABSTTL")).readReply()));
            assertEquals(":0", line(c, "EXISTS", "past"));
            assertTrue(line(c, "SORT", "f", "ALPHA", "LIMIT", "0", "100", "STORE", "sorted").startsWith(":"));
            assertEquals(":1", line(c, "PEXPIRE", "restored", "1"));
            Thread.sleep(20);
            assertEquals(":0", line(c, "EXISTS", "restored"));
            assertEquals("+OK", line(c, "DEBUG", "RELOAD"));
            assertEquals(":1", line(c, "RPUSH", "emptied", "x"));
            assertTrue(line(c, "RPOP", "emptied").startsWith("$1"));
            assertTrue(OffHeap.allocatedBytes() - baseline > ELEMENTS * 66L, "lists are left to flush");

            assertEquals("+OK", line(c, "FLUSHALL"));
            magpie.server().engine().lazyFree().drain();
            assertEquals(baseline, OffHeap.allocatedBytes(), "native bytes in use after FLUSHALL");

            // One element a node: more nodes than a flush frees on the engine thread.
            assertEquals("+OK", line(c, "CONFIG", "SET", "list-max-listpack-size", "1"));
            fill(c, "one-element-nodes");
            assertEquals("+OK", line(c, "FLUSHALL", "ASYNC"));
            long deadline = System.currentTimeMillis() + 10_000;
            while (OffHeap.allocatedBytes() != baseline && System.currentTimeMillis() < deadline) {
                Thread.sleep(10);
            }
            assertEquals(baseline, OffHeap.allocatedBytes(), "native bytes in use after FLUSHALL ASYNC");
        }
    }

    private static String element(int i) {
        return String.format("element-%06d-", i) + "x".repeat(49);
    }

    private static void fill(RawRespClient c, String key) {
        for (int from = 0; from < ELEMENTS; from += 1000) {
            List<String> args = new ArrayList<>(List.of("RPUSH", key));
            for (int i = from; i < from + 1000; i++) {
                args.add(element(i));
            }
            c.call(args.toArray(String[]::new));
        }
    }

    /** Starts a background save or rewrite and sends the changes right behind it, in one write. */
    private static void changeWhile(RawRespClient c, String save, String[]... changes) throws InterruptedException {
        c.send(save);
        for (String[] change : changes) {
            c.send(change);
        }
        List<byte[]> replies = c.readReplies(changes.length + 1);
        for (byte[] reply : replies) {
            assertTrue(reply[0] != '-', new String(reply, StandardCharsets.UTF_8));
        }
        awaitPersistenceIdle(c);
    }

    private static void awaitPersistenceIdle(RawRespClient c) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 30_000;
        String info = c.callText("INFO", "persistence");
        while (!info.contains("aof_rewrite_in_progress:0") || !info.contains("rdb_bgsave_in_progress:0")) {
            assertTrue(System.currentTimeMillis() < deadline, "the rewrite or save did not end: " + info);
            Thread.sleep(10);
            info = c.callText("INFO", "persistence");
        }
        assertTrue(info.contains("aof_last_bgrewrite_status:ok") && info.contains("rdb_last_bgsave_status:ok"), info);
    }

    private static String line(RawRespClient c, String... args) {
        return c.callText(args).trim();
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(byte[] reply) {
        return new String(reply, StandardCharsets.UTF_8).trim();
    }

    /** The payload of a bulk string reply. */
    private static byte[] bulk(byte[] reply) {
        int lineEnd = 0;
        while (reply[lineEnd] != '\r') {
            lineEnd++;
        }
        int length = Integer.parseInt(new String(reply, 1, lineEnd - 1, StandardCharsets.US_ASCII));
        return Arrays.copyOfRange(reply, lineEnd + 2, lineEnd + 2 + length);
    }
}
