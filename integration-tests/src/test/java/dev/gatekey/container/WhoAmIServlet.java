package dev.gatekey.container;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gatekey.principal.ApiKeyPrincipal;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.security.Principal;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The protected application: answers every path with JSON of what it sees of the caller, and
 * {@code /metrics} with the Gatekey counters of the context's meter registry.
 */
public class WhoAmIServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    private static final ObjectMapper JSON = new ObjectMapper();

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
        if (principal instanceof ApiKeyPrincipal p) {
            body.put("sub", p.sub());
            body.put("data", p.data());
            body.put("keyId", p.keyId());
            body.put("bucket", p.bucket());
            body.put("expiresOn", p.expiresOn() == null ? null : p.expiresOn().toString());
        }
        body.put("remoteUser", req.getRemoteUser());
        body.put("authType", req.getAuthType());
        body.put("admin", req.isUserInRole("admin"));
        body.put("attribute", req.getAttribute(ApiKeyPrincipal.REQUEST_ATTRIBUTE) instanceof ApiKeyPrincipal p
                ? p.keyId() : null);
        body.put("authorization", req.getHeader("Authorization"));
        body.put("xApiKey", req.getHeader("X-API-Key"));
        body.put("headerNames", Collections.list(req.getHeaderNames()));
        body.put("query", req.getQueryString());
        body.put("apiKeyParam", req.getParameter("api_key"));
        return body;
    }

    private Map<String, Object> metrics() {
        Map<String, Object> body = new LinkedHashMap<>();
        if (getServletContext().getAttribute(MeterRegistryListener.ATTRIBUTE) instanceof MeterRegistry registry) {
            for (Counter counter : registry.find("gatekey.store.lookups").counters()) {
                body.put("storeLookups", counter.count());
            }
            for (Counter counter : registry.find("gatekey.store.errors").counters()) {
                body.put("storeErrors", counter.count());
            }
        }
        return body;
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }
}
