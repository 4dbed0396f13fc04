package dev.magpie.management;

import com.fasterxml.jackson.databind.JsonNode;
import dev.magpie.management.support.PlaneClient;
import dev.magpie.management.support.PlaneOverRedis;
import dev.magpie.management.support.RedisServerProcess;
import dev.magpie.management.support.TestPlanes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static dev.magpie.management.support.TestPlanes.API;
import static dev.magpie.management.support.TestPlanes.cachePath;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Azure's flush, over real HTTPS, against a real redis-server: keys gone, ARM headers right, result pollable. */
class FlushEndToEndTest {

    @RegisterExtension
    static final PlaneOverRedis fixture = PlaneOverRedis.withCache("orders");

    @Test
    void flushEmptiesEveryDatabaseAndEndsSucceeded() throws Exception {
        fixture.redis().command(null, "SET", "a", "1");
        fixture.redis().command(null, "SELECT", "0");
        try (var connection = RedisServerProcess.RespConnection.open(fixture.redis().port())) {
            connection.call("SELECT", "5");
            connection.call("SET", "in-db-5", "x");
        }
        assertEquals(":1", fixture.redis().command(null, "EXISTS", "a"));

        Instant before = Instant.now().minusSeconds(1);
        HttpResponse<String> accepted = fixture.client().send("POST", cachePath("orders") + "/flush" + API, null);

        assertEquals(202, accepted.statusCode(), accepted.body());
        String async = accepted.headers().firstValue("Azure-AsyncOperation").orElseThrow();
        String location = accepted.headers().firstValue("Location").orElseThrow();
        assertTrue(async.matches("https://127\\.0\\.0\\.1:\\d+/subscriptions/" + TestPlanes.SUBSCRIPTION
                + "/providers/Microsoft\\.Cache/locations/local/asyncOperations/[0-9a-f-]{36}\\?api-version=2024-11-01"), async);
        assertTrue(location.matches("https://127\\.0\\.0\\.1:\\d+/subscriptions/" + TestPlanes.SUBSCRIPTION
                + "/providers/Microsoft\\.Cache/locations/local/operationResults/[0-9a-f-]{36}\\?api-version=2024-11-01"), location);
        assertTrue(Integer.parseInt(accepted.headers().firstValue("Retry-After").orElseThrow()) >= 0);
        assertTrue(accepted.headers().firstValue("x-ms-request-id").isPresent());

        JsonNode status = fixture.client().awaitEnd(async, Duration.ofSeconds(10));
        assertEquals("Succeeded", status.path("status").asText(), status.toString());
        String id = async.replaceAll(".*/asyncOperations/([^?]+).*", "$1");
        assertEquals(id, status.path("name").asText());
        assertTrue(status.path("id").asText().endsWith("/asyncOperations/" + id));
        assertEquals(100.0, status.path("percentComplete").asDouble());
        Instant start = Instant.parse(status.path("startTime").asText());
        Instant end = Instant.parse(status.path("endTime").asText());
        assertTrue(!start.isBefore(before) && !end.isBefore(start), status.toString());
        assertFalse(status.has("error"));

        assertEquals("0", fixture.redis().command(null, "DBSIZE").substring(1));
        try (var connection = RedisServerProcess.RespConnection.open(fixture.redis().port())) {
            connection.call("SELECT", "5");
            assertEquals(":0", connection.call("DBSIZE"));
        }

        HttpResponse<String> result = fixture.client().send("GET", location, null);
        assertEquals(200, result.statusCode());
        assertEquals("Succeeded", PlaneClient.json(result).path("status").asText());
    }

    @Test
    void everyResponseCarriesRequestIdsAndEchoesTheClientsWhenAsked() throws Exception {
        HttpResponse<String> response = fixture.client().send("GET", cachePath("orders") + API, null, TestPlanes.TOKEN, Map.of(
                "x-ms-client-request-id", "client-42",
                "x-ms-return-client-request-id", "true",
                "x-ms-correlation-request-id", "corr-7"));
        assertEquals(200, response.statusCode());
        assertEquals("client-42", response.headers().firstValue("x-ms-client-request-id").orElseThrow());
        assertEquals("corr-7", response.headers().firstValue("x-ms-correlation-request-id").orElseThrow());
        String first = response.headers().firstValue("x-ms-request-id").orElseThrow();
        HttpResponse<String> again = fixture.client().send("GET", cachePath("orders") + API, null, TestPlanes.TOKEN,
                Map.of("x-ms-client-request-id", "client-43"));
        assertFalse(again.headers().firstValue("x-ms-client-request-id").isPresent());
        assertFalse(first.equals(again.headers().firstValue("x-ms-request-id").orElseThrow()));
    }

    @Test
    void theCacheIsAnArmResource() throws Exception {
        HttpResponse<String> response = fixture.client().send("GET", cachePath("orders") + API, null);
        assertEquals(200, response.statusCode(), response.body());
        JsonNode cache = PlaneClient.json(response);
        assertEquals(TestPlanes.cachePath("orders").replace("/redis/", "/Redis/"), cache.path("id").asText());
        assertEquals("orders", cache.path("name").asText());
        assertEquals("Microsoft.Cache/Redis", cache.path("type").asText());
        assertEquals("local", cache.path("location").asText());
        JsonNode properties = cache.path("properties");
        assertEquals("127.0.0.1", properties.path("hostName").asText());
        assertEquals(fixture.redis().port(), properties.path("port").asInt());
        assertEquals("Succeeded", properties.path("provisioningState").asText());
        assertTrue(properties.path("redisVersion").asText().startsWith("7."), properties.toString());
        assertNotNull(properties.get("sku"));
    }
}
