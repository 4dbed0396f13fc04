package dev.magpie.management.support;

import dev.magpie.management.ManagementPlane;
import dev.magpie.management.ManagementSettings;
import dev.magpie.management.caches.CacheDescriptor;

import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Consumer;

/** Starts planes the way the tests need them: loopback, ephemeral port, a known token, a private data dir. */
public final class TestPlanes {

    public static final String TOKEN = "test-token-4f1c";
    public static final String SUBSCRIPTION = ManagementSettings.DEFAULT_SUBSCRIPTION;
    public static final String RESOURCE_GROUP = "magpie";
    public static final String API = "?api-version=2024-11-01";

    private TestPlanes() {
    }

    public static ManagementSettings settings(Path dataDir) {
        return new ManagementSettings()
                .port(0)
                .tokensFromEnvironment(false)
                .addTokens(TOKEN)
                .dataDir(dataDir)
                .operationTimeout(Duration.ofSeconds(15))
                .cacheConnectTimeout(Duration.ofSeconds(2));
    }

    public static ManagementPlane start(Path dataDir, Consumer<ManagementSettings> tweaks) {
        ManagementSettings settings = settings(dataDir);
        tweaks.accept(settings);
        return ManagementPlane.start(settings);
    }

    public static CacheDescriptor cache(String name, int port, String password) {
        return new CacheDescriptor(SUBSCRIPTION, RESOURCE_GROUP, name, "local", "127.0.0.1", port, false, true,
                null, password, null);
    }

    public static String cachePath(String name) {
        return cachePath(SUBSCRIPTION, RESOURCE_GROUP, name);
    }

    public static String cachePath(String subscription, String resourceGroup, String name) {
        return "/subscriptions/" + subscription + "/resourceGroups/" + resourceGroup
                + "/providers/Microsoft.Cache/redis/" + name;
    }
}
