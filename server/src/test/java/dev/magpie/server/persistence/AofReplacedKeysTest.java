package dev.magpie.server.persistence;

import dev.magpie.server.MagpieServer;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A rewrite leaves out the keys that a plain SET, MSET or DEL replaced before its walk reached
 * them, since the incremental file started with it replaces them again on loading; a key that
 * any other command touched first (conditional or TTL-keeping SETs included) is in the base as
 * it was. Either way the files load as the dataset was.
 */
class AofReplacedKeysTest {
    private static final int KEYS = 60_000;

    @TempDir
    Path dir;

    @ParameterizedTest(name = "aof-use-rdb-preamble {0}")
    @ValueSource(strings = {"yes", "no"})
    void replacedKeysAreLeftOutAndTheFilesStillLoadAsTheDataset(String preamble) throws Exception {
        Map<String, String> expected;
        MagpieServer server = AofServers.start(dir, "--auto-aof-rewrite-percentage", "0",
                "--aof-use-rdb-preamble", preamble);
        try (AofTestClient c = new AofTestClient(server.port())) {
            int[] next = {0};
            AofServers.fill(c, KEYS / 1000, () -> "value-" + next[0]++);
            c.call("SET", "kept-ttl", "old", "PX", "600000");
            List<String[]> batch = new ArrayList<>();
            batch.add(new String[] {"BGREWRITEAOF"});
            for (int i = 1; i < KEYS; i += 101) {
                batch.add(new String[] {"SET", "key:" + i, "replaced-" + i});
                batch.add(new String[] {"SET", "key:" + (i + 1), "expiring", "EX", "600"});
                batch.add(new String[] {"MSET", "key:" + (i + 2), "m", "new:" + i, "n"});
                batch.add(new String[] {"DEL", "key:" + (i + 3), "missing:" + i});
                // Each of these reads the key first or keeps part of it: the base must hold it.
                batch.add(new String[] {"SET", "key:" + (i + 4), "refused", "NX"});
                batch.add(new String[] {"SET", "key:" + (i + 5), "only-if-there", "XX"});
                batch.add(new String[] {"APPEND", "key:" + (i + 6), "-appended"});
                batch.add(new String[] {"SET", "key:" + (i + 7), "old-was", "GET"});
                // Replaced after another command touched it: that command's base value counts.
                batch.add(new String[] {"APPEND", "key:" + (i + 8), "-then"});
                batch.add(new String[] {"SET", "key:" + (i + 8), "replaced-after-append"});
            }
            batch.add(new String[] {"SET", "kept-ttl", "new", "KEEPTTL"});
            List<String> replies = c.pipeline(batch);
            assertEquals("+Background append only file rewriting started", replies.get(0));
            awaitRewriteEnd(c);
            AofRewrite rewrite = server.engine().aof().lastRewrite();
            assertTrue(rewrite.keysLeftOut() > 0, "plain SETs, MSETs and DELs left keys out");
            assertEquals(KEYS + 1, rewrite.keysWritten() + rewrite.keysLeftOut(),
                    "every key present at the start is either in the base or left out, once");
            c.call("SET", "after", "the rewrite");
            expected = AofBaseReuseTest.state(c);
        } finally {
            server.close();
        }
        assertTrue(expected.get("0/kept-ttl").startsWith("$new +string expires :"));
        assertTrue(!expected.get("0/kept-ttl").endsWith(":-1"), "KEEPTTL kept the expire time");
        assertEquals("$value-5 +string expires :-1", expected.get("0/key:5"), "SET NX refused");
        assertEquals("$only-if-there +string expires :-1", expected.get("0/key:6"));
        assertEquals("$value-7-appended +string expires :-1", expected.get("0/key:7"));
        assertEquals("$replaced-after-append +string expires :-1", expected.get("0/key:9"));
        assertTrue(!expected.containsKey("0/key:4"), "deleted");
        MagpieServer reloaded = AofServers.start(dir);
        try (AofTestClient c = new AofTestClient(reloaded.port())) {
            Map<String, String> loaded = AofBaseReuseTest.state(c);
            Map<String, String> different = new TreeMap<>();
            for (String key : union(expected.keySet(), loaded.keySet())) {
                if (!Objects.equals(expected.get(key), loaded.get(key))) {
                    different.put(key, expected.get(key) + " / loaded " + loaded.get(key));
                }
            }
            assertEquals(Map.of(), different, "keys that load otherwise than they were");
        } finally {
            reloaded.close();
        }
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> all = new TreeSet<>(a);
        all.addAll(b);
        return all;
    }

    private static void awaitRewriteEnd(AofTestClient c) throws Exception {
        long deadline = System.currentTimeMillis() + 20_000;
        String info = c.call("INFO", "persistence");
        while (!info.contains("aof_rewrite_in_progress:0")) {
            assertTrue(System.currentTimeMillis() < deadline, "the rewrite did not end: " + info);
            Thread.sleep(5);
            info = c.call("INFO", "persistence");
        }
        assertTrue(info.contains("aof_last_bgrewrite_status:ok"), info);
    }
}
