package dev.magpie.management.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.magpie.management.ManagementPlane;

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

/** Real HTTPS requests to a running plane, trusting only the plane's own certificate. */
public final class PlaneClient {

    public static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http;
    private final String baseUrl;
    private final String token;

    public PlaneClient(ManagementPlane plane, String token) throws Exception {
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .sslContext(trusting(plane.certificateFile().orElseThrow()))
                .connectTimeout(Duration.ofSeconds(5))
                .build();
        this.baseUrl = plane.baseUrl();
        this.token = token;
    }

    public static SSLContext trusting(Path pem) throws Exception {
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

    public String baseUrl() {
        return baseUrl;
    }

    public HttpResponse<String> send(String method, String pathOrUrl, String body) throws IOException, InterruptedException {
        return send(method, pathOrUrl, body, token, Map.of());
    }

    public HttpResponse<String> send(String method, String pathOrUrl, String body, String bearer,
                                     Map<String, String> headers) throws IOException, InterruptedException {
        String url = pathOrUrl.startsWith("https://") ? pathOrUrl : baseUrl + pathOrUrl;
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (bearer != null) request.header("Authorization", "Bearer " + bearer);
        if (body != null) request.header("Content-Type", "application/json");
        headers.forEach(request::header);
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    public static JsonNode json(HttpResponse<String> response) throws IOException {
        return JSON.readTree(response.body());
    }

    /** Polls an Azure-AsyncOperation URL until the operation ends, and returns its final status body. */
    public JsonNode awaitEnd(String asyncOperationUrl, Duration limit) throws Exception {
        long deadline = System.nanoTime() + limit.toNanos();
        while (true) {
            HttpResponse<String> response = send("GET", asyncOperationUrl, null);
            if (response.statusCode() != 200) {
                throw new AssertionError("polling " + asyncOperationUrl + " gave " + response.statusCode() + " " + response.body());
            }
            JsonNode status = json(response);
            if (!status.path("status").asText().equals("InProgress")) {
                return status;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("operation still InProgress after " + limit + ": " + status);
            }
            Thread.sleep(25);
        }
    }
}
