package dev.gatekey.persistence;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.Objects;

/** A single-use portal link; the token itself is never stored, only its SHA-256. */
@Entity(name = "PortalLink")
@Table(name = "gk_portal_link")
class PortalLinkEntity {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    @Column(name = "id")
    Long id;

    /** SHA-256 (hex) of the token. */
    @Column(name = "token_hash", nullable = false, length = 64)
    String tokenHash;

    @Column(name = "bucket", nullable = false, length = 64)
    String bucket;

    @Column(name = "manager", nullable = false, length = 254)
    String manager;

    @Column(name = "return_url", length = 2048)
    String returnUrl;

    @Column(name = "created_by", nullable = false, length = 300)
    String createdBy;

    @Column(name = "created_on", nullable = false)
    Instant createdOn;

    @Column(name = "expires_on", nullable = false)
    Instant expiresOn;

    /** When the link was exchanged for a session; null while unused. */
    @Column(name = "used_on")
    Instant usedOn;

    @Override
    public boolean equals(Object o) {
        return this == o || (o instanceof PortalLinkEntity other && id != null && id.equals(other.id));
    }

    @Override
    public int hashCode() {
        return Objects.hashCode(id);
    }
}
