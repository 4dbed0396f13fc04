package dev.magpie.management.ops;

import dev.magpie.management.auth.BearerAuthenticator;
import dev.magpie.management.caches.CacheDescriptor;
import dev.magpie.management.caches.CacheFailure;
import dev.magpie.management.caches.CacheId;
import dev.magpie.management.caches.CacheRegistry;
import dev.magpie.management.operations.OperationCoordinator;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The operational endpoints beside the ARM routes, for orchestrators and scrapers:
 * <ul>
 * <li>{@code GET /healthz}: the plane is alive. No authentication, no data.</li>
 * <li>{@code GET /readyz}: the key server beside the plane answers over RESP and is not loading its
 * dataset (INFO persistence {@code loading:0}); a plane without a local server is ready once it serves.
 * No authentication; the body says only ready or why not.</li>
 * <li>{@code GET /metrics}: Prometheus text for every registered cache and for the plane's operations,
 * behind the same bearer tokens as the ARM routes.</li>
 * </ul>
 * Like everything in the plane, it reaches caches only over RESP.
 */
public final class OpsEndpoints {

    private static final Set<String> PATHS = Set.of("/healthz", "/readyz", "/metrics");
    private static final Duration PROBE_WAIT = Duration.ofSeconds(2);
    private static final Duration SCRAPE_WAIT = Duration.ofSeconds(5);

    private final BearerAuthenticator authenticator;
    private final CacheRegistry registry;
    private final CacheDescriptor localCache;
    private final OperationCoordinator operations;
    /** Per cache, the engine CPU seconds and server time (seconds) of the previous scrape. */
    private final Map<CacheId, double[]> previousEngineSample = new ConcurrentHashMap<>();

    /** @param localCache the key server running beside the plane, whose readiness is the plane's; may be null */
    public OpsEndpoints(BearerAuthenticator authenticator, CacheRegistry registry, CacheDescriptor localCache,
                        OperationCoordinator operations) {
        this.authenticator = authenticator;
        this.registry = registry;
        this.localCache = localCache;
        this.operations = operations;
    }

    /** True for the paths this class answers; the rest belong to the ARM routes. */
    public static boolean serves(String path) {
        return PATHS.contains(path);
    }

    public CompletableFuture<TextResponse> handle(String method, String path, String authorization) {
        if (!method.equals("GET") && !method.equals("HEAD")) {
            return done(new TextResponse(405, TextResponse.PLAIN, "method not allowed\n", Map.of("Allow", "GET, HEAD")));
        }
        return switch (path) {
            case "/healthz" -> done(TextResponse.plain(200, "ok\n"));
            case "/readyz" -> readiness();
            case "/metrics" -> metrics(authorization);
            default -> throw new IllegalArgumentException(path);
        };
    }

    private CompletableFuture<TextResponse> readiness() {
        if (localCache == null) {
            return done(TextResponse.plain(200, "ready\n"));
        }
        return operations.inspect(localCache, PROBE_WAIT, session -> session.info("persistence"))
                .handle((text, error) -> {
                    if (error != null) {
                        return TextResponse.plain(503, CacheFailure.classify(error, localCache).isAuthentication()
                                ? "not ready: the key server refuses the plane's login\n"
                                : "not ready: the key server does not answer\n");
                    }
                    double loading = new InfoText(text).number("loading");
                    return loading > 0 ? TextResponse.plain(503, "not ready: loading the dataset\n")
                            : TextResponse.plain(200, "ready\n");
                });
    }

    private CompletableFuture<TextResponse> metrics(String authorization) {
        switch (authenticator.check(authorization)) {
            case MISSING, INVALID -> {
                return done(new TextResponse(401, TextResponse.PLAIN, "a valid bearer token is required\n",
                        Map.of("WWW-Authenticate", "Bearer realm=\"magpie\"")));
            }
            case ACCEPTED -> { }
        }
        record Scrape(CacheDescriptor cache, InfoText info, Map<String, Object> memory) {
        }
        List<CompletableFuture<Scrape>> scrapes = new ArrayList<>();
        for (CacheDescriptor cache : registry.all()) {
            scrapes.add(operations.inspect(cache, SCRAPE_WAIT, session -> session.info("all")
                            .thenCombine(session.memoryStats().exceptionally(error -> Map.of()),
                                    (info, memory) -> new Scrape(cache, new InfoText(info), memory)))
                    .exceptionally(error -> new Scrape(cache, null, null)));
        }
        return CompletableFuture.allOf(scrapes.toArray(CompletableFuture[]::new)).thenApply(ignored -> {
            PrometheusText out = CacheMetrics.declare();
            for (CompletableFuture<Scrape> done : scrapes) {
                Scrape scrape = done.join();
                if (scrape.info() == null) {
                    CacheMetrics.down(out, scrape.cache());
                } else {
                    CacheMetrics.cache(out, scrape.cache(), scrape.info(), scrape.memory(),
                            loopUtilization(scrape.cache().id(), scrape.info()));
                }
            }
            CacheMetrics.operations(out, operations.stats());
            return new TextResponse(200, PrometheusText.CONTENT_TYPE, out.render(), Map.of());
        });
    }

    /**
     * Engine CPU time over wall time since this plane's previous scrape of the cache; on the first scrape,
     * since the cache started. NaN (the sample is left out) when the cache reports neither.
     */
    private double loopUtilization(CacheId cache, InfoText info) {
        double cpu = CacheMetrics.engineCpuSeconds(info);
        double now = info.number("server_time_usec") / 1e6;
        if (Double.isNaN(cpu)) {
            return Double.NaN;
        }
        double[] previous = previousEngineSample.put(cache, new double[] {cpu, now});
        double share;
        if (previous != null && now - previous[1] >= 0.001 && cpu >= previous[0]) {
            share = (cpu - previous[0]) / (now - previous[1]);
        } else {
            double uptime = info.number("uptime_in_seconds");
            share = uptime >= 1 ? cpu / uptime : Double.NaN;
        }
        return Double.isNaN(share) ? share : Math.max(0, Math.min(1, share));
    }

    private static CompletableFuture<TextResponse> done(TextResponse response) {
        return CompletableFuture.completedFuture(response);
    }
}
