package dev.magpie.management.arm;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.magpie.management.operations.FlushScope;

import java.io.IOException;

/**
 * Reads a flush call's body. Azure's flush has none; Magpie's extension accepts
 * {@code {"prefix":"session:","recursive":true,"database":0}} to flush only part of one database.
 */
final class FlushRequest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    static final class Invalid extends Exception {
        private final String target;

        Invalid(String message, String target) {
            super(message, null, false, false);
            this.target = target;
        }

        String target() {
            return target;
        }
    }

    private FlushRequest() {
    }

    static FlushScope parse(byte[] body) throws Invalid {
        if (body.length == 0 || new String(body, java.nio.charset.StandardCharsets.UTF_8).isBlank()) {
            return FlushScope.everything();
        }
        JsonNode root;
        try {
            root = MAPPER.readTree(body);
        } catch (JsonProcessingException e) {
            throw new Invalid("The request content is not valid JSON: " + e.getOriginalMessage(), null);
        } catch (IOException e) {
            throw new Invalid("The request content cannot be read.", null);
        }
        if (root == null || !root.isObject()) {
            throw new Invalid("The request content must be a JSON object.", null);
        }
        JsonNode prefix = root.get("prefix");
        if (prefix == null || prefix.isNull()) {
            return FlushScope.everything();
        }
        if (!prefix.isTextual() || prefix.asText().isEmpty()) {
            throw new Invalid("'prefix' must be a non-empty string.", "prefix");
        }
        JsonNode recursive = root.get("recursive");
        if (recursive != null && !recursive.isBoolean() && !recursive.isNull()) {
            throw new Invalid("'recursive' must be true or false.", "recursive");
        }
        JsonNode database = root.get("database");
        if (database != null && !database.isNull() && (!database.canConvertToInt() || !database.isIntegralNumber()
                || database.asInt() < 0)) {
            throw new Invalid("'database' must be a whole number, 0 or more.", "database");
        }
        return new FlushScope(prefix.asText(), recursive != null && recursive.asBoolean(),
                database == null || database.isNull() ? 0 : database.asInt());
    }
}
