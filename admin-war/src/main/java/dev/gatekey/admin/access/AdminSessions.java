package dev.gatekey.admin.access;

import dev.gatekey.admin.http.HttpProblem;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Web UI sessions: an admin key exchanged once for an {@link HttpSession} that remembers who signed in (the
 * consumer name, role and key id, never the key) and a CSRF token.
 *
 * <p>A request authenticated by the session cookie alone is forgeable by any page the browser visits, so every
 * method other than {@code GET}, {@code HEAD} and {@code OPTIONS} must repeat the session's token in
 * {@value #CSRF_HEADER} (403 otherwise). Each use also checks that the signing-in key is still valid (not
 * revoked, not expired): revoking an admin key ends its sessions.
 */
public final class AdminSessions {

    /** Session attribute holding the {@link SignedIn} caller. */
    public static final String SESSION_ATTRIBUTE = "dev.gatekey.admin.signedIn";
    /** Request header repeating the session's CSRF token on state-changing calls. */
    public static final String CSRF_HEADER = "X-CSRF-Token";

    private static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD", "OPTIONS");
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Predicate<SignedIn> keyStillValid;

    /** @param keyStillValid whether the key a session was opened with is still active (a store lookup) */
    public AdminSessions(Predicate<SignedIn> keyStillValid) {
        this.keyStillValid = keyStillValid;
    }

    /** Who signed in; stored in the session. {@code csrfToken} is random and unrelated to the key. */
    public record SignedIn(String name, String role, String keyId, String csrfToken) implements Serializable {
        private static final long serialVersionUID = 1L;

        boolean mayWrite() {
            return AdminAccess.ROLE_ADMIN.equals(role);
        }
    }

    /** A new random CSRF token for a session. */
    public static String newCsrfToken() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** The session's caller, or null without a (valid) session; the session of a revoked key is ended. */
    public SignedIn signedIn(HttpServletRequest request) {
        HttpSession session = request.getSession(false);
        if (session == null) {
            return null;
        }
        SignedIn signedIn;
        try {
            signedIn = session.getAttribute(SESSION_ATTRIBUTE) instanceof SignedIn s ? s : null;
        } catch (IllegalStateException invalidated) {
            return null;
        }
        if (signedIn != null && !keyStillValid.test(signedIn)) {
            end(request);
            return null;
        }
        return signedIn;
    }

    /**
     * The caller of a cookie-authenticated request.
     *
     * @return null without a session
     * @throws HttpProblem 403 for a state-changing request without the session's CSRF token
     */
    Caller authenticate(HttpServletRequest request) {
        SignedIn signedIn = signedIn(request);
        if (signedIn == null) {
            return null;
        }
        requireCsrfToken(request, signedIn);
        return new Caller(signedIn.name(), signedIn.mayWrite());
    }

    /**
     * Refuses a state-changing request without the session's CSRF token.
     *
     * @throws HttpProblem 403 without the right {@value #CSRF_HEADER}
     */
    public static void requireCsrfToken(HttpServletRequest request, SignedIn signedIn) {
        if (SAFE_METHODS.contains(request.getMethod())) {
            return;
        }
        String sent = request.getHeader(CSRF_HEADER);
        // constant time: the comparison must not reveal how much of a guessed token was right
        if (sent == null || !MessageDigest.isEqual(sent.getBytes(StandardCharsets.UTF_8),
                signedIn.csrfToken().getBytes(StandardCharsets.UTF_8))) {
            throw new HttpProblem(403, "missing or wrong " + CSRF_HEADER + " header: reload the page and try again");
        }
    }

    /** Ends the request's session, if any. */
    public static void end(HttpServletRequest request) {
        HttpSession session = request.getSession(false);
        if (session != null) {
            try {
                session.invalidate();
            } catch (IllegalStateException alreadyInvalidated) {
                // nothing left to end
            }
        }
    }
}
