package dev.magpie.management.arm;

import java.util.List;
import java.util.Optional;

/** The Microsoft.Cache api-versions whose flush and key contracts the plane implements. */
public final class ApiVersions {

    /** Newest first; the Azure SDK for Java sends the first. */
    public static final List<String> SUPPORTED = List.of("2024-11-01", "2024-03-01", "2023-08-01");

    private ApiVersions() {
    }

    /** Empty when the version is acceptable, otherwise the ARM error to answer with. */
    public static Optional<ApiResponse> check(String apiVersion) {
        if (apiVersion == null || apiVersion.isBlank()) {
            return Optional.of(ArmErrors.error(400, "MissingApiVersionParameter",
                    "The api-version query parameter (?api-version=) is required for all requests."));
        }
        if (!SUPPORTED.contains(apiVersion)) {
            return Optional.of(ArmErrors.error(400, "InvalidApiVersionParameter",
                    "The api-version '" + apiVersion + "' is invalid. The supported versions are '"
                            + String.join(",", SUPPORTED) + "'.", "api-version"));
        }
        return Optional.empty();
    }
}
