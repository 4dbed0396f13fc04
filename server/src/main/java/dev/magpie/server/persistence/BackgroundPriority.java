package dev.magpie.server.persistence;

import dev.magpie.server.Log;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Lowers the calling thread to nice {@value #NICE}, the nice command's default, so that a
 * background writer (an AOF rewrite's, a BGSAVE's) runs on the CPU the engine and the clients leave
 * idle instead of taking a share of theirs. A rewrite costs the same CPU either way; what changes is
 * whose. In the bench's AOF section (two cores, pipeline-16 writes with automatic rewrites), the
 * median share of its throughput Magpie kept under {@code everysec} went from 0.89 to 0.92 for SET
 * and from 0.80 to 0.85 for LPUSH when the writers were lowered.
 *
 * <p>Linux keeps a nice value per thread, but Java has no call for it, so the thread runs
 * util-linux's {@code renice} on its own thread id (the container image carries the binary). Where
 * renice or {@code /proc/thread-self} is missing, the thread keeps its priority and the first
 * failure is logged.
 */
final class BackgroundPriority {
    static final int NICE = 10;
    private static final List<Path> RENICE = List.of(Path.of("/usr/bin/renice"), Path.of("/bin/renice"));
    private static final AtomicBoolean REPORTED = new AtomicBoolean();

    private BackgroundPriority() {
    }

    /** Returns whether the calling thread now runs at nice {@value #NICE}. */
    static boolean lowerCurrentThread() {
        Path renice = RENICE.stream().filter(Files::isExecutable).findFirst().orElse(null);
        if (renice == null) {
            return unchanged("renice was not found");
        }
        try {
            // "<pid>/task/<tid>": the kernel's id of this thread, which renice takes as a process id.
            String self = Files.readSymbolicLink(Path.of("/proc/thread-self")).toString();
            String thread = self.substring(self.lastIndexOf('/') + 1);
            Process process = new ProcessBuilder(renice.toString(), "-n", Integer.toString(NICE), "-p", thread)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return unchanged("renice did not finish");
            }
            return process.exitValue() == 0 || unchanged("renice exited with " + process.exitValue());
        } catch (IOException | RuntimeException e) {
            return unchanged(e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static boolean unchanged(String why) {
        if (REPORTED.compareAndSet(false, true)) {
            Log.verbose("Background writers keep the normal CPU priority: " + why);
        }
        return false;
    }
}
