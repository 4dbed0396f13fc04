package dev.magpie.tests.support;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.protocol.ProtocolVersion;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A Magpie started once for a test class, and Lettuce clients for it in the protocol a test asks
 * for:
 * <pre>{@code
 * @RegisterExtension
 * static final LettuceOnMagpie lettuce = new LettuceOnMagpie();
 * ... lettuce.withCommands(protocol, redis -> assertEquals("OK", redis.set("k", "v")));
 * }</pre>
 */
public final class LettuceOnMagpie implements BeforeAllCallback, AfterAllCallback {
    /** A test's use of a client or connection; it may throw, as tests waiting on futures do. */
    @FunctionalInterface
    public interface Body<T> {
        void accept(T value) throws Exception;
    }

    private final SharedMagpie shared = new SharedMagpie();

    @Override
    public void beforeAll(ExtensionContext context) {
        shared.beforeAll(context);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        shared.afterAll(context);
    }

    public Magpie magpie() {
        return shared.magpie();
    }

    /** Runs {@code body} with a client of this Magpie speaking {@code protocol}; shuts the client down after. */
    public void withClient(ProtocolVersion protocol, Body<RedisClient> body) throws Exception {
        RedisClient client = RedisClient.create(RedisURI.create(magpie().host(), magpie().port()));
        client.setOptions(ClientOptions.builder().protocolVersion(protocol).build());
        try {
            body.accept(client);
        } finally {
            client.shutdown();
        }
    }

    /** Runs {@code body} with the synchronous commands of one connection speaking {@code protocol}. */
    public void withCommands(ProtocolVersion protocol, Body<RedisCommands<String, String>> body) throws Exception {
        withClient(protocol, client -> {
            try (StatefulRedisConnection<String, String> connection = client.connect()) {
                body.accept(connection.sync());
            }
        });
    }
}
