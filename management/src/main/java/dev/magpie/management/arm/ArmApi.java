package dev.magpie.management.arm;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.magpie.management.auth.BearerAuthenticator;
import dev.magpie.management.caches.CacheDescriptor;
import dev.magpie.management.caches.CacheFailure;
import dev.magpie.management.caches.CacheRegistry;
import dev.magpie.management.keys.KeyType;
import dev.magpie.management.operations.FlushScope;
import dev.magpie.management.operations.OperationCoordinator;
import dev.magpie.management.operations.OperationRecord;
import dev.magpie.management.operations.QueueFullException;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * The ARM surface of the plane: authenticates, routes, checks the api-version and the names in the path,
 * then asks the operation coordinator. Checks run in ARM's order, so the first problem is the one reported.
 */
public final class ArmApi {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Duration VERSION_PROBE_WAIT = Duration.ofSeconds(2);

    private final BearerAuthenticator authenticator;
    private final CacheRegistry registry;
    private final OperationCoordinator operations;
    private final int retryAfterSeconds;

    public ArmApi(BearerAuthenticator authenticator, CacheRegistry registry, OperationCoordinator operations,
                  int retryAfterSeconds) {
        this.authenticator = authenticator;
        this.registry = registry;
        this.operations = operations;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public CompletableFuture<ApiResponse> handle(ApiRequest request) {
        switch (authenticator.check(request.header().apply("Authorization"))) {
            case MISSING -> {
                return done(ArmErrors.error(401, "AuthenticationFailed",
                        "Authentication failed. The 'Authorization' header is missing.")
                        .withHeader("WWW-Authenticate", "Bearer realm=\"magpie\""));
            }
            case INVALID -> {
                return done(ArmErrors.error(401, "InvalidAuthenticationToken",
                        "The access token is invalid.")
                        .withHeader("WWW-Authenticate", "Bearer realm=\"magpie\", error=\"invalid_token\""));
            }
            case ACCEPTED -> { }
        }
        List<String> allowed = new ArrayList<>();
        for (Route route : Route.values()) {
            Optional<Map<String, String>> parameters = route.match(request.segments());
            if (parameters.isEmpty()) {
                continue;
            }
            if (!route.method().equals(request.method())) {
                allowed.add(route.method());
                continue;
            }
            Optional<ApiResponse> versionProblem = ApiVersions.check(request.queryParameter("api-version"));
            if (versionProblem.isPresent()) {
                return done(versionProblem.get());
            }
            return dispatch(route, parameters.get(), request);
        }
        if (!allowed.isEmpty()) {
            return done(ArmErrors.error(405, "MethodNotAllowed", "The requested resource does not support http method '"
                    + request.method() + "'.").withHeader("Allow", String.join(", ", allowed)));
        }
        return done(ArmErrors.error(404, "NotFound", "No route matches '" + request.method() + " " + request.path()
                + "'. The plane serves Microsoft.Cache/redis resources and their operations."));
    }

    private CompletableFuture<ApiResponse> dispatch(Route route, Map<String, String> p, ApiRequest request) {
        if (route == Route.ASYNC_OPERATION || route == Route.OPERATION_RESULT) {
            return done(operationStatus(route, p, request));
        }
        String cacheName = p.get("cacheName");
        if (!CacheDescriptor.NAME_PATTERN.matcher(cacheName).matches()) {
            return done(ArmErrors.error(400, "InvalidResourceName", "The resource name '" + cacheName
                    + "' is invalid. It must match the regular expression '" + CacheDescriptor.NAME_PATTERN.pattern() + "'.",
                    "cacheName"));
        }
        Optional<CacheDescriptor> found = registry.find(p.get("subscriptionId"), p.get("resourceGroupName"), cacheName);
        if (found.isEmpty()) {
            return done(ArmErrors.resourceNotFound(p.get("resourceGroupName"), cacheName));
        }
        CacheDescriptor cache = found.get();
        return switch (route) {
            case CACHE -> operations.serverVersion(cache, VERSION_PROBE_WAIT)
                    .thenApply(version -> ApiResponse.of(200, ArmViews.cacheResource(cache, version)));
            case FLUSH -> flush(cache, request);
            case LIST_KEYS -> done(ApiResponse.of(200, ArmViews.accessKeys(operations.keysOf(cache))));
            case REGENERATE_KEY -> regenerateKey(cache, request);
            default -> throw new IllegalStateException("unrouted " + route);
        };
    }

    private CompletableFuture<ApiResponse> flush(CacheDescriptor cache, ApiRequest request) {
        FlushScope scope;
        try {
            scope = FlushRequest.parse(request.body());
        } catch (FlushRequest.Invalid e) {
            return done(ArmErrors.invalidRequestContent(e.getMessage(), e.target()));
        }
        String apiVersion = request.queryParameter("api-version");
        return operations.submitFlush(cache, scope).thenApply(submission -> {
            if (submission.queueFull()) {
                return ArmErrors.error(429, "TooManyRequests", "Too many operations are queued for cache '"
                        + cache.name() + "'. Retry later.").withHeader("Retry-After", String.valueOf(retryAfterSeconds));
            }
            OperationRecord operation = submission.accepted();
            return ApiResponse.of(202, null)
                    .withHeader("Azure-AsyncOperation", request.baseUrl() + ArmViews.asyncOperationPath(operation)
                            + "?api-version=" + apiVersion)
                    .withHeader("Location", request.baseUrl() + ArmViews.operationResultPath(operation)
                            + "?api-version=" + apiVersion)
                    .withHeader("Retry-After", String.valueOf(retryAfterSeconds));
        });
    }

    private ApiResponse operationStatus(Route route, Map<String, String> p, ApiRequest request) {
        Optional<OperationRecord> found = operations.find(p.get("subscriptionId"), p.get("operationId"))
                .filter(op -> op.location().equalsIgnoreCase(p.get("location")));
        if (found.isEmpty()) {
            return ArmErrors.error(404, "ResourceNotFound", "The operation '" + p.get("operationId")
                    + "' was not found in location '" + p.get("location") + "'. Results are kept for a limited time.");
        }
        OperationRecord operation = found.get();
        if (route == Route.OPERATION_RESULT && !operation.state().ended()) {
            return ApiResponse.of(202, null)
                    .withHeader("Location", request.baseUrl() + ArmViews.operationResultPath(operation)
                            + "?api-version=" + request.queryParameter("api-version"))
                    .withHeader("Retry-After", String.valueOf(retryAfterSeconds));
        }
        ApiResponse response = ApiResponse.of(200, ArmViews.operationStatus(operation));
        return operation.state().ended() ? response
                : response.withHeader("Retry-After", String.valueOf(retryAfterSeconds));
    }

    private CompletableFuture<ApiResponse> regenerateKey(CacheDescriptor cache, ApiRequest request) {
        KeyType type;
        try {
            JsonNode body = MAPPER.readTree(request.body());
            JsonNode keyType = body == null ? null : body.get("keyType");
            if (keyType == null || !keyType.isTextual() || KeyType.parse(keyType.asText()).isEmpty()) {
                return done(ArmErrors.invalidRequestContent(
                        "The request body must be {\"keyType\":\"Primary\"} or {\"keyType\":\"Secondary\"}.", "keyType"));
            }
            type = KeyType.parse(keyType.asText()).get();
        } catch (JsonProcessingException e) {
            return done(ArmErrors.invalidRequestContent("The request content is not valid JSON: "
                    + e.getOriginalMessage(), null));
        } catch (java.io.IOException e) {
            return done(ArmErrors.invalidRequestContent("The request content cannot be read.", null));
        }
        return operations.regenerateKey(cache, type)
                .thenApply(keys -> ApiResponse.of(200, ArmViews.accessKeys(keys)))
                .exceptionally(error -> {
                    Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
                    if (cause instanceof QueueFullException) {
                        return ArmErrors.error(429, "TooManyRequests", cause.getMessage())
                                .withHeader("Retry-After", String.valueOf(retryAfterSeconds));
                    }
                    CacheFailure failure = CacheFailure.classify(cause, cache);
                    return ArmErrors.error(502, failure.code(), "The key was not regenerated: " + failure.getMessage());
                });
    }

    private static CompletableFuture<ApiResponse> done(ApiResponse response) {
        return CompletableFuture.completedFuture(response);
    }
}
