package dev.magpie.tests.support;

import org.junit.jupiter.api.Assumptions;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Finds the external programs the black-box tests drive ({@code redis-server}, {@code redis-cli},
 * {@code redis-benchmark}). An environment variable named after the tool ({@code REDIS_SERVER},
 * {@code REDIS_CLI}, ...) overrides the search; otherwise {@code PATH}, then the usual install dirs.
 *
 * <p>A missing tool skips the test with the reason shown, except when {@code CI=true}: a CI
 * machine without the tool must fail loudly rather than pass by skipping everything.
 */
public final class Tools {
    private Tools() {
    }

    public static boolean inCi() {
        return "true".equals(System.getenv("CI"));
    }

    /** The tool's path, or empty when it is not installed. */
    public static Optional<Path> find(String name) {
        List<Path> candidates = new ArrayList<>();
        String override = System.getenv(name.toUpperCase(Locale.ROOT).replace('-', '_'));
        if (override != null && !override.isEmpty()) {
            candidates.add(Path.of(override));
        }
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (!dir.isEmpty()) {
                candidates.add(Path.of(dir, name));
            }
        }
        candidates.add(Path.of("/usr/bin", name));
        candidates.add(Path.of("/usr/local/bin", name));
        return candidates.stream().filter(Files::isExecutable).findFirst();
    }

    /** The tool's path; when it is missing, aborts the test (or fails it in CI) naming the package to install. */
    public static Path require(String name) {
        Optional<Path> found = find(name);
        if (found.isPresent()) {
            return found.get();
        }
        String packageName = name.equals("redis-server") ? "redis-server" : "redis-tools";
        unavailable(name + " is not installed (apt-get install -y " + packageName + "), so this test cannot run");
        throw new AssertionError("unreachable");
    }

    /** Skips the calling test with {@code reason}, or fails it when running in CI. */
    public static void unavailable(String reason) {
        if (inCi()) {
            throw new AssertionError(reason + " [CI=true: missing tools are failures]");
        }
        Assumptions.abort(reason);
    }

    public static Path redisServer() {
        return require("redis-server");
    }

    public static Path redisCli() {
        return require("redis-cli");
    }

    public static Path redisBenchmark() {
        return require("redis-benchmark");
    }
}
