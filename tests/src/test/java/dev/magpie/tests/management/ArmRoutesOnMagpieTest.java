package dev.magpie.tests.management;

import com.fasterxml.jackson.databind.JsonNode;
import dev.magpie.management.ManagementPlane;
import dev.magpie.management.ManagementSettings;
import dev.magpie.management.caches.CacheDescriptor;
import dev.magpie.tests.support.Magpie;
import dev.magpie.tests.support.RawRespClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import static dev.magpie.tests.management.PlaneHttp.API;
import static dev.magpie.tests.management.PlaneHttp.SUBSCRIPTION;
import static dev.magpie.tests.management.PlaneHttp.assertArmError;
import static dev.magpie.tests.management.PlaneHttp.cachePath;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every route and error of the management plane over plain HTTPS, with Magpie as the cache (the
 * management module's own tests run the same ground against a real redis-server).
 */
class ArmRoutesOnMagpieTest {

    static final String OTHER_SUBSCRIPTION = "11111111-2222-3333-4444-555555555555";

    @TempDir
    static Path dataDir;
    static Magpie magpie;
    /** A second Magpie that wants a password the plane does not have. */
    static Magpie locked;
    static int closedPort;
    static ManagementPlane plane;
    static PlaneHttp client;
    static final AtomicInteger extraPlanes = new AtomicInteger();

    @BeforeAll
    static void start() throws Exception {
        magpie = Magpie.start();
        locked = Magpie.start("--requirepass", "right");
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        plane = ManagementPlane.start(PlaneHttp.settings(dataDir.resolve("main"))
                .maxRequestBodyBytes(1024)
                .addCache(PlaneHttp.cache("web", magpie.port(), null, null))
                .addCache(new CacheDescriptor(OTHER_SUBSCRIPTION, "Other-RG", "elsewhere", "westeurope", "127.0.0.1",
                        magpie.port(), false, true, null, null, null))
                .addCache(PlaneHttp.cache("locked", locked.port(), "wrong", null))
                .addCache(PlaneHttp.cache("gone", closedPort, null, null)));
        client = new PlaneHttp(plane);
    }

    @AfterAll
    static void stop() {
        if (plane != null) plane.close();
        if (magpie != null) magpie.close();
        if (locked != null) locked.close();
    }

    /** A plane of its own for tests that need other limits; closed by the caller. */
    private static ManagementPlane extraPlane(Consumer<ManagementSettings> tweaks) {
        ManagementSettings settings = PlaneHttp.settings(dataDir.resolve("extra-" + extraPlanes.incrementAndGet()))
                .addCache(PlaneHttp.cache("web", magpie.port(), null, null));
        tweaks.accept(settings);
        return ManagementPlane.start(settings);
    }

    private static String call(String... args) {
        try (RawRespClient connection = magpie.connect()) {
            return connection.callText(args);
        }
    }

    @Test
    void flushEmptiesEveryDatabaseOfMagpieAndEndsSucceeded() throws Exception {
        try (RawRespClient connection = magpie.connect()) {
            assertEquals("+OK\r\n", connection.callText("SET", "a", "1"));
            assertEquals("+OK\r\n", connection.callText("SELECT", "5"));
            assertEquals("+OK\r\n", connection.callText("SET", "in-db-5", "x"));
        }
        Instant before = Instant.now().minusSeconds(1);
        HttpResponse<String> accepted = client.send("POST", cachePath("web") + "/flush" + API, null);

        assertEquals(202, accepted.statusCode(), accepted.body());
        String async = accepted.headers().firstValue("Azure-AsyncOperation").orElseThrow();
        String location = accepted.headers().firstValue("Location").orElseThrow();
        assertTrue(async.matches("https://127\\.0\\.0\\.1:\\d+/subscriptions/" + SUBSCRIPTION
                + "/providers/Microsoft\\.Cache/locations/local/asyncOperations/[0-9a-f-]{36}\\?api-version=2024-11-01"), async);
        assertTrue(location.matches("https://127\\.0\\.0\\.1:\\d+/subscriptions/" + SUBSCRIPTION
                + "/providers/Microsoft\\.Cache/locations/local/operationResults/[0-9a-f-]{36}\\?api-version=2024-11-01"), location);
        assertTrue(Integer.parseInt(accepted.headers().firstValue("Retry-After").orElseThrow()) >= 0);

        JsonNode status = client.awaitEnd(async, Duration.ofSeconds(10));
        assertEquals("Succeeded", status.path("status").asText(), status.toString());
        String id = async.replaceAll(".*/asyncOperations/([^?]+).*", "$1");
        assertEquals(id, status.path("name").asText());
        assertTrue(status.path("id").asText().endsWith("/asyncOperations/" + id), status.toString());
        assertEquals(100.0, status.path("percentComplete").asDouble());
        Instant started = Instant.parse(status.path("startTime").asText());
        Instant ended = Instant.parse(status.path("endTime").asText());
        assertTrue(!started.isBefore(before) && !ended.isBefore(started), status.toString());
        assertFalse(status.has("error"));

        try (RawRespClient connection = magpie.connect()) {
            assertEquals(":0\r\n", connection.callText("DBSIZE"));
            connection.callText("SELECT", "5");
            assertEquals(":0\r\n", connection.callText("DBSIZE"));
        }
        HttpResponse<String> result = client.send("GET", location, null);
        assertEquals(200, result.statusCode());
        assertEquals(status, PlaneHttp.json(result));
    }

    @Test
    void operationResultsAnswer202WhileRunningAnd200AtTheEnd() throws Exception {
        // Magpie holds writes, so the flush stays running until the pause is lifted.
        assertEquals("+OK\r\n", call("CLIENT", "PAUSE", "10000", "WRITE"));
        try {
            HttpResponse<String> accepted = client.send("POST", cachePath("web") + "/flush" + API, null);
            assertEquals(202, accepted.statusCode(), accepted.body());
            String location = accepted.headers().firstValue("Location").orElseThrow();
            String async = accepted.headers().firstValue("Azure-AsyncOperation").orElseThrow();
            HttpResponse<String> running = client.send("GET", location, null);
            assertEquals(202, running.statusCode(), running.body());
            assertEquals(location, running.headers().firstValue("Location").orElseThrow());
            assertTrue(running.headers().firstValue("Retry-After").isPresent());
            JsonNode inProgress = client.status(async);
            assertEquals("InProgress", inProgress.path("status").asText(), inProgress.toString());
            assertTrue(client.send("GET", async, null).headers().firstValue("Retry-After").isPresent());

            assertEquals("+OK\r\n", call("CLIENT", "UNPAUSE"));
            client.awaitEnd(async, Duration.ofSeconds(10));
            HttpResponse<String> done = client.send("GET", location, null);
            assertEquals(200, done.statusCode());
            assertEquals("Succeeded", PlaneHttp.json(done).path("status").asText());
        } finally {
            call("CLIENT", "UNPAUSE");
        }
    }

    @Test
    void theCacheIsAnArmResourceWithMagpiesVersion() throws Exception {
        HttpResponse<String> response = client.send("GET", cachePath("web") + API, null);
        assertEquals(200, response.statusCode(), response.body());
        JsonNode cache = PlaneHttp.json(response);
        assertEquals(cachePath("web").replace("/redis/", "/Redis/"), cache.path("id").asText());
        assertEquals("web", cache.path("name").asText());
        assertEquals("Microsoft.Cache/Redis", cache.path("type").asText());
        assertEquals("local", cache.path("location").asText());
        JsonNode properties = cache.path("properties");
        assertEquals("127.0.0.1", properties.path("hostName").asText());
        assertEquals(magpie.port(), properties.path("port").asInt());
        assertEquals("Succeeded", properties.path("provisioningState").asText());
        String info = call("INFO", "server");
        String version = info.replaceAll("(?s).*redis_version:([^\r\n]+).*", "$1");
        assertEquals(version, properties.path("redisVersion").asText(), properties.toString());
        assertNotNull(properties.get("sku"));
    }

    @Test
    void everyResponseCarriesRequestIdsAndEchoesTheClientsWhenAsked() throws Exception {
        HttpResponse<String> response = client.send("GET", cachePath("web") + API, null, PlaneHttp.TOKEN, Map.of(
                "x-ms-client-request-id", "client-42",
                "x-ms-return-client-request-id", "true",
                "x-ms-correlation-request-id", "corr-7"));
        assertEquals(200, response.statusCode());
        assertEquals("client-42", response.headers().firstValue("x-ms-client-request-id").orElseThrow());
        assertEquals("corr-7", response.headers().firstValue("x-ms-correlation-request-id").orElseThrow());
        String first = response.headers().firstValue("x-ms-request-id").orElseThrow();
        HttpResponse<String> again = client.send("GET", cachePath("web") + API, null, PlaneHttp.TOKEN,
                Map.of("x-ms-client-request-id", "client-43"));
        assertFalse(again.headers().firstValue("x-ms-client-request-id").isPresent());
        assertFalse(first.equals(again.headers().firstValue("x-ms-request-id").orElseThrow()));
        // Errors carry one too.
        assertTrue(client.send("GET", "/nothing" + API, null).headers().firstValue("x-ms-request-id").isPresent());
    }

    @Test
    void missingTokenIsAuthenticationFailed() throws Exception {
        HttpResponse<String> response = client.send("POST", cachePath("web") + "/flush" + API, null, null, Map.of());
        assertArmError(response, 401, "AuthenticationFailed");
        assertTrue(response.headers().firstValue("WWW-Authenticate").orElseThrow().startsWith("Bearer"));
    }

    @Test
    void wrongTokenIsInvalidAuthenticationTokenAndFlushesNothing() throws Exception {
        assertEquals("+OK\r\n", call("SET", "survivor", "1"));
        HttpResponse<String> response = client.send("POST", cachePath("web") + "/flush" + API, null, "nope", Map.of());
        assertArmError(response, 401, "InvalidAuthenticationToken");
        assertTrue(response.headers().firstValue("WWW-Authenticate").orElseThrow().startsWith("Bearer"));
        assertEquals(":1\r\n", call("EXISTS", "survivor"));
    }

    @Test
    void apiVersionIsRequiredAndChecked() throws Exception {
        assertArmError(client.send("POST", cachePath("web") + "/flush", null), 400, "MissingApiVersionParameter");
        JsonNode error = assertArmError(client.send("POST", cachePath("web") + "/flush?api-version=2020-06-01", null),
                400, "InvalidApiVersionParameter");
        for (String version : new String[] {"2023-08-01", "2024-03-01", "2024-11-01"}) {
            assertTrue(error.path("message").asText().contains(version), error.toString());
            assertEquals(200, client.send("GET", cachePath("web") + "?api-version=" + version, null).statusCode());
        }
        assertArmError(client.send("GET", "/subscriptions/" + SUBSCRIPTION
                + "/providers/Microsoft.Cache/locations/local/asyncOperations/x", null), 400, "MissingApiVersionParameter");
    }

    @Test
    void unknownPathsAre404AndWrongMethods405() throws Exception {
        assertArmError(client.send("GET", "/nothing/here" + API, null), 404, "NotFound");
        assertArmError(client.send("POST", cachePath("web") + "/reboot" + API, null), 404, "NotFound");
        HttpResponse<String> wrongMethod = client.send("GET", cachePath("web") + "/flush" + API, null);
        assertArmError(wrongMethod, 405, "MethodNotAllowed");
        assertEquals("POST", wrongMethod.headers().firstValue("Allow").orElseThrow());
        assertArmError(client.send("DELETE", cachePath("web") + API, null), 405, "MethodNotAllowed");
        assertArmError(client.send("GET", cachePath("web") + "/listKeys" + API, null), 405, "MethodNotAllowed");
        assertArmError(client.send("POST", "/subscriptions/" + SUBSCRIPTION
                + "/providers/Microsoft.Cache/locations/local/asyncOperations/x" + API, null), 405, "MethodNotAllowed");
    }

    @Test
    void cacheNamesFollowArmsPatternAndUnknownOnesAreResourceNotFound() throws Exception {
        assertArmError(client.send("POST", cachePath("-web") + "/flush" + API, null), 400, "InvalidResourceName");
        assertArmError(client.send("POST", cachePath("web-") + "/flush" + API, null), 400, "InvalidResourceName");
        assertArmError(client.send("POST", cachePath("we_b") + "/flush" + API, null), 400, "InvalidResourceName");
        JsonNode missing = assertArmError(client.send("POST", cachePath("w") + "/flush" + API, null), 404, "ResourceNotFound");
        assertEquals("The Resource 'Microsoft.Cache/Redis/w' under resource group 'magpie' was not found. "
                + "For more details please go to https://aka.ms/ARMResourceNotFoundFix", missing.path("message").asText());
        assertArmError(client.send("POST", cachePath(SUBSCRIPTION, "nope", "web") + "/flush" + API, null), 404, "ResourceNotFound");
        assertArmError(client.send("GET", cachePath("absent") + API, null), 404, "ResourceNotFound");
        assertArmError(client.send("POST", cachePath("absent") + "/listKeys" + API, null), 404, "ResourceNotFound");
        assertArmError(client.send("POST", cachePath("absent") + "/regenerateKey" + API, "{\"keyType\":\"Primary\"}"),
                404, "ResourceNotFound");
        // A cache registered under another subscription is not found under this one.
        assertArmError(client.send("GET", cachePath(SUBSCRIPTION, "Other-RG", "elsewhere") + API, null), 404, "ResourceNotFound");
    }

    @Test
    void resourceGroupsAndProviderSegmentsAreCaseInsensitive() throws Exception {
        assertEquals("+OK\r\n", call("SET", "doomed", "1"));
        HttpResponse<String> response = client.send("POST", "/SUBSCRIPTIONS/" + SUBSCRIPTION
                + "/resourcegroups/MAGPIE/providers/microsoft.cache/Redis/WEB/Flush" + API, null);
        assertEquals(202, response.statusCode(), response.body());
        JsonNode status = client.awaitEnd(response.headers().firstValue("Azure-AsyncOperation").orElseThrow(), Duration.ofSeconds(10));
        assertEquals("Succeeded", status.path("status").asText());
        assertEquals(":0\r\n", call("EXISTS", "doomed"));
        assertEquals(200, client.send("GET", cachePath(OTHER_SUBSCRIPTION, "other-rg", "ELSEWHERE") + API, null).statusCode());
    }

    @Test
    void operationsAreVisibleOnlyUnderTheirSubscription() throws Exception {
        String async = client.flush("web", null);
        client.awaitEnd(async, Duration.ofSeconds(10));
        String foreign = async.replace("/subscriptions/" + SUBSCRIPTION + "/", "/subscriptions/" + OTHER_SUBSCRIPTION + "/");
        assertArmError(client.send("GET", foreign, null), 404, "ResourceNotFound");
        assertArmError(client.send("GET", foreign.replace("asyncOperations", "operationResults"), null), 404, "ResourceNotFound");
        assertArmError(client.send("GET", async.replace("/locations/local/", "/locations/westeurope/"), null), 404, "ResourceNotFound");
        assertArmError(client.send("GET", "/subscriptions/" + SUBSCRIPTION
                + "/providers/Microsoft.Cache/locations/local/asyncOperations/no-such-operation" + API, null), 404, "ResourceNotFound");
        assertArmError(client.send("GET", "/subscriptions/" + SUBSCRIPTION
                + "/providers/Microsoft.Cache/locations/local/operationResults/no-such-operation" + API, null), 404, "ResourceNotFound");
    }

    @Test
    void malformedAndOversizedBodiesAreRefused() throws Exception {
        assertEquals("+OK\r\n", call("SET", "survivor", "1"));
        assertArmError(client.send("POST", cachePath("web") + "/flush" + API, "{not json"), 400, "InvalidRequestContent");
        assertArmError(client.send("POST", cachePath("web") + "/flush" + API, "[1]"), 400, "InvalidRequestContent");
        assertArmError(client.send("POST", cachePath("web") + "/flush" + API, "{\"prefix\":\"\"}"), 400, "InvalidRequestContent");
        assertArmError(client.send("POST", cachePath("web") + "/flush" + API, "{\"prefix\":\"a\",\"database\":-1}"),
                400, "InvalidRequestContent");
        assertArmError(client.send("POST", cachePath("web") + "/regenerateKey" + API, "{\"keyType\":\"Tertiary\"}"),
                400, "InvalidRequestContent");
        assertArmError(client.send("POST", cachePath("web") + "/regenerateKey" + API, "{oops"), 400, "InvalidRequestContent");
        assertArmError(client.send("POST", cachePath("web") + "/flush" + API, "{\"prefix\":\"" + "x".repeat(2000) + "\"}"),
                413, "RequestEntityTooLarge");
        assertEquals(":1\r\n", call("EXISTS", "survivor"), "a refused call flushes nothing");
    }

    @Test
    void aFullQueueAnswers429WithRetryAfter() throws Exception {
        try (ManagementPlane small = extraPlane(s -> s.maxQueuedOperationsPerCache(1))) {
            PlaneHttp smallClient = new PlaneHttp(small);
            assertEquals("+OK\r\n", call("CLIENT", "PAUSE", "10000", "WRITE"));
            try {
                String running = smallClient.flush("web", null);
                String waiting = smallClient.flush("web", null);
                HttpResponse<String> refused = smallClient.send("POST", cachePath("web") + "/flush" + API, null);
                assertArmError(refused, 429, "TooManyRequests");
                assertTrue(refused.headers().firstValue("Retry-After").isPresent());
                HttpResponse<String> refusedKey = smallClient.send("POST", cachePath("web") + "/regenerateKey" + API,
                        "{\"keyType\":\"Primary\"}");
                assertArmError(refusedKey, 429, "TooManyRequests");
                assertEquals("+OK\r\n", call("CLIENT", "UNPAUSE"));
                assertEquals("Succeeded", smallClient.awaitEnd(running, Duration.ofSeconds(10)).path("status").asText());
                assertEquals("Succeeded", smallClient.awaitEnd(waiting, Duration.ofSeconds(10)).path("status").asText());
            } finally {
                call("CLIENT", "UNPAUSE");
            }
        }
    }

    @Test
    void anOperationThatOutlivesItsTimeoutEndsFailed() throws Exception {
        try (ManagementPlane impatient = extraPlane(s -> s.operationTimeout(Duration.ofMillis(600)))) {
            PlaneHttp impatientClient = new PlaneHttp(impatient);
            assertEquals("+OK\r\n", call("CLIENT", "PAUSE", "10000", "WRITE"));
            try {
                JsonNode status = impatientClient.awaitEnd(impatientClient.flush("web", null), Duration.ofSeconds(10));
                assertEquals("Failed", status.path("status").asText(), status.toString());
                assertEquals("OperationTimedOut", status.path("error").path("code").asText(), status.toString());
                assertTrue(status.has("endTime"));
            } finally {
                call("CLIENT", "UNPAUSE");
            }
        }
    }

    @Test
    void anUnreachableCacheEndsFailed() throws Exception {
        JsonNode status = client.awaitEnd(client.flush("gone", null), Duration.ofSeconds(10));
        assertEquals("Failed", status.path("status").asText());
        assertEquals("CacheUnreachable", status.path("error").path("code").asText(), status.toString());
        assertTrue(status.path("error").path("message").asText().contains(String.valueOf(closedPort)), status.toString());
        assertTrue(status.has("endTime"));
        // The resource itself is still served, without a version.
        assertEquals(200, client.send("GET", cachePath("gone") + API, null).statusCode());
    }

    @Test
    void aRefusedPasswordEndsFailedWithMagpiesMessage() throws Exception {
        try (RawRespClient connection = locked.connect()) {
            assertEquals("+OK\r\n", connection.callText("AUTH", "right"));
            assertEquals("+OK\r\n", connection.callText("SET", "kept", "1"));
            JsonNode status = client.awaitEnd(client.flush("locked", null), Duration.ofSeconds(10));
            assertEquals("Failed", status.path("status").asText());
            assertEquals("CacheAuthenticationFailed", status.path("error").path("code").asText(), status.toString());
            assertTrue(status.path("error").path("message").asText()
                    .contains("WRONGPASS invalid username-password pair or user is disabled."), status.toString());
            assertEquals(":1\r\n", connection.callText("EXISTS", "kept"));
        }
    }

    @Test
    void anErrorReplyEndsFailedWithMagpiesMessage() throws Exception {
        // Magpie has 16 databases; selecting the 100th is refused in Magpie's (Redis's) words.
        JsonNode status = client.awaitEnd(client.flush("web", "{\"prefix\":\"a:\",\"database\":99}"), Duration.ofSeconds(10));
        assertEquals("Failed", status.path("status").asText(), status.toString());
        assertEquals("CacheCommandFailed", status.path("error").path("code").asText(), status.toString());
        assertTrue(status.path("error").path("message").asText().contains("ERR DB index is out of range"), status.toString());
    }

    @Test
    void aPrefixFlushTakesOnlyTheKeysUnderThePrefix() throws Exception {
        try (RawRespClient connection = magpie.connect()) {
            connection.callText("FLUSHALL");
            for (int i = 0; i < 1200; i++) {
                connection.send("SET", "session:" + i, "v");
            }
            connection.readReplies(1200);
            connection.callText("SET", "session:1:nested", "v");
            connection.callText("SET", "sessions", "v");
            connection.callText("SET", "other:1", "v");
            connection.callText("SELECT", "2");
            connection.callText("SET", "session:1", "db2");
            connection.callText("SET", "session:1:deep", "db2");
        }
        JsonNode level = client.awaitEnd(client.flush("web", "{\"prefix\":\"session:\"}"), Duration.ofSeconds(20));
        assertEquals("Succeeded", level.path("status").asText(), level.toString());
        assertEquals(100.0, level.path("percentComplete").asDouble());
        assertEquals(":0\r\n", call("EXISTS", "session:7"));
        assertEquals(":1\r\n", call("EXISTS", "session:1:nested"));
        assertEquals(":3\r\n", call("DBSIZE"));

        JsonNode subtree = client.awaitEnd(client.flush("web", "{\"prefix\":\"session:\",\"recursive\":true}"), Duration.ofSeconds(20));
        assertEquals("Succeeded", subtree.path("status").asText(), subtree.toString());
        assertEquals(":2\r\n", call("DBSIZE"));
        try (RawRespClient connection = magpie.connect()) {
            connection.callText("SELECT", "2");
            assertEquals(":2\r\n", connection.callText("DBSIZE"), "other databases are untouched");
        }
        JsonNode inTwo = client.awaitEnd(client.flush("web", "{\"prefix\":\"session:\",\"recursive\":true,\"database\":2}"),
                Duration.ofSeconds(20));
        assertEquals("Succeeded", inTwo.path("status").asText(), inTwo.toString());
        try (RawRespClient connection = magpie.connect()) {
            connection.callText("SELECT", "2");
            assertEquals(":0\r\n", connection.callText("DBSIZE"));
        }
        assertEquals(":2\r\n", call("DBSIZE"));
    }
}
