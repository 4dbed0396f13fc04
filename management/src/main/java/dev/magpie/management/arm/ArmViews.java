package dev.magpie.management.arm;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.magpie.management.caches.CacheDescriptor;
import dev.magpie.management.keys.AccessKeys;
import dev.magpie.management.operations.OperationRecord;

import java.util.Optional;

/** The JSON shapes of Microsoft.Cache's REST API: RedisResource, OperationStatusResult, RedisAccessKeys. */
public final class ArmViews {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private ArmViews() {
    }

    public static String asyncOperationPath(OperationRecord operation) {
        return "/subscriptions/" + operation.subscriptionId() + "/providers/Microsoft.Cache/locations/"
                + operation.location() + "/asyncOperations/" + operation.id();
    }

    public static String operationResultPath(OperationRecord operation) {
        return "/subscriptions/" + operation.subscriptionId() + "/providers/Microsoft.Cache/locations/"
                + operation.location() + "/operationResults/" + operation.id();
    }

    public static ObjectNode operationStatus(OperationRecord operation) {
        ObjectNode node = JSON.objectNode();
        node.put("id", asyncOperationPath(operation));
        node.put("name", operation.id());
        node.put("status", operation.state().armStatus());
        node.put("percentComplete", operation.percentComplete());
        if (operation.startTime() != null) node.put("startTime", operation.startTime().toString());
        if (operation.endTime() != null) node.put("endTime", operation.endTime().toString());
        if (operation.errorCode() != null) {
            node.set("error", ArmErrors.detail(operation.errorCode(), operation.errorMessage(), null));
        }
        return node;
    }

    public static ObjectNode accessKeys(AccessKeys keys) {
        ObjectNode node = JSON.objectNode();
        node.put("primaryKey", keys.primaryKey());
        node.put("secondaryKey", keys.secondaryKey());
        return node;
    }

    /**
     * The cache as an ARM resource. Fields Azure computes from its own fleet (SKU, instances) are given
     * the values of a single-node Basic cache, so clients that require them can still read the resource.
     */
    public static ObjectNode cacheResource(CacheDescriptor cache, Optional<String> redisVersion) {
        ObjectNode node = JSON.objectNode();
        node.put("id", cache.resourceId());
        node.put("name", cache.name());
        node.put("type", "Microsoft.Cache/Redis");
        node.put("location", cache.location());
        node.putObject("tags");
        ObjectNode properties = node.putObject("properties");
        properties.put("provisioningState", "Succeeded");
        redisVersion.ifPresent(version -> properties.put("redisVersion", version));
        ObjectNode sku = properties.putObject("sku");
        sku.put("name", "Basic");
        sku.put("family", "C");
        sku.put("capacity", 0);
        properties.put("hostName", cache.host());
        if (cache.tls()) {
            properties.put("sslPort", cache.port());
        } else {
            properties.put("port", cache.port());
        }
        properties.put("enableNonSslPort", !cache.tls());
        properties.put("publicNetworkAccess", "Enabled");
        properties.putObject("redisConfiguration");
        properties.putArray("linkedServers");
        ObjectNode instance = properties.putArray("instances").addObject();
        instance.put(cache.tls() ? "sslPort" : "nonSslPort", cache.port());
        instance.put("isMaster", true);
        instance.put("isPrimary", true);
        return node;
    }
}
