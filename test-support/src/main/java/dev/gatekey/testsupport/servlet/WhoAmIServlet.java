package dev.gatekey.testsupport.servlet;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.security.Principal;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The protected application of the test deployments: answers every path with JSON of what it sees of the caller,
 * and {@code /metrics} with the map the context attribute {@value #METRICS_ATTRIBUTE} supplies (empty without one).
 *
 * <p>The caller's Gatekey fields ({@code sub}, {@code data}, {@code keyId}, {@code bucket}, {@code expiresOn}) are
 * read through the principal's public interface methods of those names, and the request attribute by its public
 * name {@value #PRINCIPAL_ATTRIBUTE}: test-support cannot depend on the filter, whose tests depend on it.
 */
public class WhoAmIServlet extends HttpServlet {

    /** Context attribute holding a {@code Supplier<Map<String, Object>>} of the figures {@code /metrics} answers. */
    public static final String METRICS_ATTRIBUTE = "dev.gatekey.testsupport.metrics";
    /** {@code ApiKeyPrincipal.REQUEST_ATTRIBUTE}, the request attribute the filter sets. */
    public static final String PRINCIPAL_ATTRIBUTE = "dev.gatekey.principal";

    private static final long serialVersionUID = 1L;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> PRINCIPAL_FIELDS = List.of("sub", "data", "keyId", "bucket", "expiresOn");

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        Map<String, Object> body = "/metrics".equals(req.getServletPath() + nullToEmpty(req.getPathInfo()))
                ? metrics() : whoami(req);
        byte[] bytes = JSON.writeValueAsBytes(body);
        resp.setContentType("application/json");
        resp.setContentLength(bytes.length);
        resp.getOutputStream().write(bytes);
    }

    private static Map<String, Object> whoami(HttpServletRequest req) {
        Map<String, Object> body = new LinkedHashMap<>();
        Principal principal = req.getUserPrincipal();
        body.put("principal", principal == null ? null : principal.getName());
        if (principal != null && accessor(principal, "keyId") != null) {
            for (String field : PRINCIPAL_FIELDS) {
                Object value = read(principal, field);
                body.put(field, value == null || value instanceof Map ? value : value.toString());
            }
        }
        body.put("remoteUser", req.getRemoteUser());
        body.put("authType", req.getAuthType());
        body.put("admin", req.isUserInRole("admin"));
        Object attribute = req.getAttribute(PRINCIPAL_ATTRIBUTE);
        body.put("attribute", attribute instanceof Principal p && accessor(p, "keyId") != null
                ? read(p, "keyId") : null);
        body.put("authorization", req.getHeader("Authorization"));
        body.put("xApiKey", req.getHeader("X-API-Key"));
        body.put("headerNames", Collections.list(req.getHeaderNames()));
        body.put("query", req.getQueryString());
        body.put("apiKeyParam", req.getParameter("api_key"));
        return body;
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> metrics() {
        return getServletContext().getAttribute(METRICS_ATTRIBUTE) instanceof Supplier<?> figures
                ? (Map<String, Object>) figures.get() : Map.of();
    }

    /** The no-argument method {@code name} of a public interface of the principal's class, or null. */
    private static Method accessor(Principal principal, String name) {
        for (Class<?> type = principal.getClass(); type != null; type = type.getSuperclass()) {
            for (Class<?> face : type.getInterfaces()) {
                try {
                    return face.getMethod(name);
                } catch (NoSuchMethodException e) {
                    // not this interface
                }
            }
        }
        return null;
    }

    private static Object read(Principal principal, String name) {
        try {
            return accessor(principal, name).invoke(principal);
        } catch (IllegalAccessException | InvocationTargetException e) {
            throw new IllegalStateException("cannot read " + name + " of the principal", e);
        }
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }
}
