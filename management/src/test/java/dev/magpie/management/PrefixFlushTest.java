package dev.magpie.management;

import com.fasterxml.jackson.databind.JsonNode;
import dev.magpie.management.support.PlaneClient;
import dev.magpie.management.support.RedisServerProcess;
import dev.magpie.management.support.TestPlanes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;

import static dev.magpie.management.support.TestPlanes.API;
import static dev.magpie.management.support.TestPlanes.cachePath;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Magpie's extension: a flush body naming a prefix removes only the keys under it. */
class PrefixFlushTest {

    @TempDir
    static Path dataDir;
    static RedisServerProcess redis;
    static ManagementPlane plane;
    static PlaneClient client;

    @BeforeAll
    static void start() throws Exception {
        redis = RedisServerProcess.start();
        plane = TestPlanes.start(dataDir, s -> s.addCache(TestPlanes.cache("p", redis.port(), null)));
        client = new PlaneClient(plane, TestPlanes.TOKEN);
    }

    @AfterAll
    static void stop() {
        if (plane != null) plane.close();
        if (redis != null) redis.close();
    }

    @BeforeEach
    void seed() throws Exception {
        redis.command(null, "FLUSHALL");
        try (var connection = RedisServerProcess.RespConnection.open(redis.port())) {
            for (int i = 0; i < 1200; i++) {
                connection.call("SET", "session:" + i, "v");
            }
            connection.call("SET", "session:1:nested", "v");
            connection.call("SET", "sessions", "v");
            connection.call("SET", "other:1", "v");
            connection.call("SELECT", "2");
            connection.call("SET", "session:1", "db2");
        }
    }

    private JsonNode flush(String body) throws Exception {
        HttpResponse<String> response = client.send("POST", cachePath("p") + "/flush" + API, body);
        assertEquals(202, response.statusCode(), response.body());
        return client.awaitEnd(response.headers().firstValue("Azure-AsyncOperation").orElseThrow(), Duration.ofSeconds(20));
    }

    @Test
    void withoutRecursiveOnlyTheLevelRightUnderThePrefixGoes() throws Exception {
        JsonNode status = flush("{\"prefix\":\"session:\"}");
        assertEquals("Succeeded", status.path("status").asText(), status.toString());
        assertEquals(100.0, status.path("percentComplete").asDouble());
        assertEquals(":0", redis.command(null, "EXISTS", "session:7"));
        assertEquals(":1", redis.command(null, "EXISTS", "session:1:nested"));
        assertEquals(":1", redis.command(null, "EXISTS", "sessions"));
        assertEquals(":1", redis.command(null, "EXISTS", "other:1"));
        assertEquals(":3", redis.command(null, "DBSIZE"));
    }

    @Test
    void recursiveTakesTheWholeSubtreeOfTheChosenDatabase() throws Exception {
        assertEquals("Succeeded", flush("{\"prefix\":\"session:\",\"recursive\":true}").path("status").asText());
        assertEquals(":2", redis.command(null, "DBSIZE"));
        try (var connection = RedisServerProcess.RespConnection.open(redis.port())) {
            connection.call("SELECT", "2");
            assertEquals(":1", connection.call("DBSIZE"), "other databases are untouched");
        }
        assertEquals("Succeeded", flush("{\"prefix\":\"session:\",\"recursive\":true,\"database\":2}").path("status").asText());
        try (var connection = RedisServerProcess.RespConnection.open(redis.port())) {
            connection.call("SELECT", "2");
            assertEquals(":0", connection.call("DBSIZE"));
        }
    }

    @Test
    void badExtensionFieldsAreRefused() throws Exception {
        ArmSurfaceTest.assertArmError(client.send("POST", cachePath("p") + "/flush" + API, "{\"prefix\":\"\"}"),
                400, "InvalidRequestContent");
        ArmSurfaceTest.assertArmError(client.send("POST", cachePath("p") + "/flush" + API, "{\"prefix\":\"a\",\"database\":-1}"),
                400, "InvalidRequestContent");
        ArmSurfaceTest.assertArmError(client.send("POST", cachePath("p") + "/flush" + API, "[1]"),
                400, "InvalidRequestContent");
    }
}
