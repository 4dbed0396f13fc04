package dev.magpie.management.caches;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One registered cache: where ARM says it lives, and where its RESP endpoint really is.
 * The configured keys are the passwords the cache accepts when the plane first meets it; after a
 * regenerateKey the plane's own store of keys takes over.
 *
 * @param username the ACL user the keys belong to; null means the {@code default} user
 */
public record CacheDescriptor(
        String subscriptionId,
        String resourceGroup,
        String name,
        String location,
        String host,
        int port,
        boolean tls,
        boolean verifyPeer,
        String username,
        String primaryKey,
        String secondaryKey) {

    /** ARM's rule for Microsoft.Cache/redis names. */
    public static final Pattern NAME_PATTERN = Pattern.compile("^([a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]|[a-zA-Z0-9])$");

    public CacheDescriptor {
        Objects.requireNonNull(subscriptionId, "subscriptionId");
        Objects.requireNonNull(resourceGroup, "resourceGroup");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(location, "location");
        Objects.requireNonNull(host, "host");
        primaryKey = blankToNull(primaryKey);
        secondaryKey = blankToNull(secondaryKey);
        username = blankToNull(username);
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }

    public CacheId id() {
        return CacheId.of(subscriptionId, resourceGroup, name);
    }

    public String aclUser() {
        return username == null ? "default" : username;
    }

    /** The ARM resource id, spelled the way Azure spells it in responses. */
    public String resourceId() {
        return "/subscriptions/" + subscriptionId + "/resourceGroups/" + resourceGroup
                + "/providers/Microsoft.Cache/Redis/" + name;
    }
}
