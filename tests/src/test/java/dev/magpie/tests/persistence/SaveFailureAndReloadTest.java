package dev.magpie.tests.persistence;

import dev.magpie.tests.support.Magpie;
import dev.magpie.tests.support.RawRespClient;
import dev.magpie.tests.support.RedisOracle;
import dev.magpie.tests.support.Resp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What Redis does around its snapshots, compared with a real redis-server step by step: writes
 * (and PING) refused with MISCONF after a failed background save, FLUSHALL writing the empty
 * dataset when save points are set, DEBUG RELOAD and its options, and the change counter INFO
 * reports. Plus what only Magpie can be asked: FLUSHALL during a BGSAVE.
 */
class SaveFailureAndReloadTest {
    @TempDir
    Path dir;

    /** One step run on both servers; the replies (or a derived text) must be equal. */
    private interface Step {
        String run(RawRespClient client, Path dataDir) throws Exception;
    }

    /** The raw reply without its final CRLF. */
    private static String reply(RawRespClient client, String... args) {
        String text = Resp.latin1(client.call(args));
        return text.endsWith("\r\n") ? text.substring(0, text.length() - 2) : text;
    }

    private static void awaitBgsaveEnd(RawRespClient client) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 20_000;
        while (!Datasets.persistenceField(client, "rdb_bgsave_in_progress").equals("0")) {
            assertTrue(System.currentTimeMillis() < deadline, "BGSAVE did not end");
            Thread.sleep(20);
        }
    }

    /** Runs the same steps on a redis-server and on Magpie, each in its own directory; returns both transcripts. */
    private List<List<String>> bothRun(String[] settings, List<Step> steps) throws Exception {
        List<List<String>> transcripts = new ArrayList<>();
        Path redisDir = Files.createDirectories(dir.resolve("redis"));
        Path magpieDir = Files.createDirectories(dir.resolve("magpie"));
        String[] redisArgs = concat(settings, "--dir", redisDir.toString());
        try (RedisOracle redis = RedisOracle.start(redisArgs); RawRespClient client = redis.connect()) {
            transcripts.add(transcript(client, redisDir, steps));
        }
        String[] magpieArgs = concat(settings, "--dir", magpieDir.toString(), "--enable-debug-command", "yes");
        try (Magpie magpie = Magpie.start(magpieArgs); RawRespClient client = magpie.connect()) {
            transcripts.add(transcript(client, magpieDir, steps));
        }
        return transcripts;
    }

    private static List<String> transcript(RawRespClient client, Path dataDir, List<Step> steps) throws Exception {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < steps.size(); i++) {
            lines.add(i + ": " + steps.get(i).run(client, dataDir));
        }
        return lines;
    }

    private static String[] concat(String[] first, String... more) {
        String[] all = new String[first.length + more.length];
        System.arraycopy(first, 0, all, 0, first.length);
        System.arraycopy(more, 0, all, first.length, more.length);
        return all;
    }

    private static Step call(String... args) {
        return (client, dataDir) -> reply(client, args);
    }

    private static Step field(String name) {
        return (client, dataDir) -> name + "=" + Datasets.persistenceField(client, name);
    }

    @Test
    void aFailedBackgroundSaveRefusesWritesUntilASaveSucceeds() throws Exception {
        List<Step> steps = List.of(
                call("SET", "a", "1"),
                // A directory where the file should go: the save's rename fails, whoever runs as.
                (client, dataDir) -> {
                    Files.createDirectories(dataDir.resolve("dump.rdb"));
                    Files.writeString(dataDir.resolve("dump.rdb").resolve("blocker"), "x");
                    return reply(client, "BGSAVE");
                },
                (client, dataDir) -> {
                    awaitBgsaveEnd(client);
                    return Datasets.persistenceField(client, "rdb_last_bgsave_status");
                },
                call("SET", "a", "2"),
                call("PING"),
                call("GET", "a"),
                call("SAVE"),
                call("DEBUG", "RELOAD"),
                call("CONFIG", "SET", "stop-writes-on-bgsave-error", "no"),
                call("SET", "a", "3"),
                call("CONFIG", "SET", "stop-writes-on-bgsave-error", "yes"),
                call("INCR", "a"),
                call("CONFIG", "SET", "save", ""),
                call("INCR", "a"),
                call("CONFIG", "SET", "save", "3600 1"),
                call("DEL", "a"),
                (client, dataDir) -> {
                    Files.delete(dataDir.resolve("dump.rdb").resolve("blocker"));
                    Files.delete(dataDir.resolve("dump.rdb"));
                    reply(client, "BGSAVE");
                    awaitBgsaveEnd(client);
                    return Datasets.persistenceField(client, "rdb_last_bgsave_status");
                },
                call("SET", "a", "4"),
                call("PING"));
        List<List<String>> both = bothRun(new String[] {"--save", "3600 1"}, steps);
        assertEquals(both.get(0), both.get(1));
        assertTrue(both.get(1).get(3).contains("MISCONF"), "the write after the failed save: " + both.get(1));
    }

    @Test
    void flushAllSavesTheEmptyDatasetAndDebugReloadLoadsTheFileBack() throws Exception {
        List<Step> steps = List.of(
                call("MSET", "x", "1", "y", "2", "z", "3"),
                field("rdb_changes_since_last_save"),
                call("SADD", "s", "a", "b", "c"),
                call("SADD", "s", "a"),
                call("DEL", "missing", "x"),
                call("SREM", "s", "a", "zz"),
                call("RPUSH", "l", "1", "2"),
                call("MSETNX", "y", "9", "w", "9"),
                field("rdb_changes_since_last_save"),
                call("HSET", "hh", "f", "1", "g", "2"),
                call("HSETNX", "hh", "f", "3"),
                call("HSETNX", "hh", "n", "3"),
                call("ZADD", "zz", "1", "a", "2", "b"),
                call("ZADD", "zz", "1", "a", "3", "b", "4", "c"),
                call("ZADD", "zz", "NX", "5", "a"),
                call("SET", "y", "1", "NX"),
                call("SETNX", "y", "1"),
                call("SET", "absent", "1", "XX"),
                field("rdb_changes_since_last_save"),
                call("FLUSHALL"),
                field("rdb_changes_since_last_save"),
                (client, dataDir) -> "file=" + Files.exists(dataDir.resolve("dump.rdb")),
                call("SET", "kept", "1"),
                call("HSET", "h", "f", "v"),
                call("EXPIRE", "h", "1000"),
                call("DEBUG", "RELOAD"),
                field("rdb_changes_since_last_save"),
                call("GET", "kept"),
                call("TTL", "h"),
                call("SET", "lost", "1"),
                call("DEBUG", "RELOAD", "NOSAVE"),
                call("EXISTS", "lost", "kept"),
                call("SET", "kept", "changed"),
                call("SET", "extra", "1"),
                call("DEBUG", "RELOAD", "NOSAVE", "NOFLUSH", "MERGE"),
                call("MGET", "kept", "extra"),
                call("DEBUG", "RELOAD", "EVERYTHING"),
                call("DBSIZE"));
        List<List<String>> both = bothRun(new String[] {"--save", "3600 1"}, steps);
        assertEquals(both.get(0), both.get(1));
    }

    @Test
    void flushAllWithoutSavePointsCountsTheRemovedKeys() throws Exception {
        List<Step> steps = List.of(
                call("MSET", "x", "1", "y", "2", "z", "3"),
                call("SELECT", "2"),
                call("SET", "other", "1"),
                call("FLUSHALL"),
                field("rdb_changes_since_last_save"),
                (client, dataDir) -> "file=" + Files.exists(dataDir.resolve("dump.rdb")),
                call("SET", "a", "1"),
                call("FLUSHDB"),
                field("rdb_changes_since_last_save"));
        List<List<String>> both = bothRun(new String[] {"--save", ""}, steps);
        assertEquals(both.get(0), both.get(1));
    }

    @Test
    void aReloadThatMeetsAKeyAlreadyPresentFailsWithoutStoppingTheServer() throws Exception {
        // Redis aborts on a duplicate key here; Magpie answers an error and keeps serving.
        try (Magpie magpie = Magpie.start("--dir", dir.toString(), "--save", "", "--enable-debug-command", "yes");
             RawRespClient client = magpie.connect()) {
            assertEquals("+OK", reply(client, "SET", "k", "1"));
            assertEquals("+OK", reply(client, "SAVE"));
            assertEquals("-ERR Error trying to load the RDB dump, check server logs.",
                    reply(client, "DEBUG", "RELOAD", "NOSAVE", "NOFLUSH"));
            assertEquals("$1\r\n1", reply(client, "GET", "k"));
            assertEquals("+PONG", reply(client, "PING"));
        }
    }

    @Test
    void flushAllDuringABackgroundSaveDropsThatSaveAndLaterSnapshotsStayWhole() throws Exception {
        int keys = 300_000;
        try (Magpie magpie = Magpie.start("--dir", dir.toString(), "--save", "");
             RawRespClient client = magpie.connect()) {
            Datasets.fill(client, "old:", keys);
            assertEquals("+Background saving started", reply(client, "BGSAVE"));
            assertEquals("+OK", reply(client, "FLUSHALL"));
            awaitBgsaveEnd(client);
            assertEquals(":0", reply(client, "DBSIZE"));
            assertTrue(!Files.exists(dir.resolve("dump.rdb")), "the abandoned save wrote its file");
            Datasets.fill(client, "new:", 1000);
            // Keys created after the abandoned walk must all be in the next snapshot.
            assertEquals("+Background saving started", reply(client, "BGSAVE"));
            awaitBgsaveEnd(client);
            assertEquals("ok", Datasets.persistenceField(client, "rdb_last_bgsave_status"));
        }
        try (Magpie magpie = Magpie.start("--dir", dir.toString(), "--save", "");
             RawRespClient client = magpie.connect()) {
            assertTrue(magpie.server().engine().persistence().awaitLoaded(30_000), "load did not finish");
            assertEquals(":1000", reply(client, "DBSIZE"));
            assertEquals("$7\r\nvalue-7", reply(client, "GET", "new:7"));
        }
    }

    @Test
    void aSaveOrReloadDuringAnotherSnapshotKeepsBothFilesWhole() throws Exception {
        int keys = 200_000;
        try (Magpie magpie = Magpie.start("--dir", dir.toString(), "--save", "", "--appendonly", "yes",
                "--enable-debug-command", "yes");
             RawRespClient client = magpie.connect()) {
            Datasets.fill(client, "k:", keys);
            assertEquals("+Background append only file rewriting started", reply(client, "BGREWRITEAOF"));
            assertEquals("+OK", reply(client, "SAVE"));
            assertEquals("+Background saving started", reply(client, "BGSAVE"));
            assertEquals("+OK", reply(client, "DEBUG", "RELOAD"));
            awaitBgsaveEnd(client);
            long deadline = System.currentTimeMillis() + 20_000;
            while (!Datasets.persistenceField(client, "aof_rewrite_in_progress").equals("0")) {
                assertTrue(System.currentTimeMillis() < deadline, "the rewrite did not end");
                Thread.sleep(20);
            }
            assertEquals("ok", Datasets.persistenceField(client, "aof_last_bgrewrite_status"));
            assertEquals(":" + keys, reply(client, "DBSIZE"));
        }
        for (String appendonly : new String[] {"yes", "no"}) {
            try (Magpie magpie = Magpie.start("--dir", dir.toString(), "--save", "", "--appendonly", appendonly);
                 RawRespClient client = magpie.connect()) {
                assertTrue(magpie.server().engine().persistence().awaitLoaded(30_000), "load did not finish");
                assertEquals(":" + keys, reply(client, "DBSIZE"), "appendonly " + appendonly);
                assertEquals("$12\r\nvalue-199999", reply(client, "GET", "k:199999"), "appendonly " + appendonly);
            }
        }
    }
}
