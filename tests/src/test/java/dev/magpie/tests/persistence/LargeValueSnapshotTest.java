package dev.magpie.tests.persistence;

import dev.magpie.tests.support.Magpie;
import dev.magpie.tests.support.RawRespClient;
import dev.magpie.tests.support.RedisOracle;
import dev.magpie.tests.support.Resp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Large values are not serialized by the engine during BGSAVE or an RDB-preamble AOF rewrite: the
 * snapshot takes a frozen copy sharing the value's storage and its writer thread serializes it,
 * while the live value copies a list node, or a page of hash and set records, before changing it
 * in place. Commands pipelined right behind the save change a large list at the head, the tail
 * and in the middle, and a large hash and set in place, by moving, removing and adding; the files
 * must still hold each value as it was at the snapshot (or, for the AOF, rebuild the final
 * state), in Magpie and in a real Redis 7.0.
 */
class LargeValueSnapshotTest {
    private static final int ELEMENTS = 30_000;

    @TempDir
    Path dir;

    private static List<String> elements(String prefix) {
        List<String> elements = new ArrayList<>(ELEMENTS);
        for (int i = 0; i < ELEMENTS; i++) {
            elements.add(String.format("%s-%06d-padding-to-forty-bytes", prefix, i));
        }
        return elements;
    }

    private static void rpush(RawRespClient client, String key, List<String> elements) {
        for (int from = 0; from < elements.size(); from += 1000) {
            List<String> args = new ArrayList<>(List.of("RPUSH", key));
            args.addAll(elements.subList(from, Math.min(elements.size(), from + 1000)));
            client.call(args.toArray(String[]::new));
        }
    }

    /** A hash and a set of 10,000 elements each: table form, encoded by the writer thread. */
    private static void fillHashAndSet(RawRespClient client) {
        for (int from = 0; from < 10_000; from += 1000) {
            List<String> hset = new ArrayList<>(List.of("HSET", "bighash"));
            List<String> sadd = new ArrayList<>(List.of("SADD", "bigset"));
            for (int i = from; i < from + 1000; i++) {
                hset.add(String.format("field-%06d", i));
                hset.add(String.format("value-%06d", i));
                sadd.add(String.format("member-%06d", i));
            }
            client.call(hset.toArray(String[]::new));
            client.call(sadd.toArray(String[]::new));
        }
    }

    /** One command that starts a snapshot, then changes touching every part of list {@code big}; sent in one write. */
    private static void snapshotThenChange(RawRespClient client, String... snapshotCommand) {
        List<String[]> commands = List.of(
                snapshotCommand,
                new String[] {"LPUSH", "big", "new-head-1", "new-head-2"},
                new String[] {"RPOP", "big", "3"},
                new String[] {"RPUSH", "big", "new-tail"},
                new String[] {"LSET", "big", "12000", "changed-in-the-middle"},
                new String[] {"LINSERT", "big", "BEFORE", "big-020000-padding-to-forty-bytes", "inserted"},
                new String[] {"LREM", "big", "0", "big-025000-padding-to-forty-bytes"},
                new String[] {"LTRIM", "big", "5", "-5"},
                new String[] {"HSET", "bighash", "field-000100", "value-XXXXXX"},
                new String[] {"HSET", "bighash", "field-000200", "a-longer-value-than-before"},
                new String[] {"HDEL", "bighash", "field-000300"},
                new String[] {"HSET", "bighash", "field-new", "value-new"},
                new String[] {"SADD", "bigset", "member-new"},
                new String[] {"SREM", "bigset", "member-000400"},
                new String[] {"SET", "small", "changed"});
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (String[] command : commands) {
            out.writeBytes(Resp.command(command));
        }
        client.sendRaw(out.toByteArray());
        List<byte[]> replies = client.readReplies(commands.size());
        for (byte[] reply : replies) {
            assertTrue(reply[0] != '-', "unexpected error " + Resp.latin1(reply));
        }
    }

    private static void await(RawRespClient client, String inProgress, String status) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 30_000;
        while (!Datasets.persistenceField(client, inProgress).equals("0")) {
            assertTrue(System.currentTimeMillis() < deadline, inProgress + " did not end");
            Thread.sleep(10);
        }
        assertEquals("ok", Datasets.persistenceField(client, status));
    }

    private static Magpie startLoaded(String... flags) throws InterruptedException {
        Magpie magpie = Magpie.start(flags);
        assertTrue(magpie.server().engine().persistence().awaitLoaded(30_000), "load did not finish");
        return magpie;
    }

    @Test
    void bgsaveWritesLargeListsAsTheyWereWhileTheyChange() throws Exception {
        TreeMap<String, String> atSnapshot;
        try (Magpie magpie = startLoaded("--dir", dir.toString(), "--save", "");
             RawRespClient client = magpie.connect()) {
            rpush(client, "big", elements("big"));
            rpush(client, "untouched", elements("untouched"));
            fillHashAndSet(client);
            client.call("SET", "small", "before");
            atSnapshot = Datasets.describe(client);
            snapshotThenChange(client, "BGSAVE");
            await(client, "rdb_bgsave_in_progress", "rdb_last_bgsave_status");
            assertNotEquals(atSnapshot, Datasets.describe(client), "the lists changed after the snapshot");
        }
        assertBothLoad(atSnapshot, "as of BGSAVE");
    }

    /** Magpie and a real Redis both load dir's dump.rdb as exactly {@code expected}. */
    private void assertBothLoad(TreeMap<String, String> expected, String when) throws Exception {
        try (Magpie magpie = startLoaded("--dir", dir.toString(), "--save", "");
             RawRespClient client = magpie.connect()) {
            assertEquals(expected, Datasets.describe(client), "Magpie loads the dataset " + when);
        }
        try (RedisOracle redis = RedisOracle.start("--dir", dir.toString(), "--dbfilename", "dump.rdb");
             RawRespClient client = redis.connect()) {
            assertEquals(expected, Datasets.describe(client), "Redis loads the dataset " + when);
        }
    }

    private static long memoryUsage(RawRespClient client, String key) {
        return Long.parseLong(Resp.latin1(client.call("MEMORY", "USAGE", key)).substring(1).trim());
    }

    /**
     * A list whose nodes compress well keeps their compressed forms after a snapshot (MEMORY USAGE
     * counts them), and the next snapshot writes the nodes that did not change from them: the
     * file must still hold the changed head, middle and tail as they were at that snapshot.
     */
    @Test
    void aSecondBgsaveWritesKeptNodeFormsAndTheChangedNodesAfresh() throws Exception {
        TreeMap<String, String> atSecond;
        try (Magpie magpie = startLoaded("--dir", dir.toString(), "--save", "");
             RawRespClient client = magpie.connect()) {
            List<String> alike = new ArrayList<>(ELEMENTS);
            for (int i = 0; i < ELEMENTS; i++) {
                alike.add(i % 5_000 == 0 ? "marker-" + i : "an-element-like-all-the-others-around-it");
            }
            rpush(client, "big", alike);
            long before = memoryUsage(client, "big");
            client.call("BGSAVE");
            await(client, "rdb_bgsave_in_progress", "rdb_last_bgsave_status");
            long after = memoryUsage(client, "big");
            assertTrue(after > before && after < before + before / 8, "kept forms: " + before + " -> " + after);
            client.call("LPUSH", "big", "new-head");
            client.call("LSET", "big", "15000", "changed-in-the-middle");
            client.call("RPOP", "big", "2");
            atSecond = Datasets.describe(client);
            client.call("BGSAVE");
            await(client, "rdb_bgsave_in_progress", "rdb_last_bgsave_status");
        }
        assertBothLoad(atSecond, "as of the second BGSAVE");
    }

    @Test
    void anRdbPreambleRewriteKeepsLargeListsThroughChanges() throws Exception {
        Path aofDir = Files.createDirectories(dir.resolve("aof"));
        TreeMap<String, String> last;
        try (Magpie magpie = startLoaded("--dir", aofDir.toString(), "--save", "", "--appendonly", "yes",
                "--appendfsync", "always", "--aof-use-rdb-preamble", "yes");
             RawRespClient client = magpie.connect()) {
            rpush(client, "big", elements("big"));
            rpush(client, "untouched", elements("untouched"));
            fillHashAndSet(client);
            client.call("SET", "small", "before");
            String rewrites = Datasets.persistenceField(client, "aof_rewrites");
            snapshotThenChange(client, "BGREWRITEAOF");
            await(client, "aof_rewrite_in_progress", "aof_last_bgrewrite_status");
            assertNotEquals(rewrites, Datasets.persistenceField(client, "aof_rewrites"));
            client.call("RPUSH", "big", "after-the-rewrite");
            last = Datasets.describe(client);
        }
        try (Stream<Path> files = Files.list(aofDir.resolve("appendonlydir"))) {
            assertTrue(files.anyMatch(f -> f.getFileName().toString().endsWith(".base.rdb")), "an RDB base");
        }
        try (Magpie magpie = startLoaded("--dir", aofDir.toString(), "--save", "", "--appendonly", "yes");
             RawRespClient client = magpie.connect()) {
            assertEquals(last, Datasets.describe(client), "Magpie rebuilds the dataset from base and increment");
        }
        try (RedisOracle redis = RedisOracle.start("--dir", aofDir.toString(), "--appendonly", "yes");
             RawRespClient client = redis.connect()) {
            assertEquals(last, Datasets.describe(client), "Redis rebuilds the dataset from base and increment");
        }
    }
}
