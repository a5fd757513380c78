package dev.gatekey.admin.access;

import dev.gatekey.admin.http.HttpProblem;
import dev.gatekey.principal.ApiKeyPrincipal;
import jakarta.servlet.http.HttpServletRequest;
import java.security.Principal;
import java.util.Map;

/**
 * The admin access rules: who may call the admin API and with which rights.
 *
 * <ul>
 * <li>No principal and no web UI session → 401 with {@code WWW-Authenticate: Bearer realm="gatekey-admin"}.
 *     The principal is an {@link ApiKeyPrincipal} of bucket {@value #ADMIN_BUCKET} (set by the admin key filter),
 *     or a container-authenticated user. Without one, a session ({@link AdminSessions}) stands for its admin key;
 *     a state-changing request on a session without its CSRF token → 403.</li>
 * <li>Roles: key metadata {@code roles} containing {@value #ROLE_ADMIN} (read/write) or {@value #ROLE_VIEWER}
 *     (read); a container user in role {@value #CONTAINER_ROLE} is an admin. Neither → 403.</li>
 * </ul>
 */
public final class AdminAccess {

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

    private AdminAccess() {
    }

    /**
     * The caller of a request: its principal, else its web UI session.
     *
     * @param sessions web UI sessions, or null to accept none
     * @throws HttpProblem 401 without either, 403 for a caller without an admin role
     */
    public static Caller authenticate(HttpServletRequest request, AdminSessions sessions) {
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

    /** The 401 of a request without an admin key, with its {@code WWW-Authenticate} challenge. */
    public static HttpProblem unauthorized() {
        return new HttpProblem(401, "an admin key is required",
                Map.of("WWW-Authenticate", "Bearer realm=\"" + REALM + "\""));
    }

    /**
     * The caller of an admin key: its metadata roles decide, admin before viewer.
     *
     * @throws HttpProblem 403 for a key of another bucket or without either role
     */
    public static Caller callerOf(ApiKeyPrincipal key) {
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
}
