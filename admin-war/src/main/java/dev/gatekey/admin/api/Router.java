package dev.gatekey.admin.api;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Method + path template → handler. The table is the single source of the API's routes: the front
 * servlet dispatches with it, and a test checks it against the OpenAPI document.
 */
public final class Router {

    /** What a request path and method resolve to. */
    public sealed interface Resolution {
    }

    /** A route fits; {@code variables} are its decoded path variables. */
    public record Found(Route route, Map<String, String> variables) implements Resolution {
    }

    /** No route has this path. */
    public record NoSuchPath() implements Resolution {
    }

    /** Routes have this path, but not with this method; {@code allowed} lists theirs. */
    public record MethodNotAllowed(Set<String> allowed) implements Resolution {
    }

    private final List<Route> routes = new ArrayList<>();

    public Router add(String method, String template, boolean write, Route.Handler handler) {
        return add(method, template, write, 0, handler);
    }

    /** A route whose bodies may be up to {@code maxBodyBytes} even when the servlet's limit is lower. */
    public Router add(String method, String template, boolean write, int maxBodyBytes, Route.Handler handler) {
        for (Route existing : routes) {
            if (existing.method().equals(method) && existing.template().equals(template)) {
                throw new IllegalArgumentException("duplicate route " + method + " " + template);
            }
        }
        routes.add(new Route(method, template, write, maxBodyBytes, handler));
        return this;
    }

    /** Every route, in registration order. */
    public List<Route> routes() {
        return Collections.unmodifiableList(routes);
    }

    /**
     * Resolves a path relative to the API base ({@code /buckets/b1}), already percent-decoded per segment.
     */
    public Resolution resolve(String method, List<String> pathSegments) {
        Set<String> allowed = new LinkedHashSet<>();
        for (Route route : routes) {
            Map<String, String> variables = route.match(pathSegments);
            if (variables == null) {
                continue;
            }
            if (route.method().equals(method)) {
                return new Found(route, variables);
            }
            allowed.add(route.method());
        }
        return allowed.isEmpty() ? new NoSuchPath() : new MethodNotAllowed(allowed);
    }
}
