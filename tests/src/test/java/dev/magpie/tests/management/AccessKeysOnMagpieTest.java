package dev.magpie.tests.management;

import com.fasterxml.jackson.databind.JsonNode;
import dev.magpie.management.ManagementPlane;
import dev.magpie.tests.support.Magpie;
import dev.magpie.tests.support.RawRespClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;

import static dev.magpie.tests.management.PlaneHttp.API;
import static dev.magpie.tests.management.PlaneHttp.cachePath;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/**
 * listKeys and regenerateKey with Magpie as the cache: the keys are the passwords Magpie accepts, and
 * regenerating one changes that at once for new logins while logged-in connections keep working.
 */
class AccessKeysOnMagpieTest {

    static final String WRONGPASS = "-WRONGPASS invalid username-password pair or user is disabled.\r\n";

    @TempDir
    Path dataDir;
    Magpie magpie;
    ManagementPlane plane;
    PlaneHttp client;

    @BeforeEach
    void start() throws Exception {
        magpie = Magpie.start("--requirepass", "first-primary");
        try (RawRespClient admin = magpie.connect()) {
            assertEquals("+OK\r\n", admin.callText("AUTH", "first-primary"));
            assertEquals("+OK\r\n", admin.callText("ACL", "SETUSER", "default", "resetpass", ">first-primary", ">first-secondary"));
        }
        startPlane();
    }

    private void startPlane() throws Exception {
        plane = ManagementPlane.start(PlaneHttp.settings(dataDir)
                .addCache(PlaneHttp.cache("keyed", magpie.port(), "first-primary", "first-secondary")));
        client = new PlaneHttp(plane);
    }

    @AfterEach
    void stop() {
        if (plane != null) plane.close();
        if (magpie != null) magpie.close();
    }

    /** AUTH on a fresh connection, then PING when it was accepted: Magpie's reply to whichever came last. */
    private String login(String password) {
        try (RawRespClient connection = magpie.connect()) {
            String auth = connection.callText("AUTH", password);
            return auth.equals("+OK\r\n") ? connection.callText("PING") : auth;
        }
    }

    private JsonNode keys() throws Exception {
        HttpResponse<String> response = client.send("POST", cachePath("keyed") + "/listKeys" + API, null);
        assertEquals(200, response.statusCode(), response.body());
        return PlaneHttp.json(response);
    }

    private JsonNode regenerate(String keyType) throws Exception {
        HttpResponse<String> response = client.send("POST", cachePath("keyed") + "/regenerateKey" + API,
                "{\"keyType\":\"" + keyType + "\"}");
        assertEquals(200, response.statusCode(), response.body());
        return PlaneHttp.json(response);
    }

    @Test
    void listKeysReturnsThePasswordsMagpieAccepts() throws Exception {
        JsonNode keys = keys();
        assertEquals("first-primary", keys.path("primaryKey").asText());
        assertEquals("first-secondary", keys.path("secondaryKey").asText());
        assertEquals("+PONG\r\n", login("first-primary"));
        assertEquals("+PONG\r\n", login("first-secondary"));
        assertEquals(WRONGPASS, login("neither"));
    }

    @Test
    void regeneratingAKeyLocksOutTheOldKeyButNotConnectionsAlreadyLoggedIn() throws Exception {
        try (RawRespClient oldPrimary = magpie.connect(); RawRespClient oldSecondary = magpie.connect()) {
            assertEquals("+OK\r\n", oldPrimary.callText("AUTH", "first-primary"));
            assertEquals("+OK\r\n", oldSecondary.callText("AUTH", "default", "first-secondary"));

            JsonNode keys = regenerate("Primary");
            String newPrimary = keys.path("primaryKey").asText();
            assertNotEquals("first-primary", newPrimary);
            assertEquals(44, newPrimary.length(), "32 random bytes in base64, as Azure's keys are");
            assertEquals("first-secondary", keys.path("secondaryKey").asText());
            assertEquals(keys, keys());

            assertEquals(WRONGPASS, login("first-primary"));
            assertEquals("+PONG\r\n", login(newPrimary));
            assertEquals("+PONG\r\n", login("first-secondary"));
            assertEquals("+OK\r\n", oldPrimary.callText("SET", "still", "served"), "logged-in connections keep working");
            assertEquals("$6\r\nserved\r\n", oldPrimary.callText("GET", "still"));

            JsonNode again = regenerate("secondary");
            String newSecondary = again.path("secondaryKey").asText();
            assertEquals(newPrimary, again.path("primaryKey").asText());
            assertEquals(WRONGPASS, login("first-secondary"));
            try (RawRespClient connection = magpie.connect()) {
                assertEquals(WRONGPASS, connection.callText("AUTH", "default", "first-secondary"));
                assertEquals("-NOAUTH Authentication required.\r\n", connection.callText("GET", "still"));
            }
            assertEquals("+PONG\r\n", login(newSecondary));
            assertEquals("+PONG\r\n", oldSecondary.callText("PING"), "logged-in connections keep working");
            assertEquals("+PONG\r\n", oldPrimary.callText("PING"));
        }

        // The plane logs in to Magpie with the new keys for its own work too.
        JsonNode status = client.awaitEnd(client.flush("keyed", null), Duration.ofSeconds(10));
        assertEquals("Succeeded", status.path("status").asText(), status.toString());
        try (RawRespClient connection = magpie.connect()) {
            connection.callText("AUTH", keys().path("primaryKey").asText());
            assertEquals(":0\r\n", connection.callText("EXISTS", "still"));
        }
    }

    @Test
    void regeneratedKeysSurviveARestartOfThePlane() throws Exception {
        JsonNode keys = regenerate("Primary");
        plane.close();
        startPlane();
        assertEquals(keys, keys());
        assertEquals("+PONG\r\n", login(keys.path("primaryKey").asText()));
        JsonNode status = client.awaitEnd(client.flush("keyed", null), Duration.ofSeconds(10));
        assertEquals("Succeeded", status.path("status").asText(), status.toString());
    }

    @Test
    void aCacheThatCannotBeReachedKeepsItsKeys() throws Exception {
        JsonNode before = keys();
        magpie.close();
        HttpResponse<String> response = client.send("POST", cachePath("keyed") + "/regenerateKey" + API, "{\"keyType\":\"Primary\"}");
        PlaneHttp.assertArmError(response, 502, "CacheUnreachable");
        assertEquals(before, keys());
        magpie = null;
    }
}
