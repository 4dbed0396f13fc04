package dev.magpie.management.caches;

import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.output.NestedMultiOutput;
import io.lettuce.core.output.StatusOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * One logged-in RESP connection to a cache, exposing exactly the commands the plane relies on. Keeping
 * that list in one class is what lets another server promise to be manageable.
 */
public final class CacheSession implements AutoCloseable {

    private final StatefulRedisConnection<String, String> connection;
    private final RedisAsyncCommands<String, String> commands;

    CacheSession(StatefulRedisConnection<String, String> connection) {
        this.connection = connection;
        this.commands = connection.async();
    }

    /** FLUSHALL: every key of every database. */
    public CompletableFuture<Void> flushAll() {
        return commands.flushall().toCompletableFuture().thenApply(ok -> null);
    }

    /** DBSIZE of the selected database, to estimate progress of a partial flush. */
    public CompletableFuture<Long> databaseSize() {
        return commands.dbsize().toCompletableFuture();
    }

    /** SCAN cursor MATCH pattern COUNT count. */
    public CompletableFuture<KeyScanCursor<String>> scan(ScanCursor cursor, String pattern, int count) {
        return commands.scan(cursor, ScanArgs.Builder.matches(pattern).limit(count)).toCompletableFuture();
    }

    /** UNLINK keys: removal without blocking the cache on large values. */
    public CompletableFuture<Long> unlink(List<String> keys) {
        return commands.unlink(keys.toArray(String[]::new)).toCompletableFuture();
    }

    /**
     * ACL SETUSER user resetpass &gt;key...: replaces, in one atomic command, every password the user
     * accepts. Connections already logged in stay logged in; new logins need one of the new keys.
     */
    public CompletableFuture<Void> replacePasswords(String user, List<String> keys) {
        CommandArgs<String, String> args = new CommandArgs<>(StringCodec.UTF8).add("SETUSER").add(user).add("resetpass");
        for (String key : keys) {
            args.add(">" + key);
        }
        return commands.dispatch(CommandType.ACL, new StatusOutput<>(StringCodec.UTF8), args)
                .toCompletableFuture().thenApply(ok -> null);
    }

    /** INFO server, reduced to its redis_version field (null when the server does not report one). */
    public CompletableFuture<String> serverVersion() {
        return commands.info("server").toCompletableFuture().thenApply(info -> {
            for (String line : info.split("\r?\n")) {
                if (line.startsWith("redis_version:")) {
                    return line.substring("redis_version:".length()).trim();
                }
            }
            return null;
        });
    }

    /** INFO section(s), as the text the cache answers ("all" for every section, commandstats included). */
    public CompletableFuture<String> info(String section) {
        return commands.info(section).toCompletableFuture();
    }

    /**
     * MEMORY STATS, reduced to its top-level fields (the per-database maps are left out). Integers stay
     * {@link Long}s; anything else is the text the cache sent. Servers that lack the command answer an error.
     */
    public CompletableFuture<Map<String, Object>> memoryStats() {
        CommandArgs<String, String> args = new CommandArgs<>(StringCodec.UTF8).add("STATS");
        return commands.dispatch(CommandType.MEMORY, new NestedMultiOutput<>(StringCodec.UTF8), args)
                .toCompletableFuture().thenApply(reply -> {
                    Map<String, Object> fields = new LinkedHashMap<>();
                    for (int i = 0; i + 1 < reply.size(); i += 2) {
                        Object value = reply.get(i + 1);
                        if (reply.get(i) instanceof String name && !(value instanceof List)) {
                            fields.put(name, value);
                        }
                    }
                    return fields;
                });
    }

    @Override
    public void close() {
        if (connection.isOpen()) {
            connection.closeAsync();
        }
    }
}
