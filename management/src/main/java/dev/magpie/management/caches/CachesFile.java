package dev.magpie.management.caches;

import dev.magpie.management.ManagementStartupException;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Reads the registry of caches from a properties file, one group of {@code cache.<name>.<field>} lines
 * per cache:
 * <pre>
 * cache.orders.resource-group = shop
 * cache.orders.host = 10.0.0.5
 * cache.orders.port = 6379
 * cache.orders.primary-key = s3cret
 * </pre>
 * Fields: subscription, resource-group, location (default to the plane's), host, port (required),
 * tls, tls-verify-peer, username, primary-key (alias password), secondary-key.
 */
public final class CachesFile {

    private static final Set<String> FIELDS = Set.of("subscription", "resource-group", "location", "host", "port",
            "tls", "tls-verify-peer", "username", "primary-key", "password", "secondary-key");

    private CachesFile() {
    }

    public static List<CacheDescriptor> read(Path file, String defaultSubscription, String defaultResourceGroup,
                                             String defaultLocation) {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(reader);
        } catch (IOException e) {
            throw new ManagementStartupException("Cannot read the caches file " + file.toAbsolutePath() + ": " + e.getMessage(), e);
        }
        Map<String, Map<String, String>> byCache = new TreeMap<>();
        for (String key : properties.stringPropertyNames()) {
            String[] parts = key.split("\\.", 3);
            if (parts.length != 3 || !parts[0].equals("cache") || !FIELDS.contains(parts[2].toLowerCase(Locale.ROOT))) {
                throw new ManagementStartupException("Caches file " + file + ": unknown key '" + key
                        + "'; expected cache.<name>.<field> with field one of " + String.join(", ", new TreeSet<>(FIELDS)));
            }
            byCache.computeIfAbsent(parts[1], n -> new TreeMap<>())
                    .put(parts[2].toLowerCase(Locale.ROOT), properties.getProperty(key).trim());
        }
        List<CacheDescriptor> caches = new ArrayList<>();
        byCache.forEach((name, fields) -> caches.add(describe(file, name, fields,
                defaultSubscription, defaultResourceGroup, defaultLocation)));
        return caches;
    }

    private static CacheDescriptor describe(Path file, String name, Map<String, String> fields,
                                            String defaultSubscription, String defaultResourceGroup, String defaultLocation) {
        String host = fields.get("host");
        String port = fields.get("port");
        if (host == null || port == null) {
            throw new ManagementStartupException("Caches file " + file + ": cache '" + name + "' needs both host and port");
        }
        int portNumber;
        try {
            portNumber = Integer.parseInt(port);
        } catch (NumberFormatException e) {
            throw new ManagementStartupException("Caches file " + file + ": cache '" + name + "' has port '" + port
                    + "', which is not a number");
        }
        String primary = fields.getOrDefault("primary-key", fields.get("password"));
        return new CacheDescriptor(
                fields.getOrDefault("subscription", defaultSubscription),
                fields.getOrDefault("resource-group", defaultResourceGroup),
                name,
                fields.getOrDefault("location", defaultLocation),
                host,
                portNumber,
                Boolean.parseBoolean(fields.getOrDefault("tls", "false")),
                Boolean.parseBoolean(fields.getOrDefault("tls-verify-peer", "true")),
                fields.get("username"),
                primary,
                fields.get("secondary-key"));
    }
}
