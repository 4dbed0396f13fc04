package dev.magpie.management.caches;

import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisConnectionException;

import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

/**
 * Why work on a cache failed, reduced to an ARM error code and the cache's own words, because that is
 * what an operation result reports and what an operator can act on.
 */
public final class CacheFailure extends RuntimeException {

    public static final String UNREACHABLE = "CacheUnreachable";
    public static final String AUTHENTICATION_FAILED = "CacheAuthenticationFailed";
    public static final String COMMAND_FAILED = "CacheCommandFailed";
    public static final String TIMED_OUT = "OperationTimedOut";
    public static final String INTERNAL_ERROR = "InternalServerError";

    private final String code;

    public CacheFailure(String code, String message) {
        super(message, null, false, false);
        this.code = code;
    }

    public String code() {
        return code;
    }

    public boolean isAuthentication() {
        return AUTHENTICATION_FAILED.equals(code);
    }

    public static CacheFailure classify(Throwable error, CacheDescriptor cache) {
        Throwable cause = unwrap(error);
        if (cause instanceof CacheFailure failure) {
            return failure;
        }
        if (cause instanceof TimeoutException || cause instanceof RedisCommandTimeoutException) {
            return new CacheFailure(TIMED_OUT, "Cache '" + cache.name() + "' did not answer in time: " + cause.getMessage());
        }
        if (cause instanceof RedisConnectionException) {
            RedisCommandExecutionException refusal = find(cause, RedisCommandExecutionException.class);
            if (refusal != null) {
                return fromReply(refusal.getMessage());
            }
            return new CacheFailure(UNREACHABLE, "Cannot connect to cache '" + cache.name() + "' at "
                    + cache.host() + ":" + cache.port() + ": " + rootMessage(cause));
        }
        if (cause instanceof RedisCommandExecutionException reply) {
            return fromReply(reply.getMessage());
        }
        if (cause instanceof io.lettuce.core.RedisException) {
            return new CacheFailure(UNREACHABLE, "Lost the connection to cache '" + cache.name() + "': " + rootMessage(cause));
        }
        return new CacheFailure(INTERNAL_ERROR, String.valueOf(rootMessage(cause)));
    }

    /** An error reply from the cache: login refusals are told apart from every other refusal. */
    private static CacheFailure fromReply(String reply) {
        String text = reply == null ? "" : reply;
        if (text.startsWith("WRONGPASS") || text.startsWith("NOAUTH") || text.contains("invalid password")
                || text.contains("without any password configured")) {
            return new CacheFailure(AUTHENTICATION_FAILED, "The cache refused authentication: " + text);
        }
        return new CacheFailure(COMMAND_FAILED, "The cache answered with an error: " + text);
    }

    private static Throwable unwrap(Throwable error) {
        Throwable current = error;
        while ((current instanceof CompletionException || current instanceof ExecutionException)
                && current.getCause() != null) {
            current = current.getCause();
        }
        return current;
    }

    private static <T extends Throwable> T find(Throwable error, Class<T> type) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }

    private static String rootMessage(Throwable error) {
        Throwable root = error;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() != null ? root.getMessage() : root.getClass().getSimpleName();
    }
}
