package dev.magpie.management.arm;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The paths the plane answers. Literal segments compare case-insensitively, as ARM's do; segments in
 * braces capture a parameter.
 */
public enum Route {
    CACHE("GET", "subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Microsoft.Cache/redis/{cacheName}"),
    FLUSH("POST", CACHE.pattern + "/flush"),
    LIST_KEYS("POST", CACHE.pattern + "/listKeys"),
    REGENERATE_KEY("POST", CACHE.pattern + "/regenerateKey"),
    ASYNC_OPERATION("GET", "subscriptions/{subscriptionId}/providers/Microsoft.Cache/locations/{location}/asyncOperations/{operationId}"),
    OPERATION_RESULT("GET", "subscriptions/{subscriptionId}/providers/Microsoft.Cache/locations/{location}/operationResults/{operationId}");

    private final String method;
    private final String pattern;
    private final List<String> parts;

    Route(String method, String pattern) {
        this.method = method;
        this.pattern = pattern;
        this.parts = List.of(pattern.split("/"));
    }

    public String method() {
        return method;
    }

    /** The captured parameters when the path has this route's shape, whatever the method. */
    public Optional<Map<String, String>> match(List<String> segments) {
        if (segments.size() != parts.size()) {
            return Optional.empty();
        }
        Map<String, String> parameters = new TreeMap<>();
        for (int i = 0; i < parts.size(); i++) {
            String part = parts.get(i);
            String segment = segments.get(i);
            if (part.startsWith("{")) {
                if (segment.isEmpty()) return Optional.empty();
                parameters.put(part.substring(1, part.length() - 1), segment);
            } else if (!part.toLowerCase(Locale.ROOT).equals(segment.toLowerCase(Locale.ROOT))) {
                return Optional.empty();
            }
        }
        return Optional.of(parameters);
    }
}
