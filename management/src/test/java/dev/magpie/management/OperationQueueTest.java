package dev.magpie.management;

import com.fasterxml.jackson.databind.JsonNode;
import dev.magpie.management.support.PlaneClient;
import dev.magpie.management.support.RedisServerProcess;
import dev.magpie.management.support.TestPlanes;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static dev.magpie.management.support.TestPlanes.API;
import static dev.magpie.management.support.TestPlanes.cachePath;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** One cache, one operation at a time, in order; every failure ends Failed with a code, never hangs. */
class OperationQueueTest {

    @TempDir
    Path dataDir;
    RedisServerProcess redis;
    ManagementPlane plane;
    PlaneClient client;

    @BeforeEach
    void startRedis() throws Exception {
        redis = RedisServerProcess.start();
    }

    @AfterEach
    void stop() throws Exception {
        if (plane != null) plane.close();
        if (redis != null) redis.close();
    }

    private void startPlane(java.util.function.Consumer<ManagementSettings> tweaks) throws Exception {
        plane = TestPlanes.start(dataDir, tweaks);
        client = new PlaneClient(plane, TestPlanes.TOKEN);
    }

    private String flush(String cache) throws Exception {
        HttpResponse<String> response = client.send("POST", cachePath(cache) + "/flush" + API, null);
        assertEquals(202, response.statusCode(), response.body());
        return response.headers().firstValue("Azure-AsyncOperation").orElseThrow();
    }

    @Test
    void queuedFlushesRunOneAtATimeInOrder() throws Exception {
        startPlane(s -> s.addCache(TestPlanes.cache("c", redis.port(), null)));
        // Writes on the cache wait for a while, so the flushes pile up behind the first.
        assertEquals("+OK", redis.command(null, "CLIENT", "PAUSE", "2000", "WRITE"));
        List<String> operations = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            operations.add(flush("c"));
        }
        JsonNode third = PlaneClient.json(client.send("GET", operations.get(2), null));
        assertEquals("InProgress", third.path("status").asText());
        assertFalse(third.has("startTime"), "the third flush must still be waiting: " + third);

        List<JsonNode> ended = new ArrayList<>();
        for (String operation : operations) {
            ended.add(client.awaitEnd(operation, Duration.ofSeconds(15)));
        }
        Instant previousEnd = Instant.MIN;
        for (JsonNode status : ended) {
            assertEquals("Succeeded", status.path("status").asText(), status.toString());
            Instant start = Instant.parse(status.path("startTime").asText());
            assertFalse(start.isBefore(previousEnd), "operations overlapped: " + ended);
            previousEnd = Instant.parse(status.path("endTime").asText());
        }
    }

    @Test
    void aFullQueueAnswers429WithRetryAfter() throws Exception {
        startPlane(s -> s.maxQueuedOperationsPerCache(1).addCache(TestPlanes.cache("c", redis.port(), null)));
        assertEquals("+OK", redis.command(null, "CLIENT", "PAUSE", "2000", "WRITE"));
        String running = flush("c");
        String waiting = flush("c");
        HttpResponse<String> refused = client.send("POST", cachePath("c") + "/flush" + API, null);
        ArmSurfaceTest.assertArmError(refused, 429, "TooManyRequests");
        assertTrue(refused.headers().firstValue("Retry-After").isPresent());
        assertEquals("Succeeded", client.awaitEnd(running, Duration.ofSeconds(15)).path("status").asText());
        assertEquals("Succeeded", client.awaitEnd(waiting, Duration.ofSeconds(15)).path("status").asText());
    }

    @Test
    void anOperationThatOutlivesItsTimeoutEndsFailed() throws Exception {
        startPlane(s -> s.operationTimeout(Duration.ofMillis(700)).addCache(TestPlanes.cache("c", redis.port(), null)));
        assertEquals("+OK", redis.command(null, "CLIENT", "PAUSE", "3000", "WRITE"));
        JsonNode status = client.awaitEnd(flush("c"), Duration.ofSeconds(10));
        assertEquals("Failed", status.path("status").asText(), status.toString());
        assertEquals("OperationTimedOut", status.path("error").path("code").asText(), status.toString());
        redis.command(null, "CLIENT", "UNPAUSE");
    }

    @Test
    void anUnreachableCacheEndsFailed() throws Exception {
        int closedPort = RedisServerProcess.freePort();
        startPlane(s -> s.addCache(TestPlanes.cache("gone", closedPort, null)));
        JsonNode status = client.awaitEnd(flush("gone"), Duration.ofSeconds(10));
        assertEquals("Failed", status.path("status").asText());
        assertEquals("CacheUnreachable", status.path("error").path("code").asText(), status.toString());
        assertTrue(status.path("error").path("message").asText().contains(String.valueOf(closedPort)), status.toString());
        assertTrue(status.has("endTime"));
    }

    @Test
    void aRefusedPasswordEndsFailedWithTheCachesMessage() throws Exception {
        redis.command(null, "CONFIG", "SET", "requirepass", "right");
        redis.command("right", "SET", "kept", "1");
        startPlane(s -> s.addCache(TestPlanes.cache("locked", redis.port(), "wrong")));
        JsonNode status = client.awaitEnd(flush("locked"), Duration.ofSeconds(10));
        assertEquals("Failed", status.path("status").asText());
        assertEquals("CacheAuthenticationFailed", status.path("error").path("code").asText(), status.toString());
        assertTrue(status.path("error").path("message").asText().contains("WRONGPASS"), status.toString());
        assertEquals(":1", redis.command("right", "EXISTS", "kept"));
    }

    @Test
    void anErrorReplyEndsFailedWithTheCachesMessage() throws Exception {
        // The cache's user may not run FLUSHALL: the refusal is the cache's own words.
        assertEquals("+OK", redis.command(null, "ACL", "SETUSER", "default", "-flushall"));
        redis.command(null, "SET", "kept", "1");
        startPlane(s -> s.addCache(TestPlanes.cache("limited", redis.port(), null)));
        JsonNode status = client.awaitEnd(flush("limited"), Duration.ofSeconds(10));
        assertEquals("Failed", status.path("status").asText());
        assertEquals("CacheCommandFailed", status.path("error").path("code").asText(), status.toString());
        assertTrue(status.path("error").path("message").asText().contains("NOPERM"), status.toString());
        assertEquals(":1", redis.command(null, "EXISTS", "kept"));
    }

    @Test
    void operationResultsAnswer202WhileRunningAnd200AtTheEnd() throws Exception {
        startPlane(s -> s.addCache(TestPlanes.cache("c", redis.port(), null)));
        assertEquals("+OK", redis.command(null, "CLIENT", "PAUSE", "2000", "WRITE"));
        HttpResponse<String> accepted = client.send("POST", cachePath("c") + "/flush" + API, null);
        String location = accepted.headers().firstValue("Location").orElseThrow();
        HttpResponse<String> running = client.send("GET", location, null);
        assertEquals(202, running.statusCode());
        assertEquals(location, running.headers().firstValue("Location").orElseThrow());
        assertTrue(running.headers().firstValue("Retry-After").isPresent());
        client.awaitEnd(accepted.headers().firstValue("Azure-AsyncOperation").orElseThrow(), Duration.ofSeconds(10));
        HttpResponse<String> done = client.send("GET", location, null);
        assertEquals(200, done.statusCode());
        assertEquals("Succeeded", PlaneClient.json(done).path("status").asText());
    }
}
