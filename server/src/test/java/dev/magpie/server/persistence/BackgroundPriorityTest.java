package dev.magpie.server.persistence;

import dev.magpie.server.MagpieServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Background writers run at nice 10, so they take the CPU the engine and clients leave idle. */
class BackgroundPriorityTest {
    private static final boolean RENICE = Files.isExecutable(Path.of("/usr/bin/renice"))
            || Files.isExecutable(Path.of("/bin/renice"));

    @TempDir
    Path dir;

    @Test
    void lowersOnlyTheCallingThread() throws Exception {
        AtomicBoolean lowered = new AtomicBoolean();
        AtomicInteger niceAfter = new AtomicInteger(-100);
        Thread thread = new Thread(() -> {
            lowered.set(BackgroundPriority.lowerCurrentThread());
            try {
                niceAfter.set(nice(Files.readString(Path.of("/proc/thread-self/stat"))));
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
        });
        int callerBefore = nice(Files.readString(Path.of("/proc/thread-self/stat")));
        thread.start();
        thread.join();
        // Debian and Ubuntu always have renice (bsdutils is essential); elsewhere the thread keeps its priority.
        assertEquals(RENICE, lowered.get());
        assertEquals(RENICE ? BackgroundPriority.NICE : callerBefore, niceAfter.get());
        assertEquals(callerBefore, nice(Files.readString(Path.of("/proc/thread-self/stat"))),
                "the caller's thread is untouched");
    }

    @Test
    void theRewriteAndBgsaveWritersRunAtTheLowerPriority() throws Exception {
        MagpieServer server = AofServers.start(dir);
        try (AofTestClient c = new AofTestClient(server.port())) {
            AofServers.fill(c, 200, "v".repeat(100));
            assertEquals("+Background append only file rewriting started", c.call("BGREWRITEAOF"));
            int lowered = RENICE ? BackgroundPriority.NICE : 0;
            assertEquals(lowered, niceWhileRunning(c, "magpie-aof-rewr", "aof_rewrite_in_progress:1"));
            while (c.call("INFO", "persistence").contains("aof_rewrite_in_progress:1")) {
                Thread.sleep(5);
            }
            assertEquals("+Background saving started", c.call("BGSAVE"));
            assertEquals(lowered, niceWhileRunning(c, "magpie-rdb-writ", "rdb_bgsave_in_progress:1"));
        } finally {
            server.close();
        }
    }

    /**
     * The nice value of the thread named {@code comm} (as the kernel shortens it) once it has
     * lowered itself, polled while INFO shows {@code running}: 200k keys take far longer to write
     * than the thread takes to start and lower itself.
     */
    private static int niceWhileRunning(AofTestClient c, String comm, String running) throws Exception {
        int seen = -100;
        while (seen != BackgroundPriority.NICE && c.call("INFO", "persistence").contains(running)) {
            try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
                for (Path task : tasks.toList()) {
                    try {
                        if (Files.readString(task.resolve("comm")).trim().equals(comm)) {
                            seen = nice(Files.readString(task.resolve("stat")));
                        }
                    } catch (IOException gone) {
                        // the thread ended between the listing and the read
                    }
                }
            }
        }
        assertTrue(seen != -100, comm + " was never seen running");
        return seen;
    }

    /** Field 19 of /proc/.../stat; the fields are counted after the command name's closing parenthesis. */
    private static int nice(String stat) {
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
        return Integer.parseInt(fields[19 - 3]);
    }
}
