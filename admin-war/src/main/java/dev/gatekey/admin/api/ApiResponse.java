package dev.gatekey.admin.api;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a handler answers: a status, a body (serialized as JSON, or written as is when it is a
 * {@link Raw}) and extra headers.
 */
public record ApiResponse(int status, Object body, Map<String, String> headers) {

    /** A body that is not JSON, e.g. the OpenAPI document. */
    public record Raw(String contentType, byte[] bytes) {
    }

    public static ApiResponse ok(Object body) {
        return new ApiResponse(200, body, Map.of());
    }

    public static ApiResponse created(Object body, String location) {
        Map<String, String> headers = new LinkedHashMap<>();
        if (location != null) {
            headers.put("Location", location);
        }
        return new ApiResponse(201, body, headers);
    }

    public static ApiResponse accepted() {
        return new ApiResponse(202, null, Map.of());
    }

    public static ApiResponse noContent() {
        return new ApiResponse(204, null, Map.of());
    }
}
