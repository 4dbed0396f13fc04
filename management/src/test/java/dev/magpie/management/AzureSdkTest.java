package dev.magpie.management;

import com.azure.core.credential.AccessToken;
import com.azure.core.credential.TokenCredential;
import com.azure.core.http.HttpClient;
import com.azure.core.http.netty.NettyAsyncHttpClientBuilder;
import com.azure.core.management.AzureEnvironment;
import com.azure.core.management.exception.ManagementException;
import com.azure.core.management.profile.AzureProfile;
import com.azure.core.util.polling.LongRunningOperationStatus;
import com.azure.core.util.polling.PollResponse;
import com.azure.resourcemanager.redis.RedisManager;
import com.azure.resourcemanager.redis.fluent.RedisClient;
import com.azure.resourcemanager.redis.fluent.models.RedisAccessKeysInner;
import com.azure.resourcemanager.redis.fluent.models.RedisResourceInner;
import com.azure.resourcemanager.redis.models.OperationStatusResult;
import com.azure.resourcemanager.redis.models.RedisKeyType;
import com.azure.resourcemanager.redis.models.RedisRegenerateKeyParameters;
import dev.magpie.management.support.RedisServerProcess;
import dev.magpie.management.support.TestPlanes;
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
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The real client: the Azure SDK for Java's Redis management library, pointed at the plane through a
 * custom AzureEnvironment, an HTTP client trusting the plane's certificate, and a fixed bearer token.
 */
class AzureSdkTest {

    @TempDir
    static Path dataDir;
    static RedisServerProcess redis;
    /** Regenerating a key locks the cache to the new key, so that test gets a cache of its own. */
    static RedisServerProcess keyedRedis;
    static ManagementPlane plane;
    static HttpClient httpClient;
    static AzureProfile profile;

    @BeforeAll
    static void start() throws Exception {
        redis = RedisServerProcess.start();
        keyedRedis = RedisServerProcess.start();
        plane = TestPlanes.start(dataDir, s -> s.addCache(TestPlanes.cache("sdk", redis.port(), null))
                .addCache(TestPlanes.cache("sdk-keys", keyedRedis.port(), null)));
        SslContext trustPlane = SslContextBuilder.forClient()
                .trustManager(plane.certificateFile().orElseThrow().toFile()).build();
        httpClient = new NettyAsyncHttpClientBuilder(reactor.netty.http.client.HttpClient.create()
                .secure(spec -> spec.sslContext(trustPlane))).build();
        Map<String, String> endpoints = new HashMap<>(AzureEnvironment.AZURE.getEndpoints());
        endpoints.put("resourceManagerEndpointUrl", plane.baseUrl() + "/");
        endpoints.put("managementEndpointUrl", plane.baseUrl() + "/");
        profile = new AzureProfile("00000000-0000-0000-0000-0000000000aa", TestPlanes.SUBSCRIPTION, new AzureEnvironment(endpoints));
    }

    @AfterAll
    static void stop() {
        if (plane != null) plane.close();
        if (redis != null) redis.close();
        if (keyedRedis != null) keyedRedis.close();
    }

    private static RedisClient redisApi(String token) {
        TokenCredential credential = request -> Mono.just(new AccessToken(token, OffsetDateTime.now().plusHours(1)));
        return RedisManager.configure().withHttpClient(httpClient).authenticate(credential, profile)
                .serviceClient().getRedis();
    }

    @Test
    void beginFlushCacheCompletesSucceededAndTheKeysAreGone() throws Exception {
        redis.command(null, "SET", "doomed", "1");
        var poller = redisApi(TestPlanes.TOKEN).beginFlushCache(TestPlanes.RESOURCE_GROUP, "sdk");
        poller.setPollInterval(Duration.ofMillis(200));
        PollResponse<?> last = poller.waitForCompletion(Duration.ofSeconds(30));
        assertEquals(LongRunningOperationStatus.SUCCESSFULLY_COMPLETED, last.getStatus());
        OperationStatusResult result = poller.getFinalResult();
        assertEquals("Succeeded", result.status());
        assertEquals(":0", redis.command(null, "EXISTS", "doomed"));
    }

    @Test
    void theSdkReadsTheCacheAndItsKeys() throws Exception {
        RedisClient api = redisApi(TestPlanes.TOKEN);
        RedisResourceInner cache = api.getByResourceGroup(TestPlanes.RESOURCE_GROUP, "sdk-keys");
        assertEquals("127.0.0.1", cache.hostname());
        assertEquals(keyedRedis.port(), cache.port());
        RedisAccessKeysInner keys = api.regenerateKey(TestPlanes.RESOURCE_GROUP, "sdk-keys",
                new RedisRegenerateKeyParameters().withKeyType(RedisKeyType.PRIMARY));
        assertNotEquals(null, keys.primaryKey());
        assertEquals(keys.primaryKey(), api.listKeys(TestPlanes.RESOURCE_GROUP, "sdk-keys").primaryKey());
        assertEquals("+PONG", keyedRedis.command(keys.primaryKey(), "PING"));
    }

    @Test
    void anUnknownCacheIsResourceNotFound() {
        ManagementException error = assertThrows(ManagementException.class,
                () -> redisApi(TestPlanes.TOKEN).beginFlushCache(TestPlanes.RESOURCE_GROUP, "absent").waitForCompletion());
        assertEquals("ResourceNotFound", error.getValue().getCode());
    }

    @Test
    void aWrongTokenIsInvalidAuthenticationToken() {
        ManagementException error = assertThrows(ManagementException.class,
                () -> redisApi("not-the-token").beginFlushCache(TestPlanes.RESOURCE_GROUP, "sdk").waitForCompletion());
        assertEquals("InvalidAuthenticationToken", error.getValue().getCode());
    }
}
