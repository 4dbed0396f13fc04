package dev.magpie.management.keys;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * A cache's two access keys (the passwords its RESP endpoint accepts), plus keys that were being replaced
 * when the plane last wrote its store: until the cache is known to have taken the new ones, the plane
 * must still be able to log in with the old.
 */
public record AccessKeys(String primaryKey, String secondaryKey, List<String> retiringKeys) {

    public AccessKeys {
        retiringKeys = List.copyOf(retiringKeys);
    }

    public static AccessKeys of(String primaryKey, String secondaryKey) {
        return new AccessKeys(primaryKey, secondaryKey, List.of());
    }

    public AccessKeys with(KeyType type, String key) {
        return type == KeyType.PRIMARY
                ? new AccessKeys(key, secondaryKey, retiringKeys)
                : new AccessKeys(primaryKey, key, retiringKeys);
    }

    public AccessKeys retiring(AccessKeys previous) {
        List<String> retiring = new ArrayList<>();
        retiring.add(previous.primaryKey);
        retiring.add(previous.secondaryKey);
        return new AccessKeys(primaryKey, secondaryKey, retiring.stream().filter(k -> k != null).toList());
    }

    public AccessKeys settled() {
        return new AccessKeys(primaryKey, secondaryKey, List.of());
    }

    /** The keys the cache should accept, in order: what the ACL command installs. */
    public List<String> active() {
        LinkedHashSet<String> keys = new LinkedHashSet<>();
        if (primaryKey != null) keys.add(primaryKey);
        if (secondaryKey != null) keys.add(secondaryKey);
        return List.copyOf(keys);
    }

    /** Every key worth trying when logging in, most likely first. */
    public List<String> loginCandidates() {
        LinkedHashSet<String> keys = new LinkedHashSet<>(active());
        keys.addAll(retiringKeys);
        return List.copyOf(keys);
    }

    @Override
    public String toString() {
        return "AccessKeys[redacted]";
    }
}
