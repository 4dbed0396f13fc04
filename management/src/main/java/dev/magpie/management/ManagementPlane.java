package dev.magpie.management;

import dev.magpie.management.arm.ApiVersions;
import dev.magpie.management.arm.ArmApi;
import dev.magpie.management.auth.BearerAuthenticator;
import dev.magpie.management.auth.TokenSource;
import dev.magpie.management.caches.CacheClient;
import dev.magpie.management.caches.CacheDescriptor;
import dev.magpie.management.caches.CacheRegistry;
import dev.magpie.management.caches.CachesFile;
import dev.magpie.management.http.HttpServer;
import dev.magpie.management.keys.KeyRing;
import dev.magpie.management.operations.OperationCoordinator;
import dev.magpie.management.operations.OperationJournal;
import dev.magpie.management.ops.OpsEndpoints;
import dev.magpie.management.store.JsonDocument;
import dev.magpie.management.tls.ServerTls;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The management plane, running: an HTTPS ARM endpoint for the registered caches. The key server's
 * launcher calls {@link #start} in-process; {@link ManagementMain} runs it on its own.
 */
public final class ManagementPlane implements AutoCloseable {

    public static final String OPERATIONS_FILE = "operations.json";
    public static final String ACCESS_KEYS_FILE = "access-keys.json";
    private static final System.Logger LOG = System.getLogger(ManagementPlane.class.getName());

    private final List<AutoCloseable> resources;
    private final HttpServer http;
    private final ServerTls tls;
    private final TokenSource.Tokens tokens;
    private final CacheRegistry registry;
    private final String bindAddress;

    private ManagementPlane(List<AutoCloseable> resources, HttpServer http, ServerTls tls, TokenSource.Tokens tokens,
                            CacheRegistry registry, String bindAddress) {
        this.resources = resources;
        this.http = http;
        this.tls = tls;
        this.tokens = tokens;
        this.registry = registry;
        this.bindAddress = bindAddress;
    }

    /**
     * Validates the settings, opens the store, binds the port and returns once requests are served.
     *
     * @throws ManagementStartupException with a message naming what to fix
     */
    public static ManagementPlane start(ManagementSettings settings) {
        validate(settings);
        List<AutoCloseable> opened = new ArrayList<>();
        try {
            Files.createDirectories(settings.dataDir());
            opened.add(lockDataDir(settings.dataDir()));
            List<CacheDescriptor> descriptors = new ArrayList<>(settings.caches());
            if (settings.cachesFile() != null) {
                descriptors.addAll(CachesFile.read(settings.cachesFile(), settings.defaultSubscription(),
                        settings.defaultResourceGroup(), settings.defaultLocation()));
            }
            CacheRegistry registry = CacheRegistry.of(descriptors);
            TokenSource.Tokens tokens = TokenSource.resolve(settings, System.getenv());
            ServerTls tls = settings.plainHttp() ? null : ServerTls.load(settings);
            Clock clock = Clock.systemUTC();
            OperationJournal journal = openStore(() -> OperationJournal.open(
                    new JsonDocument(settings.dataDir().resolve(OPERATIONS_FILE)), clock.instant()));
            KeyRing keyRing = openStore(() -> KeyRing.load(
                    new JsonDocument(settings.dataDir().resolve(ACCESS_KEYS_FILE)), registry));
            CacheClient caches = new CacheClient(settings.cacheConnectTimeout(), settings.operationTimeout());
            opened.add(caches);
            OperationCoordinator coordinator = new OperationCoordinator(journal, keyRing, caches, clock,
                    settings.operationTimeout(), settings.resultRetention(), settings.maxQueuedOperationsPerCache());
            opened.add(coordinator);
            BearerAuthenticator authenticator = new BearerAuthenticator(tokens.accepted());
            ArmApi api = new ArmApi(authenticator, registry, coordinator, settings.retryAfterSeconds());
            CacheDescriptor local = settings.localCache()
                    .flatMap(id -> registry.find(id.subscriptionId(), id.resourceGroup(), id.name())).orElse(null);
            OpsEndpoints ops = new OpsEndpoints(authenticator, registry, local, coordinator);
            HttpServer http;
            try {
                http = HttpServer.start(settings.bindAddress(), settings.port(), tls == null ? null : tls.context(),
                        settings.maxRequestBodyBytes(), api, ops, settings.publicBaseUrl());
            } catch (RuntimeException e) {
                throw new ManagementStartupException("Cannot listen on " + settings.bindAddress() + ":" + settings.port()
                        + ": " + e.getMessage(), e);
            }
            opened.add(http);
            ManagementPlane plane = new ManagementPlane(opened, http, tls, tokens, registry, settings.bindAddress());
            plane.logStartup();
            return plane;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closeAll(opened);
            throw new ManagementStartupException("Interrupted while starting the management plane", e);
        } catch (IOException e) {
            closeAll(opened);
            throw new ManagementStartupException("Cannot use the management data directory "
                    + settings.dataDir().toAbsolutePath() + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            closeAll(opened);
            throw e;
        }
    }

    private static void validate(ManagementSettings s) {
        if (s.port() < 0 || s.port() > 65535) {
            throw new ManagementStartupException("management-port must be between 0 and 65535, got " + s.port());
        }
        if (s.plainHttp() && !isLoopback(s.bindAddress())) {
            throw new ManagementStartupException("Plain HTTP is allowed only on a loopback address, but management-bind is '"
                    + s.bindAddress() + "'. Use HTTPS, or bind to 127.0.0.1.");
        }
        if (s.operationTimeout().isNegative() || s.operationTimeout().isZero()
                || s.resultRetention().isNegative() || s.resultRetention().isZero()
                || s.cacheConnectTimeout().isNegative() || s.cacheConnectTimeout().isZero()) {
            throw new ManagementStartupException("Management timeouts and the result retention must be positive");
        }
        if (s.retryAfterSeconds() < 0 || s.maxQueuedOperationsPerCache() < 1 || s.maxRequestBodyBytes() < 1) {
            throw new ManagementStartupException("management-retry-after must be 0 or more, and the queue and body limits 1 or more");
        }
    }

    private static boolean isLoopback(String host) {
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    /** Two planes writing one store would overwrite each other's results, so the second one stops. */
    private static AutoCloseable lockDataDir(Path dataDir) throws IOException {
        FileChannel channel = FileChannel.open(dataDir.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (java.nio.channels.OverlappingFileLockException e) {
            lock = null; // held by another plane in this same process
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
        if (lock == null) {
            channel.close();
            throw new ManagementStartupException("Another management plane is using " + dataDir.toAbsolutePath());
        }
        return channel;
    }

    private interface StoreOpener<T> {
        T open() throws IOException;
    }

    private static <T> T openStore(StoreOpener<T> opener) throws IOException {
        try {
            return opener.open();
        } catch (UncheckedIOException | IllegalArgumentException | NullPointerException | java.time.DateTimeException e) {
            throw new ManagementStartupException("The management store is damaged: " + e.getMessage()
                    + ". Move the file aside to start with an empty store.", e);
        }
    }

    private void logStartup() {
        LOG.log(System.Logger.Level.INFO, "Management plane listening on " + baseUrl()
                + " (api-versions " + String.join(", ", ApiVersions.SUPPORTED) + ")");
        if (tls != null) {
            LOG.log(System.Logger.Level.INFO, (tls.generated() ? "Generated a self-signed certificate: " : "TLS certificate: ")
                    + tls.certificateFile());
        }
        if (tokens.generatedFile() != null) {
            LOG.log(System.Logger.Level.INFO, "No management token configured; clients must send the one in "
                    + tokens.generatedFile().toAbsolutePath());
        }
        for (CacheDescriptor cache : registry.all()) {
            LOG.log(System.Logger.Level.INFO, "Managing cache " + cache.resourceId() + " at " + cache.host() + ":"
                    + cache.port() + "; flush with POST " + baseUrl() + cache.resourceId() + "/flush?api-version="
                    + ApiVersions.SUPPORTED.get(0));
        }
    }

    /** The bound port (the real one when the settings asked for 0). */
    public int port() {
        return http.port();
    }

    /** Scheme, host and port clients reach the plane at, for example {@code https://127.0.0.1:8443}. */
    public String baseUrl() {
        String host = bindAddress.equals("0.0.0.0") || bindAddress.equals("::") ? "localhost" : bindAddress;
        if (host.contains(":")) host = "[" + host + "]";
        return (tls == null ? "http" : "https") + "://" + host + ":" + port();
    }

    /** The PEM certificate HTTPS clients should trust; empty when serving plain HTTP. */
    public Optional<Path> certificateFile() {
        return tls == null ? Optional.empty() : Optional.of(tls.certificateFile());
    }

    /** The bearer tokens the plane accepts (the generated one when none was configured). */
    public List<String> tokens() {
        return tokens.accepted();
    }

    public CacheRegistry caches() {
        return registry;
    }

    /** Stops listening and lets go of the store; queued operations are ended Failed on the next start. */
    @Override
    public void close() {
        closeAll(resources);
    }

    /** Newest first: the listener stops before the coordinator, which stops before its cache connections. */
    private static void closeAll(List<AutoCloseable> resources) {
        for (int i = resources.size() - 1; i >= 0; i--) {
            try {
                resources.get(i).close();
            } catch (Exception e) {
                LOG.log(System.Logger.Level.WARNING, "Error while stopping the management plane: " + e);
            }
        }
    }
}
