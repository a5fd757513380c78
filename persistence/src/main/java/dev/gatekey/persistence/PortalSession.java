package dev.gatekey.persistence;

import java.time.Instant;
import java.util.Objects;

/**
 * A live portal session: one manager acting on the consumers they manage in one bucket. Only
 * {@link PortalService} makes them ({@link PortalService#redeem} from a link, {@link PortalService#session}
 * from the session id), so holding one proves the session was valid when it was looked up; the manager's
 * operations of {@link PortalService} take it instead of a bucket and a user. Immutable.
 *
 * <p>{@link #id()} is the secret a browser presents (the portal's cookie) and {@link #csrfToken()} the value
 * its state-changing requests must repeat; both are shown by no {@link #toString()}.
 */
public final class PortalSession {

    private final String id;
    private final String bucket;
    private final String manager;
    private final String returnUrl;
    private final Instant createdOn;
    private final Instant expiresOn;
    private final Instant idleExpiresOn;

    PortalSession(String id, String bucket, String manager, String returnUrl, Instant createdOn, Instant expiresOn,
            Instant idleExpiresOn) {
        this.id = Objects.requireNonNull(id, "id");
        this.bucket = bucket;
        this.manager = manager;
        this.returnUrl = returnUrl;
        this.createdOn = createdOn;
        this.expiresOn = expiresOn;
        this.idleExpiresOn = idleExpiresOn;
    }

    /** The session id (the cookie's value): 256 random bits, base64url. Secret. */
    public String id() {
        return id;
    }

    /** The CSRF token of this session, derived from its id (so it needs no storage and dies with it). Secret. */
    public String csrfToken() {
        return PortalTokens.csrfToken(id);
    }

    /** Whether {@code presented} is this session's CSRF token, compared in constant time. */
    public boolean isCsrfToken(String presented) {
        return PortalTokens.sameSecret(csrfToken(), presented);
    }

    public String bucket() {
        return bucket;
    }

    /** The manager (the application's user id) acting in this session. */
    public String manager() {
        return manager;
    }

    /** The audit actor of this session's operations: {@code manager:} and the manager id. */
    public String actor() {
        return PortalService.ACTOR_PREFIX + manager;
    }

    /** Where "back to the application" leads; null when the link named no place. */
    public String returnUrl() {
        return returnUrl;
    }

    public Instant createdOn() {
        return createdOn;
    }

    /** The end of the session's absolute lifetime. */
    public Instant expiresOn() {
        return expiresOn;
    }

    /** When the session ends unless it is used again before (the idle timeout). */
    public Instant idleExpiresOn() {
        return idleExpiresOn;
    }

    @Override
    public String toString() {
        return "PortalSession[bucket=" + bucket + ", manager=" + manager + ", expiresOn=" + expiresOn + "]";
    }
}
