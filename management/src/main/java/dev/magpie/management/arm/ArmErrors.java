package dev.magpie.management.arm;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** ARM's error envelope, {@code {"error":{"code","message","target","details":[],"additionalInfo":[]}}}. */
public final class ArmErrors {

    private ArmErrors() {
    }

    public static ApiResponse error(int status, String code, String message) {
        return error(status, code, message, null);
    }

    public static ApiResponse error(int status, String code, String message, String target) {
        return ApiResponse.of(status, body(code, message, target));
    }

    public static ObjectNode body(String code, String message, String target) {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        root.set("error", detail(code, message, target));
        return root;
    }

    /** The inner error object, which is also what an operation status carries. */
    public static ObjectNode detail(String code, String message, String target) {
        ObjectNode error = JsonNodeFactory.instance.objectNode();
        error.put("code", code);
        error.put("message", message);
        error.put("target", target);
        error.putArray("details");
        error.putArray("additionalInfo");
        return error;
    }

    public static ApiResponse resourceNotFound(String resourceGroup, String cacheName) {
        return error(404, "ResourceNotFound", "The Resource 'Microsoft.Cache/Redis/" + cacheName
                + "' under resource group '" + resourceGroup + "' was not found. "
                + "For more details please go to https://aka.ms/ARMResourceNotFoundFix");
    }

    public static ApiResponse invalidRequestContent(String message, String target) {
        return error(400, "InvalidRequestContent", message, target);
    }
}
