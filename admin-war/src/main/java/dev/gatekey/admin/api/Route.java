package dev.gatekey.admin.api;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One row of the router's table: an HTTP method, a path template in OpenAPI syntax
 * ({@code /buckets/{bucket}/consumers}) and its handler.
 *
 * @param write whether the route changes state (needs the {@code admin} role rather than {@code viewer})
 * @param maxBodyBytes the route's own body limit, or 0 for the servlet's ({@code gatekey.maxBodyBytes}); the
 *     larger of the two applies
 */
public record Route(String method, String template, boolean write, int maxBodyBytes, Handler handler) {

    /** Handles one matched request. */
    @FunctionalInterface
    public interface Handler {
        ApiResponse handle(ApiRequest request) throws Exception;
    }

    /** A route with the servlet's body limit. */
    public Route(String method, String template, boolean write, Handler handler) {
        this(method, template, write, 0, handler);
    }

    public Route {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(handler, "handler");
        if (!template.startsWith("/")) {
            throw new IllegalArgumentException("template must start with /: " + template);
        }
    }

    /** The template's segments, e.g. {@code [buckets, {bucket}]}. */
    List<String> segments() {
        return segmentsOf(template);
    }

    /**
     * The path variables when {@code path} fits the template, else null. Variables match one whole,
     * non-empty segment; literal segments match case-sensitively.
     */
    Map<String, String> match(List<String> pathSegments) {
        List<String> mine = segments();
        if (mine.size() != pathSegments.size()) {
            return null;
        }
        Map<String, String> variables = new LinkedHashMap<>();
        for (int i = 0; i < mine.size(); i++) {
            String expected = mine.get(i);
            String actual = pathSegments.get(i);
            if (expected.startsWith("{") && expected.endsWith("}")) {
                if (actual.isEmpty()) {
                    return null;
                }
                variables.put(expected.substring(1, expected.length() - 1), actual);
            } else if (!expected.equals(actual)) {
                return null;
            }
        }
        return variables;
    }

    static List<String> segmentsOf(String path) {
        List<String> segments = new ArrayList<>();
        // split with -1 keeps a trailing empty segment, so /buckets/ is not /buckets
        String[] parts = path.substring(1).split("/", -1);
        for (String part : parts) {
            segments.add(part);
        }
        return segments;
    }
}
