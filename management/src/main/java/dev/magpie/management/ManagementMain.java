package dev.magpie.management;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * Runs the plane on its own, against remote caches:
 * <pre>
 * java dev.magpie.management.ManagementMain [management.conf] [--management-port 8443 ...]
 * </pre>
 * The optional file holds {@code name value} lines in redis.conf style ({@code #} starts a comment);
 * flags given after it override it. Names are those of {@link ManagementSettings#apply}.
 */
public final class ManagementMain {

    private ManagementMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        ManagementSettings settings = new ManagementSettings();
        try {
            parse(args, settings);
            if (settings.caches().isEmpty() && settings.cachesFile() == null) {
                throw new ManagementStartupException("No caches to manage: set management-caches-file");
            }
            ManagementPlane plane = ManagementPlane.start(settings);
            CountDownLatch stopped = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                plane.close();
                stopped.countDown();
            }, "magpie-management-shutdown"));
            stopped.await();
        } catch (ManagementStartupException e) {
            System.err.println("magpie-management: " + e.getMessage());
            System.exit(1);
        }
    }

    static void parse(String[] args, ManagementSettings settings) {
        int i = 0;
        if (args.length > 0 && !args[0].startsWith("--")) {
            readConfigFile(Path.of(args[0]), settings);
            i = 1;
        }
        for (; i < args.length; i += 2) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                throw new ManagementStartupException("Expected '--name value' pairs, got '" + args[i] + "'");
            }
            settings.apply(args[i].substring(2), args[i + 1]);
        }
    }

    private static void readConfigFile(Path file, ManagementSettings settings) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ManagementStartupException("Cannot read " + file.toAbsolutePath() + ": " + e.getMessage(), e);
        }
        for (String line : lines) {
            String trimmed = line.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                continue;
            }
            String[] parts = trimmed.split("\\s+", 2);
            if (parts.length != 2) {
                throw new ManagementStartupException(file + ": '" + trimmed + "' needs a name and a value");
            }
            settings.apply(parts[0], parts[1]);
        }
    }
}
