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
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Consumer;

import static dev.magpie.management.support.TestPlanes.API;
import static dev.magpie.management.support.TestPlanes.cachePath;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Results outlive the plane; what was unfinished when it stopped is reported Failed, never lost. */
class PersistenceTest {

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
    void stop() {
        if (plane != null) plane.close();
        if (redis != null) redis.close();
    }

    private void startPlane(Consumer<ManagementSettings> tweaks) throws Exception {
        plane = TestPlanes.start(dataDir, s -> {
            s.addCache(TestPlanes.cache("c", redis.port(), null));
            tweaks.accept(s);
        });
        client = new PlaneClient(plane, TestPlanes.TOKEN);
    }

    /** The URL as the restarted plane serves it (its port is new). */
    private String onRestarted(String url) {
        return client.baseUrl() + url.substring(url.indexOf("/subscriptions/"));
    }

    private String flush() throws Exception {
        HttpResponse<String> response = client.send("POST", cachePath("c") + "/flush" + API, null);
        assertEquals(202, response.statusCode(), response.body());
        return response.headers().firstValue("Azure-AsyncOperation").orElseThrow();
    }

    @Test
    void finishedResultsSurviveARestart() throws Exception {
        startPlane(s -> { });
        String operation = flush();
        JsonNode before = client.awaitEnd(operation, Duration.ofSeconds(10));
        plane.close();

        startPlane(s -> { });
        HttpResponse<String> after = client.send("GET", onRestarted(operation), null);
        assertEquals(200, after.statusCode(), after.body());
        assertEquals(before, PlaneClient.json(after));
        assertTrue(Files.exists(dataDir.resolve(ManagementPlane.OPERATIONS_FILE)));
        assertFalse(Files.exists(dataDir.resolve(ManagementPlane.OPERATIONS_FILE + ".tmp")));
    }

    @Test
    void operationsInFlightAtAStopEndFailedAfterTheRestart() throws Exception {
        startPlane(s -> { });
        redis.command(null, "SET", "k", "v");
        assertEquals("+OK", redis.command(null, "CLIENT", "PAUSE", "2500", "WRITE"));
        String running = flush();
        String queued = flush();
        plane.close();

        startPlane(s -> { });
        JsonNode wasRunning = PlaneClient.json(client.send("GET", onRestarted(running), null));
        JsonNode wasQueued = PlaneClient.json(client.send("GET", onRestarted(queued), null));
        for (JsonNode status : new JsonNode[] {wasRunning, wasQueued}) {
            assertEquals("Failed", status.path("status").asText(), status.toString());
            assertEquals("OperationInterrupted", status.path("error").path("code").asText(), status.toString());
            assertTrue(status.has("endTime"));
        }
        assertTrue(wasRunning.path("error").path("message").asText().contains("while this operation was running"));
        assertTrue(wasQueued.path("error").path("message").asText().contains("before this operation started"));
        HttpResponse<String> result = client.send("GET", onRestarted(queued).replace("asyncOperations", "operationResults"), null);
        assertEquals(200, result.statusCode());

        // The restarted plane serves new work normally.
        assertEquals("Succeeded", client.awaitEnd(flush(), Duration.ofSeconds(10)).path("status").asText());
    }

    @Test
    void resultsExpireAfterTheRetentionPeriodEvenAcrossARestart() throws Exception {
        Consumer<ManagementSettings> shortRetention = s -> s.resultRetention(Duration.ofMillis(3000));
        startPlane(shortRetention);
        String operation = flush();
        client.awaitEnd(operation, Duration.ofSeconds(10));
        assertEquals(200, client.send("GET", operation, null).statusCode());
        plane.close();

        startPlane(shortRetention);
        assertEquals(200, client.send("GET", onRestarted(operation), null).statusCode());
        Thread.sleep(3500);
        ArmSurfaceTest.assertArmError(client.send("GET", onRestarted(operation), null), 404, "ResourceNotFound");
        // The periodic sweep (every half retention period) also forgets it on disk.
        String id = operation.replaceAll(".*/asyncOperations/([^?]+).*", "$1");
        long deadline = System.nanoTime() + Duration.ofSeconds(4).toNanos();
        while (Files.readString(dataDir.resolve(ManagementPlane.OPERATIONS_FILE)).contains(id) && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertFalse(Files.readString(dataDir.resolve(ManagementPlane.OPERATIONS_FILE)).contains(id));
    }

    @Test
    void aSecondPlaneCannotShareTheStore() throws Exception {
        startPlane(s -> { });
        ManagementStartupException refused = assertThrows(ManagementStartupException.class,
                () -> TestPlanes.start(dataDir, s -> { }));
        assertTrue(refused.getMessage().contains("Another management plane"), refused.getMessage());
    }

    @Test
    void aDamagedStoreStopsStartupWithAClearMessage() throws Exception {
        Files.createDirectories(dataDir);
        Files.writeString(dataDir.resolve(ManagementPlane.OPERATIONS_FILE), "{\"formatVersion\":1,\"body\":");
        ManagementStartupException refused = assertThrows(ManagementStartupException.class,
                () -> TestPlanes.start(dataDir, s -> { }));
        assertTrue(refused.getMessage().contains(ManagementPlane.OPERATIONS_FILE), refused.getMessage());
    }
}
