package dev.magpie.management.caches;

import dev.magpie.management.ManagementStartupException;

import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The caches the plane manages, fixed at startup and looked up the way ARM does (case-insensitively). */
public final class CacheRegistry {

    private final Map<CacheId, CacheDescriptor> caches;

    private CacheRegistry(Map<CacheId, CacheDescriptor> caches) {
        this.caches = caches;
    }

    /** Validates every entry so a misconfigured registry stops startup instead of failing a request later. */
    public static CacheRegistry of(List<CacheDescriptor> descriptors) {
        Map<CacheId, CacheDescriptor> byId = new LinkedHashMap<>();
        for (CacheDescriptor cache : descriptors) {
            if (!CacheDescriptor.NAME_PATTERN.matcher(cache.name()).matches()) {
                throw new ManagementStartupException("Cache name '" + cache.name()
                        + "' is invalid: it must match " + CacheDescriptor.NAME_PATTERN.pattern());
            }
            if (cache.port() < 1 || cache.port() > 65535) {
                throw new ManagementStartupException("Cache '" + cache.name() + "' has port " + cache.port()
                        + "; it must be between 1 and 65535");
            }
            if (cache.host().isBlank()) {
                throw new ManagementStartupException("Cache '" + cache.name() + "' has no host");
            }
            if (cache.subscriptionId().isBlank() || cache.resourceGroup().isBlank() || cache.location().isBlank()) {
                throw new ManagementStartupException("Cache '" + cache.name()
                        + "' needs a subscription, a resource group and a location");
            }
            if (byId.putIfAbsent(cache.id(), cache) != null) {
                throw new ManagementStartupException("Cache '" + cache.name() + "' is registered twice in resource group '"
                        + cache.resourceGroup() + "' of subscription '" + cache.subscriptionId() + "'");
            }
        }
        return new CacheRegistry(Collections.unmodifiableMap(byId));
    }

    public Optional<CacheDescriptor> find(String subscriptionId, String resourceGroup, String name) {
        return Optional.ofNullable(caches.get(CacheId.of(subscriptionId, resourceGroup, name)));
    }

    public Collection<CacheDescriptor> all() {
        return caches.values();
    }
}
