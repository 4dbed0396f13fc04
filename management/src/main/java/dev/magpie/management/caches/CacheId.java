package dev.magpie.management.caches;

import java.util.Locale;

/**
 * The identity of a cache as ARM compares it: subscription, resource group and name are all
 * case-insensitive, so they are folded once here and every map keyed by a cache agrees.
 */
public record CacheId(String subscriptionId, String resourceGroup, String name) {

    public static CacheId of(String subscriptionId, String resourceGroup, String name) {
        return new CacheId(fold(subscriptionId), fold(resourceGroup), fold(name));
    }

    private static String fold(String value) {
        return value.toLowerCase(Locale.ROOT);
    }

    /** A stable text form, used as the key of the on-disk access-key store. */
    public String key() {
        return subscriptionId + "/" + resourceGroup + "/" + name;
    }
}
