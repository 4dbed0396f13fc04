package dev.magpie.management.arm;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.LinkedHashMap;
import java.util.Map;

/** A response from the ARM layer: status, the headers particular to it, and an optional JSON body. */
public record ApiResponse(int status, Map<String, String> headers, JsonNode body) {

    public static ApiResponse of(int status, JsonNode body) {
        return new ApiResponse(status, new LinkedHashMap<>(), body);
    }

    public ApiResponse withHeader(String name, String value) {
        Map<String, String> copy = new LinkedHashMap<>(headers);
        copy.put(name, value);
        return new ApiResponse(status, copy, body);
    }
}
