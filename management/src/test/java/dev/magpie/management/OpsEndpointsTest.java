package dev.magpie.management;

import com.fasterxml.jackson.databind.JsonNode;
import dev.magpie.management.support.PlaneClient;
import dev.magpie.management.support.RedisServerProcess;
import dev.magpie.management.support.TestPlanes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.magpie.management.support.TestPlanes.API;
import static dev.magpie.management.support.TestPlanes.cachePath;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * /healthz, /readyz and /metrics over real HTTPS: the probes need no token and show no data, the
 * metrics need one and carry what the caches (real redis-servers here) and the plane report.
 */
class OpsEndpointsTest {

    @TempDir
    static Path dataDir;
    static RedisServerProcess local;
    static RedisServerProcess other;
    static ManagementPlane plane;
    static PlaneClient client;

    @BeforeAll
    static void start() throws Exception {
        local = RedisServerProcess.start("--requirepass", "local-secret");
        other = RedisServerProcess.start();
        plane = TestPlanes.start(dataDir, s -> s
                .registerLocalCache("127.0.0.1", local.port(), "local-secret")
                .addCache(TestPlanes.cache("orders", other.port(), null)));
        client = new PlaneClient(plane, TestPlanes.TOKEN);
    }

    @AfterAll
    static void stop() {
        if (plane != null) plane.close();
        if (local != null) local.close();
        if (other != null) other.close();
    }

    @Test
    void probesAnswerWithoutAuthenticationAndWithoutData() throws Exception {
        HttpResponse<String> alive = client.send("GET", "/healthz", null, null, Map.of());
        assertEquals(200, alive.statusCode());
        assertEquals("ok\n", alive.body());
        assertTrue(alive.headers().firstValue("Content-Type").orElseThrow().startsWith("text/plain"));

        HttpResponse<String> ready = client.send("GET", "/readyz?verbose", null, null, Map.of());
        assertEquals(200, ready.statusCode(), ready.body());
        assertEquals("ready\n", ready.body());

        HttpResponse<String> head = client.send("HEAD", "/readyz", null, null, Map.of());
        assertEquals(200, head.statusCode());
        assertEquals("", head.body());

        HttpResponse<String> post = client.send("POST", "/healthz", "{}", null, Map.of());
        assertEquals(405, post.statusCode());
        assertEquals("GET, HEAD", post.headers().firstValue("Allow").orElseThrow());
    }

    @Test
    void metricsNeedTheBearerToken() throws Exception {
        HttpResponse<String> missing = client.send("GET", "/metrics", null, null, Map.of());
        assertEquals(401, missing.statusCode());
        assertFalse(missing.body().contains("magpie_"), missing.body());
        HttpResponse<String> wrong = client.send("GET", "/metrics", null, "not-the-token", Map.of());
        assertEquals(401, wrong.statusCode());
    }

    @Test
    void metricsCarryTheCachesFiguresAndThePlanesOperations() throws Exception {
        other.command(null, "SET", "a", "1");
        other.command(null, "SET", "b", "2");
        other.command(null, "GET", "a");
        other.command(null, "GET", "missing");
        HttpResponse<String> flush = client.send("POST", cachePath("orders") + "/flush" + API, null);
        assertEquals(202, flush.statusCode(), flush.body());
        JsonNode status = client.awaitEnd(flush.headers().firstValue("Azure-AsyncOperation").orElseThrow(), Duration.ofSeconds(10));
        assertEquals("Succeeded", status.path("status").asText());
        other.command(null, "SET", "c", "3", "EX", "100");

        // The first scrape of a cache younger than a second has no interval to measure utilization over.
        assertEquals(200, client.send("GET", "/metrics", null).statusCode());
        HttpResponse<String> response = client.send("GET", "/metrics", null);
        assertEquals(200, response.statusCode(), response.body());
        assertEquals("text/plain; version=0.0.4; charset=utf-8", response.headers().firstValue("Content-Type").orElseThrow());
        String text = response.body();
        Map<String, Double> samples = parse(text);

        String orders = "{cache=\"orders\",resource_group=\"magpie\"";
        assertEquals(1.0, samples.get("magpie_cache_up" + orders + "}"), text);
        assertEquals(1.0, samples.get("magpie_cache_up{cache=\"local\",resource_group=\"magpie\"}"), text);
        assertEquals(2.0, samples.get("magpie_command_calls_total" + orders + ",command=\"get\"}"), text);
        assertTrue(samples.get("magpie_command_calls_total" + orders + ",command=\"flushall\"}") >= 1, text);
        assertEquals(1.0, samples.get("magpie_keyspace_keys" + orders + ",db=\"0\"}"), text);
        assertEquals(1.0, samples.get("magpie_keyspace_expiring_keys" + orders + ",db=\"0\"}"), text);
        assertTrue(samples.get("magpie_connected_clients" + orders + "}") >= 1, text);
        assertEquals(0.0, samples.get("magpie_blocked_clients" + orders + "}"), text);
        assertTrue(samples.get("magpie_memory_used_bytes" + orders + "}") > 0, text);
        assertEquals(0.0, samples.get("magpie_evicted_keys_total" + orders + "}"), text);
        assertTrue(samples.containsKey("magpie_expired_keys_total" + orders + "}"), text);
        assertTrue(samples.get("magpie_engine_cpu_seconds_total" + orders + "}") > 0, text);
        double utilization = samples.get("magpie_engine_loop_utilization" + orders + "}");
        assertTrue(utilization >= 0 && utilization <= 1, text);
        // A real redis-server has no Java heap: the heap/off-heap split appears for Magpie only.
        assertFalse(text.contains("magpie_memory_heap_used_bytes" + orders), text);

        assertTrue(samples.get("magpie_management_operations_submitted_total{operation=\"flush\"}") >= 1, text);
        assertTrue(samples.get("magpie_management_operations_succeeded_total{operation=\"flush\"}") >= 1, text);
        assertEquals(0.0, samples.get("magpie_management_operations_failed_total{operation=\"flush\"}"), text);
        assertEquals(0.0, samples.get("magpie_management_operations_queued{operation=\"flush\"}"), text);
        assertTrue(text.contains("# TYPE magpie_command_calls_total counter\n"), text);
        assertTrue(text.contains("# TYPE magpie_connected_clients gauge\n"), text);
    }

    @Test
    void anUnreachableCacheIsReportedDownAndMakesAPlaneWithoutItNotReady() throws Exception {
        int closedPort = RedisServerProcess.freePort();
        try (ManagementPlane lonely = TestPlanes.start(dataDir.resolve("lonely"),
                s -> s.cacheConnectTimeout(Duration.ofMillis(500)).registerLocalCache("127.0.0.1", closedPort, null))) {
            PlaneClient lonelyClient = new PlaneClient(lonely, TestPlanes.TOKEN);
            HttpResponse<String> ready = lonelyClient.send("GET", "/readyz", null, null, Map.of());
            assertEquals(503, ready.statusCode());
            assertEquals("not ready: the key server does not answer\n", ready.body());
            assertEquals(200, lonelyClient.send("GET", "/healthz", null, null, Map.of()).statusCode());
            HttpResponse<String> metrics = lonelyClient.send("GET", "/metrics", null);
            assertEquals(200, metrics.statusCode());
            assertEquals(0.0, parse(metrics.body()).get("magpie_cache_up{cache=\"local\",resource_group=\"magpie\"}"),
                    metrics.body());
        }
    }

    @Test
    void aLocalServerThatRefusesThePlanesLoginIsNotReady() throws Exception {
        try (ManagementPlane refused = TestPlanes.start(dataDir.resolve("refused"),
                s -> s.registerLocalCache("127.0.0.1", local.port(), "not-the-password"))) {
            HttpResponse<String> ready = new PlaneClient(refused, TestPlanes.TOKEN).send("GET", "/readyz", null, null, Map.of());
            assertEquals(503, ready.statusCode());
            assertEquals("not ready: the key server refuses the plane's login\n", ready.body());
        }
    }

    /** Sample lines into name-with-labels to value; also checks every line has the exposition format's shape. */
    static Map<String, Double> parse(String text) {
        Pattern sample = Pattern.compile("([a-z_]+(?:\\{[^}]*\\})?) (-?[0-9.eE+-]+|NaN)");
        Map<String, Double> samples = new HashMap<>();
        for (String line : text.split("\n")) {
            if (line.startsWith("# HELP ") || line.startsWith("# TYPE ")) {
                continue;
            }
            Matcher matcher = sample.matcher(line);
            assertTrue(matcher.matches(), "not a sample line: " + line);
            samples.put(matcher.group(1), Double.parseDouble(matcher.group(2)));
        }
        return samples;
    }
}
