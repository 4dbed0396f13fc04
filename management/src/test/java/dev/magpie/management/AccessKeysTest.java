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

import static dev.magpie.management.support.TestPlanes.API;
import static dev.magpie.management.support.TestPlanes.cachePath;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** listKeys and regenerateKey, checked by logging in to the real redis-server with each key. */
class AccessKeysTest {

    @TempDir
    Path dataDir;
    RedisServerProcess redis;
    ManagementPlane plane;
    PlaneClient client;

    @BeforeEach
    void start() throws Exception {
        redis = RedisServerProcess.start();
        assertEquals("+OK", redis.command(null, "ACL", "SETUSER", "default", "resetpass", ">first-primary", ">first-secondary"));
        startPlane();
    }

    private void startPlane() throws Exception {
        plane = TestPlanes.start(dataDir, s -> s.addCache(new dev.magpie.management.caches.CacheDescriptor(
                TestPlanes.SUBSCRIPTION, TestPlanes.RESOURCE_GROUP, "keyed", "local", "127.0.0.1", redis.port(),
                false, true, null, "first-primary", "first-secondary")));
        client = new PlaneClient(plane, TestPlanes.TOKEN);
    }

    @AfterEach
    void stop() {
        if (plane != null) plane.close();
        if (redis != null) redis.close();
    }

    private JsonNode keys() throws Exception {
        HttpResponse<String> response = client.send("POST", cachePath("keyed") + "/listKeys" + API, null);
        assertEquals(200, response.statusCode(), response.body());
        return PlaneClient.json(response);
    }

    private JsonNode regenerate(String keyType) throws Exception {
        HttpResponse<String> response = client.send("POST", cachePath("keyed") + "/regenerateKey" + API,
                "{\"keyType\":\"" + keyType + "\"}");
        assertEquals(200, response.statusCode(), response.body());
        return PlaneClient.json(response);
    }

    @Test
    void listKeysReturnsThePasswordsTheCacheAccepts() throws Exception {
        JsonNode keys = keys();
        assertEquals("first-primary", keys.path("primaryKey").asText());
        assertEquals("first-secondary", keys.path("secondaryKey").asText());
        assertEquals("+PONG", redis.command(keys.path("primaryKey").asText(), "PING"));
        assertEquals("+PONG", redis.command(keys.path("secondaryKey").asText(), "PING"));
    }

    @Test
    void regeneratingAKeyChangesWhatTheCacheAccepts() throws Exception {
        try (var oldSession = RedisServerProcess.RespConnection.open(redis.port())) {
            assertEquals("+OK", oldSession.call("AUTH", "first-primary"));

            JsonNode keys = regenerate("Primary");
            String newPrimary = keys.path("primaryKey").asText();
            assertNotEquals("first-primary", newPrimary);
            assertEquals(44, newPrimary.length(), "32 random bytes in base64, as Azure's keys are");
            assertEquals("first-secondary", keys.path("secondaryKey").asText());
            assertEquals(keys, keys());

            assertTrue(redis.command("first-primary", "PING").startsWith("-WRONGPASS"));
            assertEquals("+PONG", redis.command(newPrimary, "PING"));
            assertEquals("+PONG", redis.command("first-secondary", "PING"));
            assertEquals("+PONG", oldSession.call("PING"), "connections already logged in keep working");
        }

        JsonNode keys = regenerate("secondary");
        assertTrue(redis.command("first-secondary", "PING").startsWith("-WRONGPASS"));
        assertEquals("+PONG", redis.command(keys.path("secondaryKey").asText(), "PING"));

        // The plane logs in with the new keys for its own work too.
        redis.command(keys.path("primaryKey").asText(), "SET", "k", "v");
        HttpResponse<String> flush = client.send("POST", cachePath("keyed") + "/flush" + API, null);
        JsonNode status = client.awaitEnd(flush.headers().firstValue("Azure-AsyncOperation").orElseThrow(), Duration.ofSeconds(10));
        assertEquals("Succeeded", status.path("status").asText(), status.toString());
        assertEquals(":0", redis.command(keys.path("primaryKey").asText(), "EXISTS", "k"));
    }

    @Test
    void regeneratedKeysSurviveARestartOfThePlane() throws Exception {
        JsonNode keys = regenerate("Primary");
        plane.close();
        startPlane();
        assertEquals(keys, keys());
        HttpResponse<String> flush = client.send("POST", cachePath("keyed") + "/flush" + API, null);
        JsonNode status = client.awaitEnd(flush.headers().firstValue("Azure-AsyncOperation").orElseThrow(), Duration.ofSeconds(10));
        assertEquals("Succeeded", status.path("status").asText(), status.toString());
    }

    @Test
    void aCacheThatCannotBeReachedKeepsItsKeys() throws Exception {
        JsonNode before = keys();
        redis.close();
        HttpResponse<String> response = client.send("POST", cachePath("keyed") + "/regenerateKey" + API, "{\"keyType\":\"Primary\"}");
        ArmSurfaceTest.assertArmError(response, 502, "CacheUnreachable");
        assertEquals(before, keys());
        redis = null;
    }
}
