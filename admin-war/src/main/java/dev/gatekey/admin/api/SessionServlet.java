package dev.gatekey.admin.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatekey.admin.access.AdminAccess;
import dev.gatekey.admin.access.AdminSessions;
import dev.gatekey.admin.access.Caller;
import dev.gatekey.admin.http.BoundedBody;
import dev.gatekey.admin.http.HttpProblem;
import dev.gatekey.admin.http.Json;
import dev.gatekey.persistence.FieldError;
import dev.gatekey.persistence.InvalidInputException;
import dev.gatekey.principal.ApiKeyPrincipal;
import jakarta.servlet.Filter;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;
import java.security.Principal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The web UI's sign-in, mapped to {@value #MAPPING}: an admin key exchanged for a server session.
 *
 * <ul>
 * <li>{@code POST {"key": "..."}}: the key goes through the same {@code ApiKeyFilter} instance that guards the
 *     API (format, checksum, store, revocation, expiry, failed-attempt limit per IP), as if it had come in an
 *     {@code Authorization: Bearer} header; a refused key gets that filter's 401/429/503 answer. Then the roles
 *     are checked as for the API, any previous session is ended (a fresh session id: no fixation) and the new
 *     one keeps the consumer name, role and key id, never the key. 200 {@code {name, role, csrfToken,
 *     timeoutSeconds, retrievableBuckets}}; {@code retrievableBuckets} tells whether master keys are configured,
 *     so the UI offers retrievable buckets only where the server can create them.</li>
 * <li>{@code GET}: 200 with the same body for a signed-in caller (the page needs the token after a reload;
 *     other origins cannot read it), else 204: asking whether one is signed in is not a failure, and a 401
 *     would be logged in the browser's console at every page load.</li>
 * <li>{@code DELETE}: signs out (204); with a session, only with its CSRF token.</li>
 * </ul>
 * Answers carry {@code Cache-Control: no-store}; errors are {@code application/problem+json}.
 */
public final class SessionServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    /** Where the servlet is mapped in the WAR. */
    public static final String MAPPING = "/session";
    /** A sign-in body holds one key: anything larger is not one. */
    static final int MAX_BODY_BYTES = 4096;

    private final transient Filter keyFilter;
    private final transient AdminSessions sessions;
    private final boolean retrievableBuckets;

    /**
     * @param keyFilter the initialized admin key filter, whose validation a sign-in reuses
     * @param retrievableBuckets whether master keys are configured (retrievable buckets can be created)
     */
    public SessionServlet(Filter keyFilter, AdminSessions sessions, boolean retrievableBuckets) {
        this.keyFilter = keyFilter;
        this.sessions = sessions;
        this.retrievableBuckets = retrievableBuckets;
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        response.setHeader("Cache-Control", "no-store");
        try {
            switch (request.getMethod()) {
                case "POST" -> signIn(request, response);
                case "GET" -> {
                    AdminSessions.SignedIn signedIn = sessions.signedIn(request);
                    if (signedIn == null) {
                        ApiServlet.write(response, ApiResponse.noContent());
                        return;
                    }
                    ApiServlet.write(response, ApiResponse.ok(body(signedIn, request.getSession(false))));
                }
                case "DELETE" -> {
                    AdminSessions.SignedIn signedIn = sessions.signedIn(request);
                    if (signedIn != null) {
                        AdminSessions.requireCsrfToken(request, signedIn);
                    }
                    AdminSessions.end(request);
                    ApiServlet.write(response, ApiResponse.noContent());
                }
                default -> throw new HttpProblem(405, "method " + request.getMethod() + " is not allowed here",
                        Map.of("Allow", "GET, POST, DELETE"));
            }
        } catch (Exception e) {
            ApiServlet.fail(request, response, e);
        }
    }

    private void signIn(HttpServletRequest request, HttpServletResponse response) throws IOException, ServletException {
        String key = keyOf(request);
        AtomicReference<Principal> accepted = new AtomicReference<>();
        keyFilter.doFilter(new BearerRequest(request, key), response,
                (req, res) -> accepted.set(((HttpServletRequest) req).getUserPrincipal()));
        if (accepted.get() == null) {
            return; // the filter has answered (401, 429 or 503)
        }
        if (!(accepted.get() instanceof ApiKeyPrincipal principal)) {
            throw AdminAccess.unauthorized();
        }
        Caller caller = AdminAccess.callerOf(principal);
        AdminSessions.end(request);
        HttpSession session = request.getSession(true);
        AdminSessions.SignedIn signedIn = new AdminSessions.SignedIn(caller.name(),
                caller.mayWrite() ? AdminAccess.ROLE_ADMIN : AdminAccess.ROLE_VIEWER, principal.keyId(),
                AdminSessions.newCsrfToken());
        session.setAttribute(AdminSessions.SESSION_ATTRIBUTE, signedIn);
        ApiServlet.write(response, ApiResponse.ok(body(signedIn, session)));
    }

    private Map<String, Object> body(AdminSessions.SignedIn signedIn, HttpSession session) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", signedIn.name());
        body.put("role", signedIn.role());
        body.put("csrfToken", signedIn.csrfToken());
        body.put("timeoutSeconds", session.getMaxInactiveInterval());
        body.put("retrievableBuckets", retrievableBuckets);
        return body;
    }

    /** The {@code key} of the JSON body; 400 with a field error when absent. */
    private static String keyOf(HttpServletRequest request) throws IOException {
        String contentType = request.getContentType();
        if (contentType == null || !Json.isJson(contentType)) {
            throw new HttpProblem(415, "the body must be application/json");
        }
        byte[] body = BoundedBody.read(request, MAX_BODY_BYTES);
        JsonNode key;
        try {
            key = Json.mapper().readTree(body).path("key");
        } catch (IOException e) {
            throw new InvalidInputException(List.of(new FieldError("body", "must be a JSON object")));
        }
        if (!key.isTextual() || key.asText().isBlank()) {
            throw new InvalidInputException(List.of(new FieldError("key", "enter an admin key")));
        }
        return key.asText().trim();
    }

    /** The sign-in request as the key filter expects it: the key in {@code Authorization}, and only there. */
    private static final class BearerRequest extends HttpServletRequestWrapper {
        private static final String AUTHORIZATION = "Authorization";
        private final String authorization;

        BearerRequest(HttpServletRequest request, String key) {
            super(request);
            this.authorization = "Bearer " + key;
        }

        @Override
        public String getHeader(String name) {
            return AUTHORIZATION.equalsIgnoreCase(name) ? authorization : super.getHeader(name);
        }

        @Override
        public Enumeration<String> getHeaders(String name) {
            return AUTHORIZATION.equalsIgnoreCase(name) ? Collections.enumeration(List.of(authorization))
                    : super.getHeaders(name);
        }

        @Override
        public Enumeration<String> getHeaderNames() {
            List<String> names = new ArrayList<>(Collections.list(super.getHeaderNames()));
            names.removeIf(AUTHORIZATION::equalsIgnoreCase);
            names.add(AUTHORIZATION);
            return Collections.enumeration(names);
        }
    }
}
