package dev.magpie.tests.persistence;

import dev.magpie.tests.support.Magpie;
import dev.magpie.tests.support.RawRespClient;
import dev.magpie.tests.support.RedisOracle;
import dev.magpie.tests.support.Resp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A BGSAVE is exactly the dataset as of the command, however the keys change while it is written.
 * One connection sends a dataset, a batch of random changes and BGSAVE in one write, so the server
 * runs them in that order, then keeps sending random changes (deletes, renames, moves, appends,
 * expire times, pushes onto large lists, ...) until the save ends: each of them reaches keys the
 * walk has not visited yet and makes the snapshot record them first. A real Redis given the dataset
 * and the first batch only is the expected state; the saved file, loaded in a fresh Magpie, must
 * equal it key for key, in both databases used, with values, types and expire times. An AOF
 * rewrite under the same stream of changes must leave files that rebuild the final dataset.
 */
class SnapshotPointInTimeTest {
    private static final int STRINGS = 20_000;
    private static final int COLLECTIONS = 1_000;
    private static final int BIG_LISTS = 3;
    private static final int BIG_LIST_ELEMENTS = 20_000;
    /** Expire times are absolute and far off, so both servers hold the same ones and none passes. */
    private static final long EXPIRE_AT = System.currentTimeMillis() + 3_600_000;
    private static final int CHANGE_BATCHES = 30;

    @TempDir
    Path dir;

    @Test
    void aBgsaveHoldsTheDatasetAsOfTheCommandWhileEveryKindOfChangeRuns() throws Exception {
        Random random = new Random(17);
        List<String[]> dataset = dataset();
        List<String[]> before = changes(random, 10_000);
        TreeMap<String, String> expected;
        try (RedisOracle redis = RedisOracle.start(); RawRespClient client = redis.connect()) {
            Datasets.send(client, dataset);
            Datasets.send(client, before);
            expected = Datasets.describe(client);
        }
        int runningChunks = 0;
        try (Magpie magpie = Magpie.start("--dir", dir.toString(), "--save", "");
             RawRespClient client = magpie.connect()) {
            Datasets.send(client, dataset);
            List<String[]> upToSave = new ArrayList<>(before);
            upToSave.add(new String[] {"BGSAVE"});
            List<byte[]> replies = Datasets.send(client, upToSave);
            assertEquals("+Background saving started", Resp.latin1(replies.get(replies.size() - 1)).trim());
            runningChunks = changeWhileRunning(client, random, "rdb_bgsave_in_progress");
            assertEquals("ok", Datasets.persistenceField(client, "rdb_last_bgsave_status"));
        }
        assertTrue(runningChunks > 0, "no change ran while the save was being written");
        try (Magpie loaded = Magpie.start("--dir", dir.toString(), "--save", "");
             RawRespClient client = loaded.connect()) {
            assertTrue(loaded.server().engine().persistence().awaitLoaded(30_000), "load did not finish");
            TreeMap<String, String> saved = Datasets.describe(client);
            assertEquals(expected.size(), saved.size(), "keys in the snapshot against Redis after the same commands");
            assertEquals(expected, saved);
        }
    }

    /**
     * An AOF rewrite under the same stream of changes: the new base holds the dataset as of the
     * command and the incremental file everything after it, so after the run the directory, loaded
     * by a fresh Magpie and by a real Redis, gives back the dataset as it was when the server stopped.
     */
    @ParameterizedTest(name = "aof-use-rdb-preamble {0}")
    @ValueSource(strings = {"yes", "no"})
    void anAofRewriteUnderChangesLeavesBaseAndIncrementThatRebuildTheDataset(String preamble) throws Exception {
        Random random = new Random(23);
        TreeMap<String, String> last;
        int runningChunks = 0;
        try (Magpie magpie = Magpie.start("--dir", dir.toString(), "--save", "", "--appendonly", "yes",
                "--appendfsync", "everysec", "--aof-use-rdb-preamble", preamble);
             RawRespClient client = magpie.connect()) {
            Datasets.send(client, dataset());
            List<String[]> upToRewrite = changes(random, 10_000);
            upToRewrite.add(new String[] {"BGREWRITEAOF"});
            List<byte[]> replies = Datasets.send(client, upToRewrite);
            assertEquals("+Background append only file rewriting started", Resp.latin1(replies.get(replies.size() - 1)).trim());
            runningChunks = changeWhileRunning(client, random, "aof_rewrite_in_progress");
            assertEquals("ok", Datasets.persistenceField(client, "aof_last_bgrewrite_status"));
            last = Datasets.describe(client);
        }
        assertTrue(runningChunks > 0, "no change ran while the rewrite was being written");
        assertBothRebuild(last);
    }

    /**
     * A rewrite that copies the unchanged segments of the previous base, under the same stream of
     * changes: its writes reach keys in copied segments and in walked ones before the walk does.
     */
    @Test
    void aRewriteCopyingUnchangedSegmentsUnderChangesRebuildsTheDataset() throws Exception {
        Random random = new Random(29);
        TreeMap<String, String> last;
        int runningChunks;
        int reused;
        try (Magpie magpie = Magpie.start("--dir", dir.toString(), "--save", "", "--appendonly", "yes",
                "--appendfsync", "everysec", "--auto-aof-rewrite-percentage", "0");
             RawRespClient client = magpie.connect()) {
            Datasets.send(client, dataset());
            rewriteAndWait(client);
            // Three keys change: the other segments of the index stay as the first base has them.
            Datasets.send(client, List.of(new String[] {"SET", "s:17", "changed"}, new String[] {"DEL", "s:1234"},
                    new String[] {"LPUSH", "big:1", "pushed"}));
            // Changes sent with the command run before its walk covers anything.
            List<String[]> withRewrite = new ArrayList<>();
            withRewrite.add(new String[] {"BGREWRITEAOF"});
            withRewrite.addAll(changes(random, 1_000));
            List<byte[]> replies = Datasets.send(client, withRewrite);
            assertEquals("+Background append only file rewriting started", Resp.latin1(replies.get(0)).trim());
            runningChunks = 1 + changeWhileRunning(client, random, "aof_rewrite_in_progress");
            reused = magpie.server().engine().aof().lastRewriteReusedSegments();
            assertEquals("ok", Datasets.persistenceField(client, "aof_last_bgrewrite_status"));
            last = Datasets.describe(client);
        }
        assertTrue(reused > 0, "the second rewrite copied no segment (" + runningChunks + " batches of changes ran during it)");
        assertBothRebuild(last);
    }

    /** The AOF directory, loaded by a fresh Magpie and by a real Redis, gives back {@code last}. */
    private void assertBothRebuild(TreeMap<String, String> last) throws Exception {
        try (Magpie magpie = Magpie.start("--dir", dir.toString(), "--save", "", "--appendonly", "yes");
             RawRespClient client = magpie.connect()) {
            assertTrue(magpie.server().engine().persistence().awaitLoaded(30_000), "load did not finish");
            assertEquals(last, Datasets.describe(client), "Magpie rebuilds the dataset from base and increment");
        }
        try (RedisOracle redis = RedisOracle.start("--dir", dir.toString(), "--appendonly", "yes");
             RawRespClient client = redis.connect()) {
            assertEquals(last, Datasets.describe(client), "Redis rebuilds the dataset from base and increment");
        }
    }

    private static void rewriteAndWait(RawRespClient client) throws Exception {
        List<byte[]> replies = Datasets.send(client, List.<String[]>of(new String[] {"BGREWRITEAOF"}));
        assertEquals("+Background append only file rewriting started", Resp.latin1(replies.get(0)).trim());
        long deadline = System.currentTimeMillis() + 60_000;
        while (!Datasets.persistenceField(client, "aof_rewrite_in_progress").equals("0")) {
            assertTrue(System.currentTimeMillis() < deadline, "the first rewrite still runs after 60 s");
            Thread.sleep(10);
        }
        assertEquals("ok", Datasets.persistenceField(client, "aof_last_bgrewrite_status"));
    }

    /** Strings (some with expire times), counters, small collections of each type and a few large lists. */
    private static List<String[]> dataset() {
        List<String[]> commands = new ArrayList<>();
        for (int i = 0; i < STRINGS; i++) {
            commands.add(i % 10 == 0
                    ? new String[] {"SET", "s:" + i, "value-" + i, "PXAT", Long.toString(EXPIRE_AT + i)}
                    : new String[] {"SET", "s:" + i, "value-" + i + "-" + "x".repeat(i % 80)});
        }
        for (int i = 0; i < COLLECTIONS; i++) {
            commands.add(new String[] {"INCRBY", "c:" + i, Integer.toString(i)});
            commands.add(new String[] {"RPUSH", "l:" + i, "a" + i, "b" + i, "c" + i});
            commands.add(new String[] {"HSET", "h:" + i, "f1", "v" + i, "f2", "w" + i});
            commands.add(new String[] {"SADD", "t:" + i, "m" + i, "n" + i, Integer.toString(i)});
            commands.add(new String[] {"ZADD", "z:" + i, Integer.toString(i), "m" + i, "1.5", "n" + i});
        }
        for (int list = 0; list < BIG_LISTS; list++) {
            for (int from = 0; from < BIG_LIST_ELEMENTS; from += 1_000) {
                String[] push = new String[2 + 1_000];
                push[0] = "RPUSH";
                push[1] = "big:" + list;
                for (int j = 0; j < 1_000; j++) {
                    push[2 + j] = "element-" + (from + j);
                }
                commands.add(push);
            }
        }
        return commands;
    }

    /** Random changes over the dataset's keys; replies may be errors (a renamed-away key), alike in both servers. */
    private static List<String[]> changes(Random random, int count) {
        List<String[]> commands = new ArrayList<>(count);
        for (int n = 0; n < count; n++) {
            String s = "s:" + random.nextInt(STRINGS);
            int c = random.nextInt(COLLECTIONS);
            commands.add(switch (random.nextInt(16)) {
                case 0 -> new String[] {"SET", s, "new-" + n};
                case 1 -> new String[] {"APPEND", s, "+" + "y".repeat(random.nextInt(100))};
                case 2 -> new String[] {"SETRANGE", s, Integer.toString(random.nextInt(20)), "zz"};
                case 3 -> new String[] {"DEL", s};
                case 4 -> new String[] {"UNLINK", "h:" + c};
                case 5 -> new String[] {"RENAME", s, "s:" + random.nextInt(STRINGS)};
                case 6 -> new String[] {"MOVE", s, "1"};
                case 7 -> new String[] {"PEXPIREAT", s, Long.toString(EXPIRE_AT + n)};
                case 8 -> new String[] {"PERSIST", s};
                case 9 -> new String[] {"INCRBY", "c:" + c, Integer.toString(random.nextInt(1000))};
                case 10 -> new String[] {"LPUSH", random.nextBoolean() ? "l:" + c : "big:" + random.nextInt(BIG_LISTS), "p" + n};
                case 11 -> new String[] {"HSET", "h:" + c, "f" + random.nextInt(4), "u" + n};
                case 12 -> new String[] {"SADD", "t:" + c, "a" + n};
                case 13 -> new String[] {"ZADD", "z:" + c, Integer.toString(n), "b" + n};
                case 14 -> new String[] {"COPY", s, "copy:" + random.nextInt(STRINGS), "REPLACE"};
                default -> new String[] {"RPOP", "big:" + random.nextInt(BIG_LISTS)};
            });
        }
        return commands;
    }

    /**
     * Sends changes in batches of 1,000 while INFO's {@code inProgress} field says 1, up to
     * {@link #CHANGE_BATCHES} batches (a save under load is paced to leave the engine to its
     * clients, so it would outlast any number), then waits for the end. Returns the batches that
     * ran while it was in progress.
     */
    private static int changeWhileRunning(RawRespClient client, Random random, String inProgress) throws InterruptedException {
        int running = 0;
        while (running < CHANGE_BATCHES) {
            Datasets.send(client, changes(random, 1_000));
            if (Datasets.persistenceField(client, inProgress).equals("0")) {
                return running;
            }
            running++;
        }
        long deadline = System.currentTimeMillis() + 60_000;
        while (!Datasets.persistenceField(client, inProgress).equals("0")) {
            assertTrue(System.currentTimeMillis() < deadline, inProgress + " still 1 after 60 s");
            Thread.sleep(10);
        }
        return running;
    }
}
