package dev.magpie.tests.management;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The one-command start (the server's own main, in a JVM of its own): {@code management-port 0}
 * turns the plane off, while any other port brings it up beside the key server.
 */
class ManagementPortZeroTest {

    @TempDir
    Path dir;

    /** Starts the server with {@code flags}, returns its log up to "Ready to accept connections", then stops it. */
    private List<String> startupLog(Path workDir, String... flags) throws Exception {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                // A short-lived JVM: the quick compiler is enough and starts sooner.
                "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"), "dev.magpie.server.Main",
                "--bind", "127.0.0.1", "--port", "0", "--dir", workDir.toString(), "--loglevel", "notice",
                // Plain HTTP on loopback spares generating a certificate in a cold JVM.
                "--management-plain-http", "yes", "--management-token", "t"));
        command.addAll(List.of(flags));
        Files.createDirectories(workDir);
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        List<String> lines = new ArrayList<>();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            Thread watchdog = new Thread(() -> {
                try {
                    if (!process.waitFor(20, TimeUnit.SECONDS)) process.destroyForcibly();
                } catch (InterruptedException ignored) {
                    // the test ended first
                }
            });
            watchdog.setDaemon(true);
            watchdog.start();
            String line;
            while ((line = out.readLine()) != null) {
                lines.add(line);
                if (line.contains("Ready to accept connections")) break;
            }
        } finally {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
        assertTrue(lines.stream().anyMatch(l -> l.contains("Ready to accept connections")), String.join("\n", lines));
        return lines;
    }

    @Test
    void managementPortZeroTurnsThePlaneOff() throws Exception {
        Path workDir = dir.resolve("off");
        List<String> log = startupLog(workDir, "--management-port", "0");
        assertFalse(log.stream().anyMatch(l -> l.contains("Management plane")), String.join("\n", log));
        assertFalse(Files.exists(workDir.resolve("magpie-management")), "the plane's store was created");
    }

    @Test
    void anyOtherPortStartsThePlaneBesideTheServer() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        Path workDir = dir.resolve("on");
        List<String> log = startupLog(workDir, "--management-port", String.valueOf(port));
        assertTrue(log.stream().anyMatch(l -> l.contains("Management plane listening on http://127.0.0.1:" + port)),
                String.join("\n", log));
        assertTrue(Files.isDirectory(workDir.resolve("magpie-management")));
    }
}
