package dev.magpie.management.support;

import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real redis-server on a free loopback port, the cache the plane manages in these tests. Without the
 * binary the tests are skipped with the reason shown, except in CI, where that is a failure.
 */
public final class RedisServerProcess implements AutoCloseable {

    private final Process process;
    private final int port;

    private RedisServerProcess(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    public static RedisServerProcess start(String... extraArgs) throws IOException, InterruptedException {
        Path binary = findBinary();
        int port = freePort();
        List<String> command = new ArrayList<>(List.of(binary.toString(), "--port", String.valueOf(port),
                "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--databases", "16"));
        command.addAll(List.of(extraArgs));
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        RedisServerProcess server = new RedisServerProcess(process, port);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            try (Socket socket = new Socket("127.0.0.1", port)) {
                return server;
            } catch (IOException notYet) {
                if (!process.isAlive()) {
                    throw new IOException("redis-server exited with " + process.exitValue());
                }
                Thread.sleep(20);
            }
        }
        server.close();
        throw new IOException("redis-server did not open port " + port);
    }

    private static Path findBinary() {
        List<Path> candidates = new ArrayList<>();
        String configured = System.getenv("REDIS_SERVER");
        if (configured != null) candidates.add(Path.of(configured));
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            if (!dir.isEmpty()) candidates.add(Path.of(dir, "redis-server"));
        }
        candidates.add(Path.of("/usr/bin/redis-server"));
        candidates.add(Path.of("/usr/local/bin/redis-server"));
        for (Path candidate : candidates) {
            if (Files.isExecutable(candidate)) return candidate;
        }
        String reason = "redis-server is not installed (apt-get install redis-server), so the management tests cannot run";
        if ("true".equals(System.getenv("CI"))) {
            throw new IllegalStateException(reason);
        }
        Assumptions.abort(reason);
        throw new AssertionError("unreachable");
    }

    public static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    public int port() {
        return port;
    }

    /** Sends one command over a fresh connection (optionally logged in) and returns the raw reply. */
    public String command(String password, String... args) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            RespConnection connection = new RespConnection(socket);
            if (password != null) {
                String auth = connection.call("AUTH", password);
                if (!auth.equals("+OK")) return auth;
            }
            return connection.call(args);
        }
    }

    /** A minimal RESP client, so the tests check the cache with something independent of the plane's Lettuce. */
    public static final class RespConnection implements AutoCloseable {
        private final Socket socket;
        private final OutputStream out;
        private final InputStream in;

        public RespConnection(Socket socket) throws IOException {
            this.socket = socket;
            this.out = socket.getOutputStream();
            this.in = socket.getInputStream();
        }

        public static RespConnection open(int port) throws IOException {
            Socket socket = new Socket("127.0.0.1", port);
            socket.setSoTimeout(10_000);
            return new RespConnection(socket);
        }

        /** Returns simple strings, errors and integers with their type marker; bulk strings as text; arrays joined by ','. */
        public String call(String... args) throws IOException {
            StringBuilder request = new StringBuilder("*").append(args.length).append("\r\n");
            for (String arg : args) {
                byte[] bytes = arg.getBytes(StandardCharsets.UTF_8);
                request.append('$').append(bytes.length).append("\r\n").append(arg).append("\r\n");
            }
            out.write(request.toString().getBytes(StandardCharsets.UTF_8));
            out.flush();
            return readReply();
        }

        private String readReply() throws IOException {
            String line = readLine();
            switch (line.charAt(0)) {
                case '$': {
                    int length = Integer.parseInt(line.substring(1));
                    if (length < 0) return "(nil)";
                    byte[] data = in.readNBytes(length + 2);
                    return new String(data, 0, length, StandardCharsets.UTF_8);
                }
                case '*': {
                    int count = Integer.parseInt(line.substring(1));
                    List<String> items = new ArrayList<>();
                    for (int i = 0; i < count; i++) items.add(readReply());
                    return String.join(",", items);
                }
                default:
                    return line;
            }
        }

        private String readLine() throws IOException {
            StringBuilder line = new StringBuilder();
            int c;
            while ((c = in.read()) != -1) {
                if (c == '\r') {
                    in.read();
                    return line.toString();
                }
                line.append((char) c);
            }
            throw new IOException("connection closed");
        }

        @Override
        public void close() throws IOException {
            socket.close();
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
        }
    }
}
