package dev.magpie.server.persistence;

import dev.magpie.server.MagpieServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** INFO persistence's rewrite count and sizes, which the automatic rewrite also goes by, as Redis keeps them. */
class AofInfoTest {
    @TempDir
    Path dir;

    @Test
    void aRewriteIsCountedFromItsStart() throws Exception {
        MagpieServer server = AofServers.start(dir);
        try (AofTestClient c = new AofTestClient(server.port())) {
            AofServers.fill(c, 200, "v".repeat(100));
            assertEquals("0", field(c, "aof_rewrites"));
            assertEquals("+Background append only file rewriting started", c.call("BGREWRITEAOF"));
            // 200k keys take far longer to rewrite than one round trip: the rewrite is still running.
            String during = c.call("INFO", "persistence");
            assertTrue(during.contains("aof_rewrite_in_progress:1") && during.contains("aof_rewrites:1"), during);
            awaitRewrite(c);
            assertEquals("1", field(c, "aof_rewrites"));
        } finally {
            server.close();
        }
    }

    @Test
    void baseSizeIsTheWholeAofAfterARewriteAndTheBaseFileAfterARestart() throws Exception {
        MagpieServer first = AofServers.start(dir);
        try (AofTestClient c = new AofTestClient(first.port())) {
            for (int i = 0; i < 100; i++) {
                assertEquals("+OK", c.call("SET", "before:" + i, "value"));
            }
            c.call("BGREWRITEAOF");
            awaitRewrite(c);
            // Nothing was appended since the rewrite ended: the base counts every file.
            assertEquals(field(c, "aof_current_size"), field(c, "aof_base_size"));
            for (int i = 0; i < 100; i++) {
                assertEquals("+OK", c.call("SET", "after:" + i, "value"));
            }
            // everysec: the feed hands its buffer to the writer within a few milliseconds, and the size follows the writes.
            long deadline = System.currentTimeMillis() + 5_000;
            while (Long.parseLong(field(c, "aof_current_size")) <= Long.parseLong(field(c, "aof_base_size"))
                    && System.currentTimeMillis() < deadline) {
                Thread.sleep(5);
            }
            assertTrue(Long.parseLong(field(c, "aof_current_size")) > Long.parseLong(field(c, "aof_base_size")));
        } finally {
            first.close();
        }
        MagpieServer second = AofServers.start(dir);
        try (AofTestClient c = new AofTestClient(second.port())) {
            long base = 0;
            long all = 0;
            try (Stream<Path> files = Files.list(dir.resolve("appendonlydir"))) {
                for (Path file : files.filter(f -> !f.getFileName().toString().endsWith(".manifest")).toList()) {
                    all += Files.size(file);
                    if (file.getFileName().toString().contains(".base.")) {
                        base += Files.size(file);
                    }
                }
            }
            assertTrue(base > 0 && all > base, base + " of " + all);
            assertEquals(String.valueOf(base), field(c, "aof_base_size"));
            assertEquals(String.valueOf(all), field(c, "aof_current_size"));
        } finally {
            second.close();
        }
    }

    private static void awaitRewrite(AofTestClient c) throws Exception {
        AofServers.awaitFirstRewrite(c);
        assertEquals("ok", field(c, "aof_last_bgrewrite_status"));
    }

    private static String field(AofTestClient c, String name) throws Exception {
        for (String line : List.of(c.call("INFO", "persistence").split("\r?\n"))) {
            if (line.startsWith(name + ":")) {
                return line.substring(name.length() + 1).trim();
            }
        }
        throw new AssertionError("INFO persistence has no " + name);
    }
}
