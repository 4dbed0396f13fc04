package dev.magpie.tests.durability;

import dev.magpie.tests.support.RawRespClient;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Magpie as a separate process (the test classpath's {@code dev.magpie.server.Main}), so a test
 * can kill it with SIGKILL as a crash would, and start it again on the same directory.
 */
final class MagpieProcess implements AutoCloseable {
    private final Process process;
    private final int port;
    private final Path log;

    private MagpieProcess(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    static MagpieProcess start(Path dir, String... flags) throws IOException, InterruptedException {
        int port;
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> command = new ArrayList<>(List.of(java.toString(), "-Xmx512m", "-cp",
                System.getProperty("java.class.path"), "dev.magpie.server.Main",
                "--bind", "127.0.0.1", "--port", String.valueOf(port), "--management", "no",
                "--dir", dir.toString()));
        command.addAll(List.of(flags));
        Path log = dir.resolve("magpie-" + System.nanoTime() + ".log");
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        MagpieProcess started = new MagpieProcess(process, port, log);
        started.awaitReady();
        return started;
    }

    private void awaitReady() throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException("Magpie exited with " + process.exitValue() + ": " + Files.readString(log));
            }
            try (RawRespClient client = connect()) {
                if (client.callText("PING").startsWith("+PONG")) {
                    return;
                }
            } catch (UncheckedIOException notYet) {
                // not listening yet
            }
            Thread.sleep(20);
        }
        throw new IOException("Magpie did not answer PING: " + Files.readString(log));
    }

    RawRespClient connect() {
        try {
            return RawRespClient.connect("127.0.0.1", port).timeoutMillis(10_000);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** SIGKILL: no shutdown code runs, as in a crash. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    /** SIGTERM: the graceful stop; returns the exit code. */
    int terminate() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            return -1;
        }
        return process.exitValue();
    }

    String log() throws IOException {
        return Files.readString(log);
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill();
        }
    }
}
