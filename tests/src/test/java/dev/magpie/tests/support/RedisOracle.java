package dev.magpie.tests.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real {@code redis-server}, the specification Magpie is compared against. It runs on a free
 * loopback port with persistence off and DEBUG enabled, in a temporary directory that is removed
 * when it is closed. Extra arguments are redis-server flags ({@code "--requirepass", "secret"}).
 *
 * <p>Without the binary the test is skipped with the reason shown, or fails when {@code CI=true}.
 */
public final class RedisOracle implements AutoCloseable {
    private static final long START_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(10);

    private final Process process;
    private final int port;
    private final Path dir;
    private final Path log;

    private RedisOracle(Process process, int port, Path dir, Path log) {
        this.process = process;
        this.port = port;
        this.dir = dir;
        this.log = log;
    }

    public static RedisOracle start(String... extraArgs) {
        Path binary = Tools.redisServer();
        IOException last = null;
        // The free port can be taken between probing and binding: try a few times.
        for (int attempt = 0; attempt < 3; attempt++) {
            try {
                return startOnce(binary, freePort(), extraArgs);
            } catch (IOException e) {
                last = e;
            }
        }
        throw new UncheckedIOException("could not start redis-server", last);
    }

    private static RedisOracle startOnce(Path binary, int port, String... extraArgs) throws IOException {
        Path dir = Files.createTempDirectory("magpie-oracle-");
        Path log = dir.resolve("redis.log");
        List<String> command = new ArrayList<>(List.of(binary.toString(),
                "--port", String.valueOf(port), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no", "--enable-debug-command", "yes",
                "--dir", dir.toString(), "--logfile", log.toString()));
        command.addAll(List.of(extraArgs));
        Process process = new ProcessBuilder(command).directory(dir.toFile())
                .redirectErrorStream(true).redirectOutput(dir.resolve("stdout.log").toFile()).start();
        RedisOracle oracle = new RedisOracle(process, port, dir, log);
        try {
            oracle.awaitReady();
            return oracle;
        } catch (IOException | RuntimeException e) {
            oracle.close();
            throw e;
        }
    }

    /** Ready means it answers PING (with PONG, or NOAUTH when a password is set). */
    private void awaitReady() throws IOException {
        long deadline = System.nanoTime() + START_TIMEOUT_NANOS;
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException("redis-server exited with status " + process.exitValue() + ": " + logTail());
            }
            try (RawRespClient client = RawRespClient.connect("127.0.0.1", port)) {
                String reply = client.callText("PING");
                if (reply.startsWith("+PONG") || reply.startsWith("-NOAUTH")) {
                    return;
                }
            } catch (IOException | UncheckedIOException notYet) {
                // not listening yet
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while waiting for redis-server", e);
            }
        }
        throw new IOException("redis-server did not answer PING on port " + port + ": " + logTail());
    }

    public int port() {
        return port;
    }

    public String host() {
        return "127.0.0.1";
    }

    public long pid() {
        return process.pid();
    }

    /** A new raw RESP connection to this server. */
    public RawRespClient connect() {
        try {
            return RawRespClient.connect(host(), port());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The last lines of redis-server's log, for failure messages. */
    public String logTail() {
        try {
            List<String> lines = Files.exists(log) ? Files.readAllLines(log) : List.of();
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
        } catch (IOException e) {
            return "(log unreadable: " + e.getMessage() + ")";
        }
    }

    public static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException ignored) {
            // a leftover temp dir is harmless
        }
    }
}
