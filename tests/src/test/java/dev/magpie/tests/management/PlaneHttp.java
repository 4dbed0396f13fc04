package dev.magpie.tests.management;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.magpie.management.ManagementPlane;
import dev.magpie.management.ManagementSettings;
import dev.magpie.management.caches.CacheDescriptor;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A plain HTTPS client (the JDK's) for a running management plane, trusting only the plane's own
 * certificate, plus the settings and paths the tests of the plane over Magpie share.
 */
final class PlaneHttp {

    static final String TOKEN = "magpie-test-token-7d2e";
    static final String SUBSCRIPTION = ManagementSettings.DEFAULT_SUBSCRIPTION;
    static final String RESOURCE_GROUP = "magpie";
    static final String API = "?api-version=2024-11-01";
    static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http;
    private final String baseUrl;

    PlaneHttp(ManagementPlane plane) throws Exception {
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .sslContext(trusting(plane.certificateFile().orElseThrow()))
                .connectTimeout(Duration.ofSeconds(5))
                .build();
        this.baseUrl = plane.baseUrl();
    }

    /** Loopback, any free port, one known token, a private store, and timeouts short enough for tests. */
    static ManagementSettings settings(Path dataDir) {
        return new ManagementSettings()
                .port(0)
                .tokensFromEnvironment(false)
                .addTokens(TOKEN)
                .dataDir(dataDir)
                .operationTimeout(Duration.ofSeconds(15))
                .cacheConnectTimeout(Duration.ofSeconds(2));
    }

    static CacheDescriptor cache(String name, int port, String primaryKey, String secondaryKey) {
        return new CacheDescriptor(SUBSCRIPTION, RESOURCE_GROUP, name, "local", "127.0.0.1", port, false, true,
                null, primaryKey, secondaryKey);
    }

    static String cachePath(String name) {
        return cachePath(SUBSCRIPTION, RESOURCE_GROUP, name);
    }

    static String cachePath(String subscription, String resourceGroup, String name) {
        return "/subscriptions/" + subscription + "/resourceGroups/" + resourceGroup
                + "/providers/Microsoft.Cache/redis/" + name;
    }

    static SSLContext trusting(Path pem) throws Exception {
        KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
        trust.load(null, null);
        try (InputStream in = Files.newInputStream(pem)) {
            trust.setCertificateEntry("magpie-management", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, factory.getTrustManagers(), null);
        return context;
    }

    String baseUrl() {
        return baseUrl;
    }

    HttpResponse<String> send(String method, String pathOrUrl, String body) throws IOException, InterruptedException {
        return send(method, pathOrUrl, body, TOKEN, Map.of());
    }

    HttpResponse<String> send(String method, String pathOrUrl, String body, String bearer, Map<String, String> headers)
            throws IOException, InterruptedException {
        String url = pathOrUrl.startsWith("https://") ? pathOrUrl : baseUrl + pathOrUrl;
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (bearer != null) request.header("Authorization", "Bearer " + bearer);
        if (body != null) request.header("Content-Type", "application/json");
        headers.forEach(request::header);
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** POSTs a flush, expects 202, and returns the Azure-AsyncOperation URL. */
    String flush(String cacheName, String body) throws Exception {
        HttpResponse<String> response = send("POST", cachePath(cacheName) + "/flush" + API, body);
        assertEquals(202, response.statusCode(), response.body());
        return response.headers().firstValue("Azure-AsyncOperation").orElseThrow();
    }

    static JsonNode json(HttpResponse<String> response) throws IOException {
        return JSON.readTree(response.body());
    }

    JsonNode status(String asyncOperationUrl) throws Exception {
        HttpResponse<String> response = send("GET", asyncOperationUrl, null);
        assertEquals(200, response.statusCode(), response.body());
        return json(response);
    }

    /** Polls an Azure-AsyncOperation URL until the operation ends, and returns its final status body. */
    JsonNode awaitEnd(String asyncOperationUrl, Duration limit) throws Exception {
        long deadline = System.nanoTime() + limit.toNanos();
        while (true) {
            JsonNode status = status(asyncOperationUrl);
            if (!status.path("status").asText().equals("InProgress")) {
                return status;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("operation still InProgress after " + limit + ": " + status);
            }
            Thread.sleep(20);
        }
    }

    /** Checks ARM's error shape, status and code, and returns the error object. */
    static JsonNode assertArmError(HttpResponse<String> response, int status, String code) throws Exception {
        assertEquals(status, response.statusCode(), response.body());
        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
        JsonNode error = json(response).path("error");
        assertEquals(code, error.path("code").asText(), response.body());
        assertTrue(error.path("message").isTextual() && !error.path("message").asText().isEmpty(), response.body());
        assertTrue(error.has("target"), response.body());
        assertTrue(error.path("details").isArray() && error.path("details").isEmpty(), response.body());
        assertTrue(error.path("additionalInfo").isArray() && error.path("additionalInfo").isEmpty(), response.body());
        assertTrue(response.headers().firstValue("x-ms-request-id").isPresent());
        return error;
    }
}
