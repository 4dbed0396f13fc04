package dev.magpie.server.persistence;

import dev.magpie.server.MagpieServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A rewrite copies the segments in which nothing changed from the previous base, and what it
 * writes loads as the dataset it had: with changes before it, during it (in segments it copies
 * and in segments it walks), and none at all.
 */
class AofBaseReuseTest {
    private static final int DATABASES = 3;

    @TempDir
    Path dir;

    @Test
    void unchangedSegmentsAreCopiedAndChangedOnesWalked() throws Exception {
        Map<String, String> expected;
        MagpieServer server = AofServers.start(dir, "--auto-aof-rewrite-percentage", "0");
        try (AofTestClient c = new AofTestClient(server.port())) {
            populate(c);
            assertEquals(0, rewrite(server, c).reusedSegments(), "the first base has nothing to copy from");
            for (int i = 0; i < 60_000; i += 7) {
                c.call("GET", "key:" + i);
            }
            c.call("EXISTS", "key:5");
            int all = rewrite(server, c).reusedSegments();
            // 60k keys in a table of 64k buckets: 16 segments in database 0, one each in 1 and 2.
            assertEquals(18, all, "nothing written (reads change nothing): every segment is copied");
            // The next rewrite walks segments the last one copied: their keys' snapshot bits must
            // have flipped with the others'.

            c.call("SET", "key:17", "changed");
            c.call("DEL", "key:18");
            c.call("PEXPIRE", "key:19", "600000");
            c.call("LPUSH", "list", "d");
            c.call("SELECT", "2");
            c.call("HSET", "h", "f3", "v3");
            c.call("SELECT", "0");
            AofRewrite partial = rewrite(server, c);
            assertTrue(partial.reusedSegments() > 0 && partial.reusedSegments() < all,
                    "changed segments are walked, the rest copied: " + partial.reusedSegments() + " of " + all);
            assertTrue(partial.reusedBytes() > 0);
            expected = state(c);
            assertEquals("$changed +string expires :-1", expected.get("0/key:17"));
        } finally {
            server.close();
        }
        assertReloads(expected);
    }

    @Test
    void writesDuringARewriteKeepItsPointInTime() throws Exception {
        Map<String, String> expected;
        MagpieServer server = AofServers.start(dir, "--auto-aof-rewrite-percentage", "0");
        try (AofTestClient c = new AofTestClient(server.port())) {
            populate(c);
            rewrite(server, c);
            c.call("SET", "key:40000", "before");
            // The writes reach the engine with BGREWRITEAOF, before the walk covers their keys:
            // most lie in segments the rewrite copies, some in the one it walks.
            List<String[]> batch = new ArrayList<>();
            for (int i = 1; i < 60_000; i += 997) {
                batch.add(new String[] {"SET", "key:" + i, "during-" + i});
                batch.add(new String[] {"DEL", "key:" + (i + 1)});
                batch.add(new String[] {"SET", "new:" + i, "n"});
                batch.add(new String[] {"RENAME", "key:" + (i + 2), "renamed:" + i});
                batch.add(new String[] {"PEXPIRE", "key:" + (i + 3), "600000"});
            }
            batch.add(new String[] {"LPUSH", "list", "during"});
            batch.add(new String[] {"SET", "key:40000", "after"});
            assertTrue(rewrite(server, c, batch).reusedSegments() > 0, "the rewrite copied segments");
            expected = state(c);
            // Two more rewrites with nothing written: the last one's base, partly copied from the
            // one before, alone holds the dataset.
            rewrite(server, c);
            assertTrue(rewrite(server, c).reusedSegments() > 0);
        } finally {
            server.close();
        }
        assertEquals("$after +string expires :-1", expected.get("0/key:40000"));
        assertReloads(expected);
    }

    /**
     * The keys of segments a rewrite copies count as covered without being touched; every later
     * snapshot must still see them as not yet covered. Rewrites that copy most segments, with
     * writes landing in copied segments and the table growing between rewrites (keys then meet a
     * table whose segments differ from the ones they were covered in), each followed by a BGSAVE
     * whose file must load as the whole dataset, and last the AOF itself.
     */
    @Test
    void keysOfCopiedSegmentsReachEveryLaterSnapshot() throws Exception {
        Map<String, String> expected;
        MagpieServer server = AofServers.start(dir, "--auto-aof-rewrite-percentage", "0");
        try (AofTestClient c = new AofTestClient(server.port())) {
            populate(c);
            rewrite(server, c);
            for (int round = 0; round < 6; round++) {
                boolean grows = round == 2 || round == 4;
                if (grows) {
                    AofServers.fill(c, "more:", round * 100_000, 70, () -> "m");
                }
                c.call("SET", "key:" + (round * 7_919), "round-" + round);
                c.call("DEL", "key:" + (round * 7_919 + 1));
                c.call("INCR", "counter:" + round);
                // Writes reach the engine with BGREWRITEAOF, before the walk: in copied segments and walked ones.
                List<String[]> batch = new ArrayList<>();
                // Keys in the segments just changed, walked by this rewrite, some of them copied by earlier ones.
                for (int i = 0; i < 5; i++) {
                    batch.add(new String[] {"APPEND", "key:" + (round * 7_919 + 2 + i), "+" + round});
                    batch.add(new String[] {"INCR", "counter:" + i});
                }
                for (int i = round; i < 60_000; i += 20_000) {
                    batch.add(new String[] {"APPEND", "key:" + i, "+" + round});
                    batch.add(new String[] {"SET", "during:" + round + ":" + i, "d"});
                }
                AofRewrite done = rewrite(server, c, batch);
                // Databases 1 and 2 have a segment each: more than two copied means some of database 0's.
                assertTrue(grows || done.reusedSegments() > 2, "round " + round + " copied " + done.reusedSegments() + " segments");
                Map<String, String> live = state(c);
                assertEquals(live, snapshotLoaded(c, round), "the BGSAVE after round " + round);
            }
            expected = state(c);
        } finally {
            server.close();
        }
        assertReloads(expected);
    }

    /** Runs a BGSAVE and returns the dataset a server started on its file holds. */
    private Map<String, String> snapshotLoaded(AofTestClient c, int round) throws Exception {
        assertEquals("+Background saving started", c.call("BGSAVE"));
        long deadline = System.currentTimeMillis() + 20_000;
        String info = c.call("INFO", "persistence");
        while (info.contains("rdb_bgsave_in_progress:1")) {
            assertTrue(System.currentTimeMillis() < deadline, "the BGSAVE did not end");
            Thread.sleep(5);
            info = c.call("INFO", "persistence");
        }
        assertTrue(info.contains("rdb_last_bgsave_status:ok"), info);
        Path copy = Files.createDirectories(dir.resolve("bgsave-" + round));
        Files.copy(dir.resolve("dump.rdb"), copy.resolve("dump.rdb"));
        MagpieServer loaded = AofServers.start(copy, "--appendonly", "no");
        try (AofTestClient l = new AofTestClient(loaded.port())) {
            return state(l);
        } finally {
            loaded.close();
        }
    }

    private void assertReloads(Map<String, String> expected) throws Exception {
        MagpieServer reloaded = AofServers.start(dir);
        try (AofTestClient c = new AofTestClient(reloaded.port())) {
            Map<String, String> actual = state(c);
            assertEquals(expected.size(), actual.size(), "keys after the reload");
            assertEquals(expected, actual);
        } finally {
            reloaded.close();
        }
    }

    /** 60k strings in database 0, with a list, an expire time and keys of other types in 1 and 2. */
    private static void populate(AofTestClient c) throws Exception {
        int[] next = {0};
        AofServers.fill(c, 60, () -> "value-" + next[0]++);
        c.call("RPUSH", "list", "a", "b", "c");
        c.call("SET", "ttl", "1", "PX", "600000");
        c.call("SELECT", "1");
        c.call("SADD", "s", "x", "y", "z");
        c.call("ZADD", "z", "1", "one", "2.5", "two");
        c.call("SELECT", "2");
        c.call("HSET", "h", "f1", "v1", "f2", "v2");
        c.call("SELECT", "0");
    }

    /** Starts a rewrite, waits for it to end successfully, and returns it. */
    private static AofRewrite rewrite(MagpieServer server, AofTestClient c) throws Exception {
        return rewrite(server, c, List.of());
    }

    /**
     * As {@link #rewrite(MagpieServer, AofTestClient)}, with {@code writes} pipelined behind the
     * BGREWRITEAOF: they reach the engine before the walk covers their keys.
     */
    private static AofRewrite rewrite(MagpieServer server, AofTestClient c, List<String[]> writes) throws Exception {
        long before = rewritesStarted(c);
        List<String[]> batch = new ArrayList<>();
        batch.add(new String[] {"BGREWRITEAOF"});
        batch.addAll(writes);
        assertEquals("+Background append only file rewriting started", c.pipeline(batch).get(0));
        awaitRewrite(c, before + 1);
        return server.engine().aof().lastRewrite();
    }

    private static void awaitRewrite(AofTestClient c, long started) throws Exception {
        long deadline = System.currentTimeMillis() + 20_000;
        String info = c.call("INFO", "persistence");
        while (!(info.contains("aof_rewrites:" + started + "\r") && info.contains("aof_rewrite_in_progress:0"))) {
            assertTrue(System.currentTimeMillis() < deadline, "the rewrite did not end: " + info);
            Thread.sleep(5);
            info = c.call("INFO", "persistence");
        }
        assertTrue(info.contains("aof_last_bgrewrite_status:ok"), info);
        assertNotEquals(-1, info.indexOf("aof_rewrite_in_progress:0"));
    }

    private static long rewritesStarted(AofTestClient c) throws Exception {
        String info = c.call("INFO", "persistence");
        int at = info.indexOf("aof_rewrites:") + "aof_rewrites:".length();
        return Long.parseLong(info.substring(at, info.indexOf('\r', at)));
    }

    /** Every key as "db/key" with its type, value (members sorted where order is not kept) and expire time. */
    static Map<String, String> state(AofTestClient c) throws Exception {
        Map<String, String> all = new TreeMap<>();
        for (int db = 0; db < DATABASES; db++) {
            c.call("SELECT", Integer.toString(db));
            List<String> keys = elements(c.call("KEYS", "*"));
            List<String[]> types = new ArrayList<>();
            for (String key : keys) {
                types.add(new String[] {"TYPE", key});
            }
            List<String> typeReplies = c.pipeline(types);
            List<String[]> reads = new ArrayList<>();
            for (int i = 0; i < keys.size(); i++) {
                String key = keys.get(i);
                reads.add(new String[] {"PEXPIRETIME", key});
                reads.add(switch (typeReplies.get(i)) {
                    case "+string" -> new String[] {"GET", key};
                    case "+list" -> new String[] {"LRANGE", key, "0", "-1"};
                    case "+set" -> new String[] {"SMEMBERS", key};
                    case "+zset" -> new String[] {"ZRANGE", key, "0", "-1", "WITHSCORES"};
                    case "+hash" -> new String[] {"HGETALL", key};
                    default -> throw new AssertionError("type of " + key + ": " + typeReplies.get(i));
                });
            }
            List<String> values = c.pipeline(reads);
            for (int i = 0; i < keys.size(); i++) {
                String type = typeReplies.get(i);
                String value = values.get(2 * i + 1);
                if (type.equals("+set") || type.equals("+hash")) {
                    value = type.equals("+set") ? sorted(value) : pairsSorted(value);
                }
                all.put(db + "/" + keys.get(i), value + " " + type + " expires " + values.get(2 * i));
            }
        }
        c.call("SELECT", "0");
        return all;
    }

    /** The elements of a flat array reply "*[$a, $b]", without their type marks. */
    private static List<String> elements(String reply) {
        if (reply.equals("*[]")) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        for (String element : reply.substring(2, reply.length() - 1).split(", ")) {
            out.add(element.substring(1));
        }
        return out;
    }

    private static String sorted(String reply) {
        List<String> members = new ArrayList<>(elements(reply));
        members.sort(null);
        return members.toString();
    }

    private static String pairsSorted(String reply) {
        List<String> flat = elements(reply);
        List<String> pairs = new ArrayList<>();
        for (int i = 0; i < flat.size(); i += 2) {
            pairs.add(flat.get(i) + "=" + flat.get(i + 1));
        }
        pairs.sort(null);
        return Arrays.toString(pairs.toArray());
    }
}
