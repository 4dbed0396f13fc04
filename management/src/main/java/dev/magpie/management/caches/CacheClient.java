package dev.magpie.management.caches;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.protocol.ProtocolVersion;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Opens RESP sessions to caches with Lettuce, asynchronously, so no caller thread ever waits on a cache.
 * Each piece of work gets a fresh connection: it logs in with the keys current at that moment, which
 * matters once a key has been regenerated, and a cache that went away costs nothing between operations.
 */
public final class CacheClient implements AutoCloseable {

    private final ClientResources resources;
    private final RedisClient client;
    private final Duration commandTimeout;

    public CacheClient(Duration connectTimeout, Duration commandTimeout) {
        this.commandTimeout = commandTimeout;
        // The plane sends a handful of commands at a time: Lettuce's minimum of two threads is plenty.
        this.resources = DefaultClientResources.builder().ioThreadPoolSize(2).computationThreadPoolSize(2).build();
        this.client = RedisClient.create(resources);
        client.setOptions(ClientOptions.builder()
                // RESP2 keeps the login to a plain AUTH, which every Redis-compatible server understands.
                .protocolVersion(ProtocolVersion.RESP2)
                .autoReconnect(false)
                .socketOptions(SocketOptions.builder().connectTimeout(connectTimeout).build())
                .timeoutOptions(TimeoutOptions.builder().timeoutCommands(true).fixedTimeout(commandTimeout).build())
                .build());
    }

    /**
     * Connects and logs in with the first of {@code passwords} the cache accepts; no passwords means no
     * login. A refused login moves on to the next key; any other failure ends the attempt.
     */
    public CompletableFuture<CacheSession> open(CacheDescriptor cache, List<String> passwords, int database) {
        if (passwords.isEmpty()) {
            return connect(cache, null, database);
        }
        return attempt(cache, passwords, 0, database);
    }

    private CompletableFuture<CacheSession> attempt(CacheDescriptor cache, List<String> passwords, int index, int database) {
        return connect(cache, passwords.get(index), database)
                .handle((session, error) -> {
                    if (error == null) {
                        return CompletableFuture.completedFuture(session);
                    }
                    CacheFailure failure = CacheFailure.classify(error, cache);
                    if (failure.isAuthentication() && index + 1 < passwords.size()) {
                        return attempt(cache, passwords, index + 1, database);
                    }
                    return CompletableFuture.<CacheSession>failedFuture(failure);
                })
                .thenCompose(next -> next);
    }

    private CompletableFuture<CacheSession> connect(CacheDescriptor cache, String password, int database) {
        RedisURI.Builder uri = RedisURI.builder()
                .withHost(cache.host())
                .withPort(cache.port())
                .withSsl(cache.tls())
                .withVerifyPeer(cache.verifyPeer())
                .withDatabase(database)
                .withTimeout(commandTimeout);
        if (password != null) {
            if (cache.username() != null) {
                uri.withAuthentication(cache.username(), password);
            } else {
                uri.withPassword(password.toCharArray());
            }
        }
        try {
            return client.connectAsync(StringCodec.UTF8, uri.build()).toCompletableFuture()
                    .thenApply(CacheSession::new);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    @Override
    public void close() {
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        resources.shutdown(0, 2, TimeUnit.SECONDS);
    }
}
