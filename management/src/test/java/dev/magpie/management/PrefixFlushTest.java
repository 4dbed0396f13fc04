package dev.magpie.management;

import com.fasterxml.jackson.databind.JsonNode;
import dev.magpie.management.support.PlaneOverRedis;
import dev.magpie.management.support.RedisServerProcess;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.http.HttpResponse;
import java.time.Duration;

import static dev.magpie.management.support.TestPlanes.API;
import static dev.magpie.management.support.TestPlanes.cachePath;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Magpie's extension: a flush body naming a prefix removes only the keys under it. */
class PrefixFlushTest {

    @RegisterExtension
    static final PlaneOverRedis fixture = PlaneOverRedis.withCache("p");

    @BeforeEach
    void seed() throws Exception {
        fixture.redis().command(null, "FLUSHALL");
        try (var connection = RedisServerProcess.RespConnection.open(fixture.redis().port())) {
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
        HttpResponse<String> response = fixture.client().send("POST", cachePath("p") + "/flush" + API, body);
        assertEquals(202, response.statusCode(), response.body());
        return fixture.client().awaitEnd(response.headers().firstValue("Azure-AsyncOperation").orElseThrow(), Duration.ofSeconds(20));
    }

    @Test
    void withoutRecursiveOnlyTheLevelRightUnderThePrefixGoes() throws Exception {
        JsonNode status = flush("{\"prefix\":\"session:\"}");
        assertEquals("Succeeded", status.path("status").asText(), status.toString());
        assertEquals(100.0, status.path("percentComplete").asDouble());
        assertEquals(":0", fixture.redis().command(null, "EXISTS", "session:7"));
        assertEquals(":1", fixture.redis().command(null, "EXISTS", "session:1:nested"));
        assertEquals(":1", fixture.redis().command(null, "EXISTS", "sessions"));
        assertEquals(":1", fixture.redis().command(null, "EXISTS", "other:1"));
        assertEquals(":3", fixture.redis().command(null, "DBSIZE"));
    }

    @Test
    void recursiveTakesTheWholeSubtreeOfTheChosenDatabase() throws Exception {
        assertEquals("Succeeded", flush("{\"prefix\":\"session:\",\"recursive\":true}").path("status").asText());
        assertEquals(":2", fixture.redis().command(null, "DBSIZE"));
        try (var connection = RedisServerProcess.RespConnection.open(fixture.redis().port())) {
            connection.call("SELECT", "2");
            assertEquals(":1", connection.call("DBSIZE"), "other databases are untouched");
        }
        assertEquals("Succeeded", flush("{\"prefix\":\"session:\",\"recursive\":true,\"database\":2}").path("status").asText());
        try (var connection = RedisServerProcess.RespConnection.open(fixture.redis().port())) {
            connection.call("SELECT", "2");
            assertEquals(":0", connection.call("DBSIZE"));
        }
    }

    @Test
    void badExtensionFieldsAreRefused() throws Exception {
        ArmSurfaceTest.assertArmError(fixture.client().send("POST", cachePath("p") + "/flush" + API, "{\"prefix\":\"\"}"),
                400, "InvalidRequestContent");
        ArmSurfaceTest.assertArmError(fixture.client().send("POST", cachePath("p") + "/flush" + API, "{\"prefix\":\"a\",\"database\":-1}"),
                400, "InvalidRequestContent");
        ArmSurfaceTest.assertArmError(fixture.client().send("POST", cachePath("p") + "/flush" + API, "[1]"),
                400, "InvalidRequestContent");
    }
}
