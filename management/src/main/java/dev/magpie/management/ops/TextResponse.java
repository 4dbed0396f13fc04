package dev.magpie.management.ops;

import java.util.Map;

/** A plain-text answer of the operational endpoints: status, content type, body and extra headers. */
public record TextResponse(int status, String contentType, String body, Map<String, String> headers) {

    static final String PLAIN = "text/plain; charset=utf-8";

    static TextResponse plain(int status, String body) {
        return new TextResponse(status, PLAIN, body, Map.of());
    }
}
