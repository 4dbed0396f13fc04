package dev.magpie.management;

import dev.magpie.management.auth.BearerAuthenticator;
import dev.magpie.management.caches.CacheDescriptor;
import dev.magpie.management.caches.CacheRegistry;
import dev.magpie.management.caches.CachesFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Settings, the caches file and token checks: misconfiguration stops startup with a message saying what to fix. */
class ConfigurationTest {

    @TempDir
    Path dir;

    @Test
    void settingsMapFromConfigurationNames() {
        ManagementSettings settings = new ManagementSettings()
                .apply("management-port", "9443")
                .apply("management-bind", "0.0.0.0")
                .apply("management-token", "one, two")
                .apply("management-results-dir", "/var/lib/magpie")
                .apply("management-result-retention", "60");
        assertEquals(9443, settings.port());
        assertEquals("0.0.0.0", settings.bindAddress());
        assertEquals(List.of("one", "two"), settings.tokens());
        assertEquals(Path.of("/var/lib/magpie"), settings.dataDir());
        assertEquals(Duration.ofSeconds(60), settings.resultRetention());
        assertThrows(ManagementStartupException.class, () -> settings.apply("management-prot", "1"));
        assertThrows(ManagementStartupException.class, () -> settings.apply("management-port", "many"));
    }

    @Test
    void theCachesFileDescribesEachCache() throws Exception {
        Path file = dir.resolve("caches.properties");
        Files.writeString(file, """
                cache.orders.resource-group = Shop
                cache.orders.host = 10.0.0.5
                cache.orders.port = 6380
                cache.orders.tls = true
                cache.orders.password = s3cret
                cache.sessions.host = 10.0.0.6
                cache.sessions.port = 6379
                cache.sessions.subscription = 11111111-1111-1111-1111-111111111111
                """);
        List<CacheDescriptor> caches = CachesFile.read(file, "sub", "magpie", "local");
        assertEquals(2, caches.size());
        CacheDescriptor orders = caches.get(0);
        assertEquals("orders", orders.name());
        assertEquals("Shop", orders.resourceGroup());
        assertEquals("sub", orders.subscriptionId());
        assertTrue(orders.tls());
        assertEquals("s3cret", orders.primaryKey());
        assertEquals("11111111-1111-1111-1111-111111111111", caches.get(1).subscriptionId());
        assertTrue(CacheRegistry.of(caches).find("SUB", "shop", "ORDERS").isPresent());
    }

    @Test
    void misconfiguredCachesStopStartup() throws Exception {
        Path file = dir.resolve("bad.properties");
        Files.writeString(file, "cache.x.hots = 1\n");
        assertTrue(assertThrows(ManagementStartupException.class, () -> CachesFile.read(file, "s", "r", "l"))
                .getMessage().contains("hots"));
        Files.writeString(file, "cache.x.host = h\n");
        assertTrue(assertThrows(ManagementStartupException.class, () -> CachesFile.read(file, "s", "r", "l"))
                .getMessage().contains("port"));
        CacheDescriptor badName = new CacheDescriptor("s", "r", "bad_name", "l", "h", 1, false, true, null, null, null);
        assertThrows(ManagementStartupException.class, () -> CacheRegistry.of(List.of(badName)));
        CacheDescriptor one = new CacheDescriptor("s", "r", "Twice", "l", "h", 1, false, true, null, null, null);
        CacheDescriptor two = new CacheDescriptor("S", "R", "twice", "l", "h", 2, false, true, null, null, null);
        assertThrows(ManagementStartupException.class, () -> CacheRegistry.of(List.of(one, two)));
    }

    @Test
    void plainHttpIsRefusedOffLoopback() {
        ManagementSettings settings = new ManagementSettings().plainHttp(true).bindAddress("0.0.0.0")
                .dataDir(dir).port(0).addTokens("t");
        assertTrue(assertThrows(ManagementStartupException.class, () -> ManagementPlane.start(settings))
                .getMessage().contains("loopback"));
    }

    @Test
    void withoutConfiguredTokensOneIsGeneratedAndKept() throws Exception {
        ManagementSettings settings = new ManagementSettings().tokensFromEnvironment(false).dataDir(dir).port(0);
        String generated;
        try (ManagementPlane plane = ManagementPlane.start(settings)) {
            generated = plane.tokens().get(0);
            assertTrue(generated.length() >= 32);
            assertTrue(Files.readString(dir.resolve("management-token")).contains(generated));
        }
        try (ManagementPlane plane = ManagementPlane.start(settings)) {
            assertEquals(List.of(generated), plane.tokens());
        }
    }

    @Test
    void bearerTokensMustMatchExactly() {
        BearerAuthenticator authenticator = new BearerAuthenticator(List.of("alpha", "beta"));
        assertEquals(BearerAuthenticator.Verdict.ACCEPTED, authenticator.check("Bearer beta"));
        assertEquals(BearerAuthenticator.Verdict.ACCEPTED, authenticator.check("bearer alpha"));
        assertEquals(BearerAuthenticator.Verdict.INVALID, authenticator.check("Bearer alph"));
        assertEquals(BearerAuthenticator.Verdict.INVALID, authenticator.check("Basic YWxwaGE="));
        assertEquals(BearerAuthenticator.Verdict.MISSING, authenticator.check(null));
    }
}
