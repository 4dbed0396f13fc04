package dev.magpie.tests.container;

import dev.magpie.tests.support.Tools;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Runs podman for the container tests, with a store of its own (a temporary directory, removed at the
 * end) and the settings this kind of machine needs: runc (crun fails here), cgroupfs, events in a
 * file, modest default ulimits, and slirp4netns networking, whose published ports are bound to
 * 127.0.0.1 only. The bridge network is never used.
 */
final class Podman implements AutoCloseable {

    record Result(int exitCode, String out, String err) {
        Result ok(String what) {
            if (exitCode != 0) {
                throw new AssertionError(what + " failed with exit code " + exitCode + ":\n" + out + "\n" + err);
            }
            return this;
        }
    }

    private static final String CONTAINERS_CONF = """
            [containers]
            default_ulimits = ["nofile=20000:20000", "nproc=4096:4096"]
            netns = "slirp4netns"

            [engine]
            runtime = "runc"
            cgroup_manager = "cgroupfs"
            events_logger = "file"
            """;

    private final Path home;
    private final List<String> base;

    private Podman(Path podman, Path home) {
        this.home = home;
        this.base = List.of(podman.toString(), "--root", home.resolve("storage").toString(),
                "--runroot", home.resolve("run").toString(), "--tmpdir", home.resolve("tmp").toString());
    }

    /** Why podman cannot be used here, or empty when it can. */
    static Optional<String> unavailable() {
        List<String> missing = new ArrayList<>();
        for (String tool : List.of("podman", "runc", "slirp4netns")) {
            if (find(tool).isEmpty()) {
                missing.add(tool);
            }
        }
        return missing.isEmpty() ? Optional.empty() : Optional.of(String.join(", ", missing)
                + " not installed (apt-get install -y podman buildah runc skopeo slirp4netns), so the image cannot be run");
    }

    /** Podman with a private store; call only when {@link #unavailable()} is empty. */
    static Podman start() {
        try {
            Path home = Files.createTempDirectory("magpie-podman-");
            Files.createDirectories(home.resolve("tmp"));
            Files.writeString(home.resolve("containers.conf"), CONTAINERS_CONF);
            return new Podman(find("podman").orElseThrow(), home);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Optional<Path> find(String tool) {
        Optional<Path> found = Tools.find(tool);
        if (found.isPresent()) {
            return found;
        }
        return Stream.of("/usr/sbin", "/sbin", "/usr/bin").map(dir -> Path.of(dir, tool)).filter(Files::isExecutable).findFirst();
    }

    Result run(long timeoutSeconds, String... args) {
        List<String> command = new ArrayList<>(base);
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().put("CONTAINERS_CONF", home.resolve("containers.conf").toString());
        try {
            Process process = builder.start();
            CompletableFuture<String> out = drain(process.getInputStream());
            CompletableFuture<String> err = drain(process.getErrorStream());
            process.getOutputStream().close();
            if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                throw new AssertionError("podman " + String.join(" ", args) + " did not finish within " + timeoutSeconds + " s");
            }
            return new Result(process.exitValue(), out.join(), err.join());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static CompletableFuture<String> drain(InputStream stream) {
        return CompletableFuture.supplyAsync(() -> {
            try (stream; ByteArrayOutputStream buffer = new ByteArrayOutputStream()) {
                stream.transferTo(buffer);
                return buffer.toString(StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /** The host port (on 127.0.0.1) that a container's port is published on. */
    int publishedPort(String container, int containerPort) {
        String mapping = run(30, "port", container, containerPort + "/tcp").ok("podman port").out().trim();
        if (!mapping.startsWith("127.0.0.1:")) {
            throw new AssertionError("port " + containerPort + " is published on " + mapping + ", not on 127.0.0.1 only");
        }
        return Integer.parseInt(mapping.substring(mapping.lastIndexOf(':') + 1));
    }

    /** Removes every container and image of this private store, then the store itself. */
    @Override
    public void close() {
        run(120, "rm", "--all", "--force", "--time", "0");
        run(120, "system", "reset", "--force");
        try (Stream<Path> files = Files.walk(home)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            // a leftover temporary directory is harmless
        }
    }
}
