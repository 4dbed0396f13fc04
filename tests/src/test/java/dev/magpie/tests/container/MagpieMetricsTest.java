package dev.magpie.tests.container;

import dev.magpie.management.ManagementPlane;
import dev.magpie.management.ManagementSettings;
import dev.magpie.tests.support.Magpie;
import dev.magpie.tests.support.RawRespClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The plane's probes and metrics against a real Magpie (the management module's own tests use
 * redis-server): Magpie's heap and off-heap memory, evictions, expirations, the engine's CPU.
 */
class MagpieMetricsTest {

    private static final String TOKEN = "metrics-test-token";

    @TempDir
    static Path dir;
    static Magpie magpie;
    static ManagementPlane plane;
    static HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void start() {
        // maxmemory is set by the test once its expiring key is gone: native memory is counted per
        // process, and other servers of this test JVM could otherwise trigger evictions at once.
        magpie = Magpie.start("--requirepass", "pw", "--maxmemory-policy", "allkeys-random");
        plane = ManagementPlane.start(new ManagementSettings().port(0).plainHttp(true).tokensFromEnvironment(false)
                .addTokens(TOKEN).dataDir(dir).registerLocalCache("127.0.0.1", magpie.port(), "pw"));
    }

    @AfterAll
    static void stop() {
        if (plane != null) plane.close();
        if (magpie != null) magpie.close();
    }

    @Test
    void readyOnceTheServerAnswers() throws Exception {
        HttpResponse<String> ready = get("/readyz", null);
        assertEquals(200, ready.statusCode(), ready.body());
        assertEquals("ready\n", ready.body());
        assertEquals("ok\n", get("/healthz", null).body());
        assertEquals(401, get("/metrics", null).statusCode());
    }

    @Test
    void metricsReportMagpiesMemoryEvictionsAndExpirations() throws Exception {
        Map<String, Double> samples;
        String stats;
        String memory;
        // A first scrape, so the second measures the engine's utilization over the interval between them.
        assertEquals(200, get("/metrics", TOKEN).statusCode());
        try (RawRespClient client = magpie.connect()) {
            client.call("AUTH", "pw");
            // Expire one key before memory fills up: once eviction starts it could pick this key first.
            client.call("SET", "short-lived", "x", "PX", "1");
            Thread.sleep(20);
            client.call("GET", "short-lived"); // expired lazily on this read
            client.call("CONFIG", "SET", "maxmemory", "2mb");
            String value = "v".repeat(1000);
            for (int i = 0; i < 4000; i++) { // about 4 MB against a 2 MB limit, for the eviction counter
                client.call("SET", "key:" + i, value);
            }
            samples = samples(get("/metrics", TOKEN).body());
            // Nothing writes between the scrape and these, so the figures must be the same.
            stats = client.callText("INFO", "stats");
            memory = client.callText("MEMORY", "STATS");
        }
        String local = "{cache=\"local\",resource_group=\"magpie\"}";
        assertEquals(1.0, samples.get("magpie_cache_up" + local));
        assertEquals(field(stats, "evicted_keys"), samples.get("magpie_evicted_keys_total" + local), samples.toString());
        assertEquals(field(stats, "expired_keys"), samples.get("magpie_expired_keys_total" + local));
        assertTrue(samples.get("magpie_expired_keys_total" + local) >= 1, samples.toString());
        assertEquals(2.0 * 1024 * 1024, samples.get("magpie_memory_max_bytes" + local));
        double offHeap = samples.get("magpie_memory_offheap_bytes" + local);
        assertTrue(memory.contains("dataset.bytes\r\n:" + (long) offHeap + "\r\n"),
                "off-heap bytes are MEMORY STATS dataset.bytes: " + offHeap + " in " + memory);
        assertTrue(offHeap > 1_000_000, "entries' native memory: " + offHeap);
        assertTrue(samples.get("magpie_memory_heap_used_bytes" + local) > 0);
        // A database emptied by eviction has no keyspace line, as in Redis's INFO keyspace.
        double keys = samples.getOrDefault("magpie_keyspace_keys{cache=\"local\",resource_group=\"magpie\",db=\"0\"}", 0.0);
        assertEquals(4000.0 - field(stats, "evicted_keys"), keys, "keys left after any eviction");
        assertEquals(4001.0, samples.get("magpie_command_calls_total{cache=\"local\",resource_group=\"magpie\",command=\"set\"}"));
        assertTrue(samples.get("magpie_engine_cpu_seconds_total" + local) > 0);
        double utilization = samples.get("magpie_engine_loop_utilization" + local);
        assertTrue(utilization >= 0 && utilization <= 1, "utilization " + utilization);
        assertEquals(0.0, samples.get("magpie_blocked_clients" + local));
    }

    private static double field(String info, String name) {
        Matcher matcher = Pattern.compile("(?m)^" + name + ":(\\d+)\r?$").matcher(info);
        assertTrue(matcher.find(), name + " in " + info);
        return Double.parseDouble(matcher.group(1));
    }

    private static HttpResponse<String> get(String path, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(plane.baseUrl() + path)).timeout(Duration.ofSeconds(10));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    static Map<String, Double> samples(String text) {
        Pattern sample = Pattern.compile("([a-z_]+(?:\\{[^}]*\\})?) (\\S+)");
        Map<String, Double> samples = new HashMap<>();
        for (String line : text.split("\n")) {
            if (!line.startsWith("#")) {
                Matcher matcher = sample.matcher(line);
                assertTrue(matcher.matches(), "not a sample line: " + line);
                samples.put(matcher.group(1), Double.parseDouble(matcher.group(2)));
            }
        }
        return samples;
    }
}
