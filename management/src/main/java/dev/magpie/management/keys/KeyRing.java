package dev.magpie.management.keys;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.magpie.management.caches.CacheDescriptor;
import dev.magpie.management.caches.CacheId;
import dev.magpie.management.caches.CacheRegistry;
import dev.magpie.management.store.JsonDocument;

import java.io.IOException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The access keys of every cache. Configured keys seed it; once the plane regenerates a key, the stored
 * value wins, because the cache no longer accepts the configured one. Reads are lock-free from any
 * thread; changes come only from the operations thread, which also persists them.
 */
public final class KeyRing {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final JsonDocument document;
    private final Map<CacheId, AccessKeys> keys = new ConcurrentHashMap<>();

    private KeyRing(JsonDocument document) {
        this.document = document;
    }

    public static KeyRing load(JsonDocument document, CacheRegistry registry) {
        KeyRing ring = new KeyRing(document);
        for (CacheDescriptor cache : registry.all()) {
            ring.keys.put(cache.id(), AccessKeys.of(cache.primaryKey(), cache.secondaryKey()));
        }
        document.load().ifPresent(body -> body.path("caches").fields().forEachRemaining(entry -> {
            for (CacheDescriptor cache : registry.all()) {
                if (cache.id().key().equals(entry.getKey())) {
                    ring.keys.put(cache.id(), fromJson(entry.getValue()));
                }
            }
        }));
        return ring;
    }

    public AccessKeys of(CacheId cache) {
        return keys.getOrDefault(cache, AccessKeys.of(null, null));
    }

    /** Records (and forces to disk) the keys before the plane acts on them. */
    public void store(CacheId cache, AccessKeys accessKeys) throws IOException {
        AccessKeys previous = keys.put(cache, accessKeys);
        try {
            persist();
        } catch (IOException e) {
            if (previous != null) keys.put(cache, previous);
            throw e;
        }
    }

    /** A key in the shape Azure hands out: 32 random bytes, base64. */
    public static String newKey() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getEncoder().encodeToString(bytes);
    }

    private void persist() throws IOException {
        ObjectNode caches = JsonDocument.mapper().createObjectNode();
        keys.forEach((id, value) -> caches.set(id.key(), toJson(value)));
        ObjectNode body = JsonDocument.mapper().createObjectNode();
        body.set("caches", caches);
        document.save(body);
    }

    private static ObjectNode toJson(AccessKeys value) {
        ObjectNode node = JsonDocument.mapper().createObjectNode();
        node.put("primaryKey", value.primaryKey());
        node.put("secondaryKey", value.secondaryKey());
        ArrayNode retiring = node.putArray("retiringKeys");
        value.retiringKeys().forEach(retiring::add);
        return node;
    }

    private static AccessKeys fromJson(JsonNode node) {
        List<String> retiring = new ArrayList<>();
        node.path("retiringKeys").forEach(k -> retiring.add(k.asText()));
        return new AccessKeys(text(node, "primaryKey"), text(node, "secondaryKey"), retiring);
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }
}
