package dev.gatekey.persistence;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.Objects;

/** A portal session opened by redeeming a link; the session id itself is never stored, only its SHA-256. */
@Entity(name = "PortalSession")
@Table(name = "gk_portal_session")
class PortalSessionEntity {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    @Column(name = "id")
    Long id;

    /** SHA-256 (hex) of the session id (the cookie's value). */
    @Column(name = "session_hash", nullable = false, length = 64)
    String sessionHash;

    @Column(name = "bucket", nullable = false, length = 64)
    String bucket;

    @Column(name = "manager", nullable = false, length = 254)
    String manager;

    @Column(name = "return_url", length = 2048)
    String returnUrl;

    @Column(name = "created_on", nullable = false)
    Instant createdOn;

    /** The last request of the session, for the idle timeout (moved on at most once a minute). */
    @Column(name = "last_seen_on", nullable = false)
    Instant lastSeenOn;

    /** The end of the session's absolute lifetime. */
    @Column(name = "expires_on", nullable = false)
    Instant expiresOn;

    @Override
    public boolean equals(Object o) {
        return this == o || (o instanceof PortalSessionEntity other && id != null && id.equals(other.id));
    }

    @Override
    public int hashCode() {
        return Objects.hashCode(id);
    }
}
