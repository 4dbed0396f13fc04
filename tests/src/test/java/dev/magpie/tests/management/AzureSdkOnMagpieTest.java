package dev.magpie.tests.management;

import com.azure.core.credential.AccessToken;
import com.azure.core.credential.TokenCredential;
import com.azure.core.http.HttpClient;
import com.azure.core.http.netty.NettyAsyncHttpClientBuilder;
import com.azure.core.management.AzureEnvironment;
import com.azure.core.management.exception.ManagementException;
import com.azure.core.management.polling.PollResult;
import com.azure.core.management.profile.AzureProfile;
import com.azure.core.util.polling.LongRunningOperationStatus;
import com.azure.core.util.polling.PollResponse;
import com.azure.core.util.polling.SyncPoller;
import com.azure.resourcemanager.redis.RedisManager;
import com.azure.resourcemanager.redis.fluent.RedisClient;
import com.azure.resourcemanager.redis.fluent.models.RedisResourceInner;
import com.azure.resourcemanager.redis.models.OperationStatusResult;
import dev.magpie.management.ManagementPlane;
import dev.magpie.tests.support.Magpie;
import dev.magpie.tests.support.RawRespClient;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Mono;

import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The real client, the Azure SDK for Java's Redis management library, flushing a Magpie through the
 * plane: pointed at it by an AzureEnvironment, trusting its certificate, with a fixed bearer token.
 */
class AzureSdkOnMagpieTest {

    @TempDir
    static Path dataDir;
    static Magpie magpie;
    static ManagementPlane plane;
    static HttpClient httpClient;
    static AzureProfile profile;

    @BeforeAll
    static void start() throws Exception {
        magpie = Magpie.start();
        plane = ManagementPlane.start(PlaneHttp.settings(dataDir).addCache(PlaneHttp.cache("sdk", magpie.port(), null, null)));
        SslContext trustPlane = SslContextBuilder.forClient()
                .trustManager(plane.certificateFile().orElseThrow().toFile()).build();
        httpClient = new NettyAsyncHttpClientBuilder(reactor.netty.http.client.HttpClient.create()
                .secure(spec -> spec.sslContext(trustPlane))).build();
        Map<String, String> endpoints = new HashMap<>(AzureEnvironment.AZURE.getEndpoints());
        endpoints.put("resourceManagerEndpointUrl", plane.baseUrl() + "/");
        endpoints.put("managementEndpointUrl", plane.baseUrl() + "/");
        profile = new AzureProfile("00000000-0000-0000-0000-0000000000aa", PlaneHttp.SUBSCRIPTION, new AzureEnvironment(endpoints));
    }

    @AfterAll
    static void stop() {
        if (plane != null) plane.close();
        if (magpie != null) magpie.close();
    }

    private static RedisClient redisApi(String token) {
        TokenCredential credential = request -> Mono.just(new AccessToken(token, OffsetDateTime.now().plusHours(1)));
        return RedisManager.configure().withHttpClient(httpClient).authenticate(credential, profile)
                .serviceClient().getRedis();
    }

    @Test
    void beginFlushCacheCompletesSucceededAndMagpiesKeysAreGone() {
        try (RawRespClient connection = magpie.connect()) {
            for (int i = 0; i < 100; i++) {
                connection.send("SET", "doomed:" + i, "v");
            }
            connection.readReplies(100);
            connection.callText("SELECT", "3");
            assertEquals("+OK\r\n", connection.callText("SET", "doomed-in-3", "v"));

            SyncPoller<PollResult<OperationStatusResult>, OperationStatusResult> poller =
                    redisApi(PlaneHttp.TOKEN).beginFlushCache(PlaneHttp.RESOURCE_GROUP, "sdk");
            poller.setPollInterval(Duration.ofMillis(100));
            PollResponse<?> last = poller.waitForCompletion(Duration.ofSeconds(30));
            assertEquals(LongRunningOperationStatus.SUCCESSFULLY_COMPLETED, last.getStatus());
            OperationStatusResult result = poller.getFinalResult();
            assertEquals("Succeeded", result.status());

            assertEquals(":0\r\n", connection.callText("DBSIZE"));
            connection.callText("SELECT", "0");
            assertEquals(":0\r\n", connection.callText("DBSIZE"));
        }
    }

    @Test
    void theSdkReadsMagpieAsACache() {
        RedisResourceInner cache = redisApi(PlaneHttp.TOKEN).getByResourceGroup(PlaneHttp.RESOURCE_GROUP, "sdk");
        assertEquals("127.0.0.1", cache.hostname());
        assertEquals(magpie.port(), cache.port());
        assertEquals("sdk", cache.name());
    }

    @Test
    void anUnknownCacheIsResourceNotFound() {
        ManagementException error = assertThrows(ManagementException.class,
                () -> redisApi(PlaneHttp.TOKEN).beginFlushCache(PlaneHttp.RESOURCE_GROUP, "absent").waitForCompletion());
        assertEquals("ResourceNotFound", error.getValue().getCode());
    }

    @Test
    void aWrongTokenIsInvalidAuthenticationTokenAndMagpieKeepsItsKeys() {
        try (RawRespClient connection = magpie.connect()) {
            assertEquals("+OK\r\n", connection.callText("SET", "kept", "1"));
            ManagementException error = assertThrows(ManagementException.class,
                    () -> redisApi("not-the-token").beginFlushCache(PlaneHttp.RESOURCE_GROUP, "sdk").waitForCompletion());
            assertEquals("InvalidAuthenticationToken", error.getValue().getCode());
            assertEquals(":1\r\n", connection.callText("EXISTS", "kept"));
        }
    }
}
