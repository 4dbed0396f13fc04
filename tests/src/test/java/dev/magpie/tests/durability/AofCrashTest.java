package dev.magpie.tests.durability;

import dev.magpie.tests.support.RawRespClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Crashes Magpie with SIGKILL at random moments while writers send acknowledged SET, INCR and
 * LPUSH traffic, restarts it on the same AOF and checks what survived: with
 * {@code appendfsync always} every acknowledged write; with {@code everysec} everything but at
 * most about the last second of acknowledged writes. A last round stops it with SIGTERM, which
 * must lose nothing under either policy.
 */
class AofCrashTest {
    private static final int WRITERS = 4;
    private static final int ROUNDS = 3;

    @TempDir
    Path always;
    @TempDir
    Path everysec;

    @Test
    void appendfsyncAlwaysLosesNoAcknowledgedWrite() throws Exception {
        crashRounds(always, "always", 0);
    }

    @Test
    void appendfsyncEverysecLosesAtMostAboutOneSecond() throws Exception {
        crashRounds(everysec, "everysec", 1500);
    }

    /** {@code allowedLossMillis}: how long before the kill a write may have been acknowledged and still be lost. */
    private static void crashRounds(Path dir, String policy, long allowedLossMillis) throws Exception {
        String[] flags = {"--appendonly", "yes", "--appendfsync", policy};
        List<Writer> earlier = new ArrayList<>();
        for (int round = 0; round <= ROUNDS; round++) {
            boolean graceful = round == ROUNDS;
            MagpieProcess server = MagpieProcess.start(dir, flags);
            List<Writer> writers = new ArrayList<>();
            AtomicBoolean stop = new AtomicBoolean();
            for (int w = 0; w < WRITERS; w++) {
                Writer writer = new Writer(server, round + "-" + w, stop);
                writers.add(writer);
                writer.start();
            }
            Thread.sleep(ThreadLocalRandom.current().nextLong(600, 1800));
            long stoppedAt = System.currentTimeMillis();
            if (graceful) {
                stop.set(true);
                for (Writer writer : writers) {
                    writer.join();
                }
                assertEquals(0, server.terminate(), "exit code after SIGTERM");
            } else {
                server.kill();
                stop.set(true);
                for (Writer writer : writers) {
                    writer.join();
                }
            }
            MagpieProcess restarted = MagpieProcess.start(dir, flags);
            try (RawRespClient client = restarted.connect()) {
                long acked = 0;
                long lost = 0;
                for (Writer writer : writers) {
                    Writer.Loss loss = writer.verify(client, stoppedAt);
                    acked += writer.acknowledged();
                    lost += loss.count();
                    long limit = graceful ? 0 : allowedLossMillis;
                    assertTrue(loss.count() == 0 || loss.oldestAgeMillis() <= limit,
                            policy + " round " + round + " writer " + writer.name + ": lost " + loss.count()
                                    + " acknowledged writes, the oldest acknowledged " + loss.oldestAgeMillis()
                                    + " ms before the " + (graceful ? "SIGTERM" : "SIGKILL"));
                }
                // Earlier rounds' data is still whole after this round's crash and restart.
                for (Writer writer : earlier) {
                    assertEquals(0, writer.verifyUnchanged(client), "round data changed after a later crash");
                }
                System.out.printf("AOF crash test appendfsync=%s round %d (%s): %d writes acknowledged, %d lost%n",
                        policy, round, graceful ? "SIGTERM" : "SIGKILL", acked, lost);
            } finally {
                restarted.terminate();
            }
            earlier.addAll(writers);
        }
    }
}
