package dev.magpie.management;

import com.fasterxml.jackson.databind.JsonNode;
import dev.magpie.management.support.PlaneClient;
import dev.magpie.management.support.PlaneOverRedis;
import dev.magpie.management.support.TestPlanes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

import static dev.magpie.management.support.TestPlanes.API;
import static dev.magpie.management.support.TestPlanes.SUBSCRIPTION;
import static dev.magpie.management.support.TestPlanes.cachePath;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Routing, authentication, api-version and name rules, and ARM's error bodies. */
class ArmSurfaceTest {

    static final String OTHER_SUBSCRIPTION = "11111111-2222-3333-4444-555555555555";

    @RegisterExtension
    static final PlaneOverRedis fixture = new PlaneOverRedis((s, server) -> s
                .maxRequestBodyBytes(1024)
                .addCache(TestPlanes.cache("web", server.port(), null))
                .addCache(new dev.magpie.management.caches.CacheDescriptor(OTHER_SUBSCRIPTION, "Other-RG", "elsewhere",
                        "westeurope", "127.0.0.1", server.port(), false, true, null, null, null)));

    static JsonNode assertArmError(HttpResponse<String> response, int status, String code) throws Exception {
        assertEquals(status, response.statusCode(), response.body());
        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
        JsonNode error = PlaneClient.json(response).path("error");
        assertEquals(code, error.path("code").asText(), response.body());
        assertTrue(error.path("message").isTextual() && !error.path("message").asText().isEmpty());
        assertTrue(error.has("target"));
        assertTrue(error.path("details").isArray() && error.path("details").isEmpty());
        assertTrue(error.path("additionalInfo").isArray() && error.path("additionalInfo").isEmpty());
        assertTrue(response.headers().firstValue("x-ms-request-id").isPresent());
        return error;
    }

    @Test
    void missingTokenIsAuthenticationFailed() throws Exception {
        HttpResponse<String> response = fixture.client().send("POST", cachePath("web") + "/flush" + API, null, null, Map.of());
        assertArmError(response, 401, "AuthenticationFailed");
        assertTrue(response.headers().firstValue("WWW-Authenticate").orElseThrow().startsWith("Bearer"));
    }

    @Test
    void wrongTokenIsInvalidAuthenticationToken() throws Exception {
        HttpResponse<String> response = fixture.client().send("POST", cachePath("web") + "/flush" + API, null, "nope", Map.of());
        assertArmError(response, 401, "InvalidAuthenticationToken");
        assertTrue(response.headers().firstValue("WWW-Authenticate").orElseThrow().startsWith("Bearer"));
    }

    @Test
    void apiVersionIsRequiredAndChecked() throws Exception {
        assertArmError(fixture.client().send("POST", cachePath("web") + "/flush", null), 400, "MissingApiVersionParameter");
        JsonNode error = assertArmError(fixture.client().send("POST", cachePath("web") + "/flush?api-version=2020-06-01", null),
                400, "InvalidApiVersionParameter");
        assertTrue(error.path("message").asText().contains("2024-11-01"), error.toString());
        assertTrue(error.path("message").asText().contains("2023-08-01"), error.toString());
        for (String version : new String[] {"2023-08-01", "2024-03-01", "2024-11-01"}) {
            assertEquals(200, fixture.client().send("GET", cachePath("web") + "?api-version=" + version, null).statusCode());
        }
    }

    @Test
    void unknownPathsAre404AndWrongMethods405() throws Exception {
        assertArmError(fixture.client().send("GET", "/nothing/here" + API, null), 404, "NotFound");
        assertArmError(fixture.client().send("POST", cachePath("web") + "/reboot" + API, null), 404, "NotFound");
        HttpResponse<String> wrongMethod = fixture.client().send("GET", cachePath("web") + "/flush" + API, null);
        assertArmError(wrongMethod, 405, "MethodNotAllowed");
        assertEquals("POST", wrongMethod.headers().firstValue("Allow").orElseThrow());
        assertArmError(fixture.client().send("DELETE", cachePath("web") + API, null), 405, "MethodNotAllowed");
    }

    @Test
    void cacheNamesFollowArmsPattern() throws Exception {
        assertArmError(fixture.client().send("POST", cachePath("-web") + "/flush" + API, null), 400, "InvalidResourceName");
        assertArmError(fixture.client().send("POST", cachePath("web-") + "/flush" + API, null), 400, "InvalidResourceName");
        assertArmError(fixture.client().send("POST", cachePath("we_b") + "/flush" + API, null), 400, "InvalidResourceName");
        JsonNode missing = assertArmError(fixture.client().send("POST", cachePath("w") + "/flush" + API, null), 404, "ResourceNotFound");
        assertEquals("The Resource 'Microsoft.Cache/Redis/w' under resource group 'magpie' was not found. "
                + "For more details please go to https://aka.ms/ARMResourceNotFoundFix", missing.path("message").asText());
    }

    @Test
    void unknownResourceGroupIsResourceNotFound() throws Exception {
        assertArmError(fixture.client().send("POST", cachePath(SUBSCRIPTION, "nope", "web") + "/flush" + API, null), 404, "ResourceNotFound");
    }

    @Test
    void resourceGroupsAndProviderSegmentsAreCaseInsensitive() throws Exception {
        HttpResponse<String> response = fixture.client().send("POST", "/SUBSCRIPTIONS/" + SUBSCRIPTION
                + "/resourcegroups/MAGPIE/providers/microsoft.cache/Redis/WEB/Flush" + API, null);
        assertEquals(202, response.statusCode(), response.body());
        JsonNode status = fixture.client().awaitEnd(response.headers().firstValue("Azure-AsyncOperation").orElseThrow(), Duration.ofSeconds(10));
        assertEquals("Succeeded", status.path("status").asText());
        assertEquals(200, fixture.client().send("GET", cachePath(OTHER_SUBSCRIPTION, "other-rg", "ELSEWHERE") + API, null).statusCode());
    }

    @Test
    void operationsAreVisibleOnlyUnderTheirSubscription() throws Exception {
        HttpResponse<String> accepted = fixture.client().send("POST", cachePath("web") + "/flush" + API, null);
        String async = accepted.headers().firstValue("Azure-AsyncOperation").orElseThrow();
        fixture.client().awaitEnd(async, Duration.ofSeconds(10));
        String foreign = async.replace("/subscriptions/" + SUBSCRIPTION + "/", "/subscriptions/" + OTHER_SUBSCRIPTION + "/");
        assertArmError(fixture.client().send("GET", foreign, null), 404, "ResourceNotFound");
        assertArmError(fixture.client().send("GET", foreign.replace("asyncOperations", "operationResults"), null), 404, "ResourceNotFound");
        assertArmError(fixture.client().send("GET", "/subscriptions/" + SUBSCRIPTION
                + "/providers/Microsoft.Cache/locations/local/asyncOperations/no-such-operation" + API, null), 404, "ResourceNotFound");
    }

    @Test
    void malformedAndOversizedBodiesAreRefused() throws Exception {
        assertArmError(fixture.client().send("POST", cachePath("web") + "/flush" + API, "{not json"), 400, "InvalidRequestContent");
        assertArmError(fixture.client().send("POST", cachePath("web") + "/regenerateKey" + API, "{\"keyType\":\"Tertiary\"}"),
                400, "InvalidRequestContent");
        assertArmError(fixture.client().send("POST", cachePath("web") + "/flush" + API, "{\"prefix\":\"" + "x".repeat(2000) + "\"}"),
                413, "RequestEntityTooLarge");
    }
}
