package dev.gatekey.admin.api;

import dev.gatekey.admin.access.AdminAccess;
import dev.gatekey.admin.access.AdminSessions;
import dev.gatekey.admin.access.Caller;
import dev.gatekey.admin.http.BoundedBody;
import dev.gatekey.admin.http.HttpProblem;
import dev.gatekey.admin.http.Json;
import dev.gatekey.admin.http.Problem;
import dev.gatekey.problem.FailureLog;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
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
 *     The principal is an {@code ApiKeyPrincipal} of bucket {@value AdminAccess#ADMIN_BUCKET} (set by the admin
 *     key filter in front of this servlet), or a container-authenticated user. Without one, a session opened through
 *     {@link SessionServlet} stands for its admin key; a state-changing request on a session without its CSRF
 *     token → 403 (see {@link AdminSessions}).</li>
 * <li>Roles: key metadata {@code roles} containing {@value AdminAccess#ROLE_ADMIN} (read/write) or
 *     {@value AdminAccess#ROLE_VIEWER} (read); a container user in role {@value AdminAccess#CONTAINER_ROLE} is an
 *     admin. Neither → 403 (see {@link AdminAccess}).</li>
 * <li>Unknown path → 404; known path, other method → 405 with {@code Allow}.</li>
 * <li>A write route for a viewer → 403; so is {@code key-format=visible} (full keys are credentials), decided on
 *     the parsed value when a handler reads it ({@link ApiRequest#keyFormat()}).</li>
 * <li>POST/PATCH body: a {@code Content-Type} other than {@code application/json} → 415; over
 *     {@code maxBodyBytes}, or the route's own larger limit (counted while reading) → 413.</li>
 * <li>The handler; typed errors map to 400 (with field errors), 404, 409, 413; database failures to 503
 *     with {@code Retry-After}; anything else to 500 ({@link Problem#of}). No stack trace or SQL reaches a
 *     response.</li>
 * </ol>
 */
public final class ApiServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

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

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        try {
            Caller caller = AdminAccess.authenticate(request, sessions);
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
            byte[] body = hasBody(request.getMethod())
                    ? readBody(request, Math.max(maxBodyBytes, found.route().maxBodyBytes())) : new byte[0];
            // key-format is authorised where it is parsed (ApiRequest.keyFormat), on the value handlers use
            ApiResponse answer = found.route().handler().handle(
                    new ApiRequest(request, found.variables(), caller.name(), body, caller.mayWrite()));
            write(response, answer);
        } catch (Exception e) {
            fail(request, response, e);
        }
    }

    private static boolean hasBody(String method) {
        return "POST".equals(method) || "PATCH".equals(method) || "PUT".equals(method);
    }

    /** The body, counted while read: a missing or lying {@code Content-Length} does not get past the limit. */
    private static byte[] readBody(HttpServletRequest request, int maxBodyBytes) throws IOException {
        String contentType = request.getContentType();
        if (contentType != null && !Json.isJson(contentType)) {
            throw new HttpProblem(415, "the body must be application/json");
        }
        byte[] body = BoundedBody.read(request, maxBodyBytes);
        if (body.length > 0 && contentType == null) {
            throw new HttpProblem(415, "the body must be application/json");
        }
        return body;
    }

    static void write(HttpServletResponse response, ApiResponse answer) throws IOException {
        if (!(answer.body() instanceof ApiResponse.Raw raw)) {
            Json.write(response, answer.status(), answer.headers(), answer.body());
            return;
        }
        response.setStatus(answer.status());
        response.setHeader("Cache-Control", "no-store");
        answer.headers().forEach(response::setHeader);
        response.setContentType(raw.contentType());
        response.setContentLength(raw.bytes().length);
        response.getOutputStream().write(raw.bytes());
    }

    static void fail(HttpServletRequest request, HttpServletResponse response, Exception e)
            throws IOException {
        Problem problem = Problem.of(e);
        if (problem.status() >= 500) {
            LOG.log(Level.FINE, "Admin API {0} {1} failed with {2}",
                    new Object[] {request.getMethod(), request.getRequestURI(), problem.status()});
            // a database outage fails every request: one stack trace, then counts
            FAILURES.failed("Admin API requests fail with " + problem.status(), e);
        } else {
            LOG.log(Level.FINE, "Admin API {0} {1}: {2} {3}",
                    new Object[] {request.getMethod(), request.getRequestURI(), problem.status(), problem.detail()});
        }
        problem.writeTo(response);
    }
}
