package dev.magpie.management;

import dev.magpie.management.caches.CacheDescriptor;
import dev.magpie.management.caches.CacheId;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything the management plane can be told, as plain mutable fields with defaults, so a launcher
 * can map its own configuration keys onto it (see {@link #apply(String, String)}) and tests can set
 * fields directly. {@link ManagementPlane#start} validates the whole object once.
 */
public final class ManagementSettings {

    public static final String DEFAULT_SUBSCRIPTION = "00000000-0000-0000-0000-000000000000";
    public static final String DEFAULT_RESOURCE_GROUP = "magpie";
    public static final String DEFAULT_LOCATION = "local";
    public static final String DEFAULT_LOCAL_CACHE_NAME = "local";
    public static final String TOKEN_ENVIRONMENT_VARIABLE = "MAGPIE_MANAGEMENT_TOKEN";

    private String bindAddress = "127.0.0.1";
    private int port = 8443;
    private final List<String> tokens = new ArrayList<>();
    private boolean tokensFromEnvironment = true;
    private Path tlsCertFile;
    private Path tlsKeyFile;
    private boolean plainHttp;
    private Path dataDir = Path.of("magpie-management");
    private Path cachesFile;
    private final List<CacheDescriptor> caches = new ArrayList<>();
    private String defaultSubscription = DEFAULT_SUBSCRIPTION;
    private String defaultResourceGroup = DEFAULT_RESOURCE_GROUP;
    private String defaultLocation = DEFAULT_LOCATION;
    private Duration operationTimeout = Duration.ofMinutes(5);
    private Duration cacheConnectTimeout = Duration.ofSeconds(5);
    private Duration resultRetention = Duration.ofHours(24);
    private int retryAfterSeconds = 1;
    private int maxQueuedOperationsPerCache = 64;
    private int maxRequestBodyBytes = 64 * 1024;
    private String publicBaseUrl;
    private CacheId localCache;

    /**
     * Sets one setting from its configuration-file name (the names {@code redis.conf}-style launchers
     * use). Durations are whole seconds. Unknown names are rejected so typos fail at startup.
     */
    public ManagementSettings apply(String key, String value) {
        String v = value.trim();
        switch (key.toLowerCase(Locale.ROOT)) {
            case "management-bind" -> bindAddress = v;
            case "management-port" -> port = parseInt(key, v);
            case "management-token" -> addTokens(v);
            case "management-tls-cert-file", "management-cert" -> tlsCertFile = Path.of(v);
            case "management-tls-key-file", "management-key" -> tlsKeyFile = Path.of(v);
            case "management-plain-http" -> plainHttp = parseBoolean(key, v);
            case "management-results-dir", "management-data-dir" -> dataDir = Path.of(v);
            case "management-caches-file" -> cachesFile = Path.of(v);
            case "management-subscription" -> defaultSubscription = v;
            case "management-resource-group" -> defaultResourceGroup = v;
            case "management-location" -> defaultLocation = v;
            case "management-operation-timeout" -> operationTimeout = Duration.ofSeconds(parseInt(key, v));
            case "management-connect-timeout" -> cacheConnectTimeout = Duration.ofSeconds(parseInt(key, v));
            case "management-result-retention" -> resultRetention = Duration.ofSeconds(parseInt(key, v));
            case "management-retry-after" -> retryAfterSeconds = parseInt(key, v);
            case "management-max-queued-operations" -> maxQueuedOperationsPerCache = parseInt(key, v);
            case "management-max-body-bytes" -> maxRequestBodyBytes = parseInt(key, v);
            case "management-public-url" -> publicBaseUrl = v;
            default -> throw new ManagementStartupException("Unknown management setting '" + key + "'");
        }
        return this;
    }

    /** Registers the key server running beside the plane as cache {@value #DEFAULT_LOCAL_CACHE_NAME}. */
    public ManagementSettings registerLocalCache(String host, int cachePort, String password) {
        CacheDescriptor local = new CacheDescriptor(defaultSubscription, defaultResourceGroup, DEFAULT_LOCAL_CACHE_NAME,
                defaultLocation, host, cachePort, false, true, null, password, null);
        caches.add(local);
        localCache = local.id();
        return this;
    }

    /** The key server running beside the plane, if one was registered: /readyz reports its readiness. */
    public Optional<CacheId> localCache() {
        return Optional.ofNullable(localCache);
    }

    public ManagementSettings addCache(CacheDescriptor cache) {
        caches.add(Objects.requireNonNull(cache));
        return this;
    }

    /** Accepts one token or several separated by commas or whitespace. */
    public ManagementSettings addTokens(String tokenList) {
        for (String token : tokenList.split("[,\\s]+")) {
            if (!token.isEmpty()) {
                tokens.add(token);
            }
        }
        return this;
    }

    private static int parseInt(String key, String value) {
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new ManagementStartupException("Setting '" + key + "' needs a whole number, got '" + value + "'");
        }
    }

    private static boolean parseBoolean(String key, String value) {
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "yes", "true", "on" -> true;
            case "no", "false", "off" -> false;
            default -> throw new ManagementStartupException("Setting '" + key + "' needs yes or no, got '" + value + "'");
        };
    }

    public String bindAddress() { return bindAddress; }
    public ManagementSettings bindAddress(String value) { bindAddress = value; return this; }
    /** 0 binds an ephemeral port (tests); a launcher that wants "0 turns the plane off" does not call start. */
    public int port() { return port; }
    public ManagementSettings port(int value) { port = value; return this; }
    public List<String> tokens() { return tokens; }
    public boolean tokensFromEnvironment() { return tokensFromEnvironment; }
    public ManagementSettings tokensFromEnvironment(boolean value) { tokensFromEnvironment = value; return this; }
    public Path tlsCertFile() { return tlsCertFile; }
    public ManagementSettings tlsCertFile(Path value) { tlsCertFile = value; return this; }
    public Path tlsKeyFile() { return tlsKeyFile; }
    public ManagementSettings tlsKeyFile(Path value) { tlsKeyFile = value; return this; }
    public boolean plainHttp() { return plainHttp; }
    public ManagementSettings plainHttp(boolean value) { plainHttp = value; return this; }
    public Path dataDir() { return dataDir; }
    public ManagementSettings dataDir(Path value) { dataDir = value; return this; }
    public Path cachesFile() { return cachesFile; }
    public ManagementSettings cachesFile(Path value) { cachesFile = value; return this; }
    public List<CacheDescriptor> caches() { return caches; }
    public String defaultSubscription() { return defaultSubscription; }
    public ManagementSettings defaultSubscription(String value) { defaultSubscription = value; return this; }
    public String defaultResourceGroup() { return defaultResourceGroup; }
    public ManagementSettings defaultResourceGroup(String value) { defaultResourceGroup = value; return this; }
    public String defaultLocation() { return defaultLocation; }
    public ManagementSettings defaultLocation(String value) { defaultLocation = value; return this; }
    public Duration operationTimeout() { return operationTimeout; }
    public ManagementSettings operationTimeout(Duration value) { operationTimeout = value; return this; }
    public Duration cacheConnectTimeout() { return cacheConnectTimeout; }
    public ManagementSettings cacheConnectTimeout(Duration value) { cacheConnectTimeout = value; return this; }
    public Duration resultRetention() { return resultRetention; }
    public ManagementSettings resultRetention(Duration value) { resultRetention = value; return this; }
    public int retryAfterSeconds() { return retryAfterSeconds; }
    public ManagementSettings retryAfterSeconds(int value) { retryAfterSeconds = value; return this; }
    public int maxQueuedOperationsPerCache() { return maxQueuedOperationsPerCache; }
    public ManagementSettings maxQueuedOperationsPerCache(int value) { maxQueuedOperationsPerCache = value; return this; }
    public int maxRequestBodyBytes() { return maxRequestBodyBytes; }
    public ManagementSettings maxRequestBodyBytes(int value) { maxRequestBodyBytes = value; return this; }
    /** Scheme and authority for absolute URLs in headers; null derives them from the request's Host. */
    public String publicBaseUrl() { return publicBaseUrl; }
    public ManagementSettings publicBaseUrl(String value) { publicBaseUrl = value; return this; }
}
