package dev.magpie.management.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * One JSON document of the plane's on-disk store, versioned so a later format can tell old files apart.
 */
public final class JsonDocument {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final int FORMAT_VERSION = 1;

    private final AtomicFile file;

    public JsonDocument(Path path) {
        this.file = new AtomicFile(path);
    }

    public Path path() {
        return file.path();
    }

    /** The document's body, or empty when the file does not exist yet; a damaged file is an error, not empty. */
    public Optional<JsonNode> load() {
        try {
            Optional<byte[]> bytes = file.read();
            if (bytes.isEmpty()) {
                return Optional.empty();
            }
            JsonNode root = MAPPER.readTree(bytes.get());
            if (root == null || !root.path("formatVersion").canConvertToInt()
                    || root.path("formatVersion").asInt() != FORMAT_VERSION || !root.has("body")) {
                throw new IOException("not a format-" + FORMAT_VERSION + " store document");
            }
            return Optional.of(root.get("body"));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file.path().toAbsolutePath() + ": " + e.getMessage(), e);
        }
    }

    public void save(JsonNode body) throws IOException {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("formatVersion", FORMAT_VERSION);
        root.set("body", body);
        file.write(MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(root));
    }

    public static ObjectMapper mapper() {
        return MAPPER;
    }
}
