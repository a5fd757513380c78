package dev.gatekey.admin.api;

import dev.gatekey.persistence.ConflictException;
import dev.gatekey.persistence.DatabaseUnavailableException;
import dev.gatekey.persistence.FieldError;
import dev.gatekey.persistence.GatekeyException;
import dev.gatekey.persistence.InvalidInputException;
import dev.gatekey.persistence.MasterKeyException;
import dev.gatekey.persistence.NotFoundException;
import dev.gatekey.persistence.PayloadTooLargeException;
import dev.gatekey.principal.ApiKeyPrincipal;
import dev.gatekey.problem.FailureLog;
import dev.gatekey.problem.ProblemResponses;
import dev.gatekey.store.KeyStoreException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.Principal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The admin API's front servlet, mapped to {@code /api/v1/*}: authenticates and authorizes the caller,
 * resolves the route with the {@link Router}, reads the JSON body within its limit, runs the handler and
 * turns every failure into {@code application/problem+json}.
 *
 * <h2>Steps, in order</h2>
 * <ol>
 * <li>No principal and no web UI session → 401 with {@code WWW-Authenticate: Bearer realm="gatekey-admin"}.
 *     The principal is an {@link ApiKeyPrincipal} of bucket {@value #ADMIN_BUCKET} (set by the admin key filter
 *     in front of this servlet), or a container-authenticated user. Without one, a session opened through
 *     {@link SessionServlet} stands for its admin key; a state-changing request on a session without its CSRF
 *     token → 403 (see {@link AdminSessions}).</li>
 * <li>Roles: key metadata {@code roles} containing {@value #ROLE_ADMIN} (read/write) or {@value #ROLE_VIEWER}
 *     (read); a container user in role {@value #CONTAINER_ROLE} is an admin. Neither → 403.</li>
 * <li>Unknown path → 404; known path, other method → 405 with {@code Allow}.</li>
 * <li>A write route for a viewer → 403; so is {@code key-format=visible} (full keys are credentials), decided on
 *     the parsed value when a handler reads it ({@link ApiRequest#keyFormat()}).</li>
 * <li>POST/PATCH body: a {@code Content-Type} other than {@code application/json} → 415; over
 *     {@code maxBodyBytes} (counted while reading) → 413.</li>
 * <li>The handler; typed errors map to 400 (with field errors), 404, 409, 413; database failures to 503
 *     with {@code Retry-After}; anything else to 500. No stack trace or SQL reaches a response.</li>
 * </ol>
 */
public final class ApiServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    /** The reserved bucket of admin keys. */
    public static final String ADMIN_BUCKET = "gatekey-admin";
    /** Realm of the {@code WWW-Authenticate} challenge. */
    public static final String REALM = "gatekey-admin";
    /** Key metadata role allowing every route. */
    public static final String ROLE_ADMIN = "admin";
    /** Key metadata role allowing the read-only routes. */
    public static final String ROLE_VIEWER = "viewer";
    /** Container role ({@code request.isUserInRole}) of administrators authenticated by the container. */
    public static final String CONTAINER_ROLE = "gatekey-admin";
    /** Seconds a client should wait after a 503. */
    public static final long RETRY_AFTER_SECONDS = 5;

    static final String JSON = "application/json";
    static final String PROBLEM_JSON = "application/problem+json";

    private static final Logger LOG = Logger.getLogger(ApiServlet.class.getName());
    private static final FailureLog FAILURES = new FailureLog(LOG);

    private final transient Router router;
    private final int maxBodyBytes;
    private final transient AdminSessions sessions;

    /** Without web UI sessions: only keys and container users. */
    public ApiServlet(Router router, int maxBodyBytes) {
        this(router, maxBodyBytes, null);
    }

    /** @param sessions web UI sessions, or null to accept none */
    public ApiServlet(Router router, int maxBodyBytes, AdminSessions sessions) {
        this.router = router;
        this.maxBodyBytes = maxBodyBytes;
        this.sessions = sessions;
    }

    /** Who is calling and what they may do. */
    /** {@code name} is the audit actor: a container user name longer than the audit column keeps its start. */
    record Caller(String name, boolean mayWrite) {
        static final int MAX_NAME_LENGTH = 256;

        Caller {
            if (name.length() > MAX_NAME_LENGTH) {
                name = name.substring(0, MAX_NAME_LENGTH - 1) + "…";
            }
        }
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        try {
            Caller caller = authenticate(request);
            String pathInfo = request.getPathInfo();
            Router.Resolution resolution = router.resolve(request.getMethod(),
                    Route.segmentsOf(pathInfo == null ? "/" : pathInfo));
            if (resolution instanceof Router.NoSuchPath) {
                throw new HttpProblem(404, "no such resource");
            }
            if (resolution instanceof Router.MethodNotAllowed notAllowed) {
                throw new HttpProblem(405, "method " + request.getMethod() + " is not allowed here",
                        Map.of("Allow", String.join(", ", notAllowed.allowed())));
            }
            Router.Found found = (Router.Found) resolution;
            if (found.route().write() && !caller.mayWrite()) {
                throw new HttpProblem(403, "the viewer role is read-only");
            }
            byte[] body = hasBody(request.getMethod()) ? readBody(request) : new byte[0];
            // key-format is authorised where it is parsed (ApiRequest.keyFormat), on the value handlers use
            ApiResponse answer = found.route().handler().handle(
                    new ApiRequest(request, found.variables(), caller.name(), body, caller.mayWrite()));
            write(response, answer);
        } catch (Exception e) {
            fail(request, response, e);
        }
    }

    private Caller authenticate(HttpServletRequest request) {
        Principal principal = request.getUserPrincipal();
        if (principal == null) {
            Caller signedIn = sessions == null ? null : sessions.authenticate(request);
            if (signedIn != null) {
                return signedIn;
            }
            throw unauthorized();
        }
        if (principal instanceof ApiKeyPrincipal key) {
            return callerOf(key);
        }
        if (request.isUserInRole(CONTAINER_ROLE)) {
            return new Caller(principal.getName(), true);
        }
        throw new HttpProblem(403, "the user is not in role " + CONTAINER_ROLE);
    }

    static HttpProblem unauthorized() {
        return new HttpProblem(401, "an admin key is required",
                Map.of("WWW-Authenticate", "Bearer realm=\"" + REALM + "\""));
    }

    /** The caller of an admin key: its metadata roles decide, admin before viewer. */
    static Caller callerOf(ApiKeyPrincipal key) {
        if (!ADMIN_BUCKET.equals(key.bucket())) {
            throw new HttpProblem(403, "not an admin key");
        }
        if (key.hasRole(ROLE_ADMIN)) {
            return new Caller(key.getName(), true);
        }
        if (key.hasRole(ROLE_VIEWER)) {
            return new Caller(key.getName(), false);
        }
        throw new HttpProblem(403, "the admin key has neither the admin nor the viewer role");
    }

    private static boolean hasBody(String method) {
        return "POST".equals(method) || "PATCH".equals(method) || "PUT".equals(method);
    }

    /** The body, counted while read: a missing or lying {@code Content-Length} does not get past the limit. */
    private byte[] readBody(HttpServletRequest request) throws IOException {
        String contentType = request.getContentType();
        if (contentType != null && !isJson(contentType)) {
            throw new HttpProblem(415, "the body must be application/json");
        }
        if (request.getContentLengthLong() > maxBodyBytes) {
            throw new HttpProblem(413, "the body must not exceed " + maxBodyBytes + " bytes");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        try (InputStream in = request.getInputStream()) {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                if (out.size() + n > maxBodyBytes) {
                    throw new HttpProblem(413, "the body must not exceed " + maxBodyBytes + " bytes");
                }
                out.write(buffer, 0, n);
            }
        }
        if (out.size() > 0 && contentType == null) {
            throw new HttpProblem(415, "the body must be application/json");
        }
        return out.toByteArray();
    }

    /** {@code application/json}, optionally with {@code charset=utf-8} (JSON is UTF-8, RFC 8259). */
    static boolean isJson(String contentType) {
        String[] parts = contentType.split(";");
        if (!parts[0].trim().equalsIgnoreCase(JSON)) {
            return false;
        }
        for (int i = 1; i < parts.length; i++) {
            String[] parameter = parts[i].trim().split("=", 2);
            if (parameter[0].trim().equalsIgnoreCase("charset") && (parameter.length < 2
                    || !parameter[1].trim().replace("\"", "").equalsIgnoreCase("utf-8"))) {
                return false;
            }
        }
        return true;
    }

    static void write(HttpServletResponse response, ApiResponse answer) throws IOException {
        response.setStatus(answer.status());
        response.setHeader("Cache-Control", "no-store");
        answer.headers().forEach(response::setHeader);
        if (answer.body() == null) {
            return;
        }
        byte[] bytes;
        if (answer.body() instanceof ApiResponse.Raw raw) {
            response.setContentType(raw.contentType());
            bytes = raw.bytes();
        } else {
            response.setContentType(JSON);
            response.setCharacterEncoding("UTF-8");
            bytes = Json.mapper().writeValueAsBytes(answer.body());
        }
        response.setContentLength(bytes.length);
        response.getOutputStream().write(bytes);
    }

    static void fail(HttpServletRequest request, HttpServletResponse response, Exception e)
            throws IOException {
        Problem problem = problemOf(e);
        if (problem.status() >= 500) {
            LOG.log(Level.FINE, "Admin API {0} {1} failed with {2}",
                    new Object[] {request.getMethod(), request.getRequestURI(), problem.status()});
            // a database outage fails every request: one stack trace, then counts
            FAILURES.failed("Admin API requests fail with " + problem.status(), e);
        } else {
            LOG.log(Level.FINE, "Admin API {0} {1}: {2} {3}",
                    new Object[] {request.getMethod(), request.getRequestURI(), problem.status(), problem.detail()});
        }
        writeProblem(response, problem);
    }

    /** Writes {@code problem} as {@code application/problem+json}, unless the response is already committed. */
    public static void writeProblem(HttpServletResponse response, Problem problem) throws IOException {
        if (response.isCommitted()) {
            return;
        }
        response.resetBuffer();
        response.setStatus(problem.status());
        response.setHeader("Cache-Control", "no-store");
        problem.headers().forEach(response::setHeader);
        byte[] bytes = Json.mapper().writeValueAsBytes(problem.body());
        response.setContentType(PROBLEM_JSON);
        response.setCharacterEncoding("UTF-8");
        response.setContentLength(bytes.length);
        response.getOutputStream().write(bytes);
    }

    /** An RFC 9457 problem; {@code errors} only for 400. */
    public record Problem(int status, String detail, List<FieldError> errors, Map<String, String> headers) {

        public Map<String, Object> body() {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("type", "about:blank");
            body.put("title", ProblemResponses.title(status));
            body.put("status", status);
            body.put("detail", detail);
            if (errors != null) {
                body.put("errors", errors);
            }
            return body;
        }
    }

    /**
     * The one place an exception becomes a status (for the admin API and the leak webhook); messages of typed
     * errors carry no key material.
     */
    public static Problem problemOf(Throwable e) {
        if (e instanceof HttpProblem p) {
            return new Problem(p.status(), p.getMessage(), null, p.headers());
        }
        if (e instanceof InvalidInputException invalid) {
            return new Problem(400, "the request is invalid", invalid.errors(), Map.of());
        }
        if (e instanceof NotFoundException) {
            return new Problem(404, e.getMessage(), null, Map.of());
        }
        if (e instanceof ConflictException) {
            return new Problem(409, e.getMessage(), null, Map.of());
        }
        if (e instanceof PayloadTooLargeException) {
            return new Problem(413, e.getMessage(), null, Map.of());
        }
        if (e instanceof MasterKeyException) {
            return new Problem(500, "a stored key cannot be decrypted with the configured master keys", null, Map.of());
        }
        if (isDatabaseFailure(e)) {
            return new Problem(503, "the database is unavailable, try again later", null,
                    Map.of("Retry-After", Long.toString(RETRY_AFTER_SECONDS)));
        }
        if (e instanceof GatekeyException) {
            return new Problem(400, e.getMessage(), null, Map.of());
        }
        return new Problem(500, "internal error", null, Map.of());
    }

    private static boolean isDatabaseFailure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof DatabaseUnavailableException || t instanceof KeyStoreException) {
                return true;
            }
        }
        return false;
    }
}
