package dev.magpie.server.persistence;

import dev.magpie.server.MagpieServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The walk of a rewrite waits for its writer instead of piling copies of the dataset up. */
class AofRewriteBacklogTest {
    @TempDir
    Path dir;

    @Test
    void capturedBytesWaitingForTheWriterStayBounded() throws Exception {
        MagpieServer server = AofServers.start(dir, "--auto-aof-rewrite-percentage", "0");
        try (AofTestClient c = new AofTestClient(server.port())) {
            // 400k keys of 100 random bytes: about 50 MB of entry copies, which an idle engine
            // captures faster than the writer encodes them (LZF finds nothing, CRC-64 reads all).
            Random random = new Random(7);
            AofServers.fill(c, 400, () -> {
                StringBuilder value = new StringBuilder(100);
                for (int b = 0; b < 100; b++) {
                    value.append((char) ('!' + random.nextInt(94)));
                }
                return value.toString();
            });
            assertEquals("+Background append only file rewriting started", c.call("BGREWRITEAOF"));
            AofServers.awaitFirstRewrite(c);
            assertTrue(c.call("INFO", "persistence").contains("aof_last_bgrewrite_status:ok"));
            long peak = server.engine().aof().lastRewrite().peakBacklog();
            // The walk checks before each 200 µs slice: one slice's captures may come on top.
            assertTrue(peak <= AofRewrite.BACKLOG_LIMIT_BYTES + (2 << 20), "peak backlog " + peak + " bytes");
            assertTrue(peak > 0, "the rewrite handed its captures over");
        } finally {
            server.close();
        }
        MagpieServer reloaded = AofServers.start(dir);
        try (AofTestClient c = new AofTestClient(reloaded.port())) {
            assertEquals(":400000", c.call("DBSIZE"));
        } finally {
            reloaded.close();
        }
    }
}
