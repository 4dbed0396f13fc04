package dev.magpie.management.arm;

import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * An HTTP request as the ARM layer sees it, free of the transport's types.
 *
 * @param segments the path split on '/', percent-decoded, empty segments dropped
 * @param header   looks a header up by name, case-insensitively; null when absent
 * @param baseUrl  scheme and authority the client used, for the absolute URLs ARM puts in headers
 */
public record ApiRequest(String method, String path, List<String> segments, Map<String, List<String>> query,
                         UnaryOperator<String> header, byte[] body, String baseUrl) {

    public String queryParameter(String name) {
        List<String> values = query.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }
}
