package dev.magpie.management.support;

import dev.magpie.management.ManagementPlane;
import dev.magpie.management.ManagementSettings;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.function.BiConsumer;
import java.util.stream.Stream;

/**
 * A real redis-server, a plane (private data dir, test token) managing it, and a client for the
 * plane, started once before a test class and closed after it:
 * <pre>{@code
 * @RegisterExtension
 * static final PlaneOverRedis fixture = PlaneOverRedis.withCache("orders");
 * ... fixture.client().send("POST", cachePath("orders") + "/flush" + API, null) ...
 * }</pre>
 */
public final class PlaneOverRedis implements BeforeAllCallback, AfterAllCallback {
    private final BiConsumer<ManagementSettings, RedisServerProcess> setup;
    private Path dataDir;
    private RedisServerProcess redis;
    private ManagementPlane plane;
    private PlaneClient client;

    /** {@code setup} declares the plane's caches (and any other setting) for the started redis-server. */
    public PlaneOverRedis(BiConsumer<ManagementSettings, RedisServerProcess> setup) {
        this.setup = setup;
    }

    /** One cache of that name in the default subscription and resource group, no password. */
    public static PlaneOverRedis withCache(String name) {
        return new PlaneOverRedis((settings, redis) -> settings.addCache(TestPlanes.cache(name, redis.port(), null)));
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        dataDir = Files.createTempDirectory("plane-test");
        redis = RedisServerProcess.start();
        plane = TestPlanes.start(dataDir, settings -> setup.accept(settings, redis));
        client = new PlaneClient(plane, TestPlanes.TOKEN);
    }

    @Override
    public void afterAll(ExtensionContext context) throws IOException {
        try {
            if (plane != null) plane.close();
            if (redis != null) redis.close();
        } finally {
            plane = null;
            redis = null;
            client = null;
            if (dataDir != null) {
                deleteTree(dataDir);
                dataDir = null;
            }
        }
    }

    public RedisServerProcess redis() {
        return redis;
    }

    public ManagementPlane plane() {
        return plane;
    }

    public PlaneClient client() {
        return client;
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> {
                try {
                    Files.delete(path);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }
}
