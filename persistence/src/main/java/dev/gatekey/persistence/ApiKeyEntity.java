package dev.gatekey.persistence;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.Objects;

@Entity(name = "ApiKey")
@Table(name = "gk_api_key")
class ApiKeyEntity {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    @Column(name = "id")
    Long id;

    @Column(name = "public_id", nullable = false, length = 40)
    String publicId;

    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    @JoinColumn(name = "consumer_id", nullable = false)
    ConsumerEntity consumer;

    @Column(name = "key_hash", nullable = false, length = 64)
    String keyHash;

    @Column(name = "encrypted_key", length = 512)
    String encryptedKey;

    @Column(name = "masked", nullable = false, length = 64)
    String masked;

    @Column(name = "description", length = 1000)
    String description;

    @Column(name = "created_on", nullable = false)
    Instant createdOn;

    @Column(name = "expires_on")
    Instant expiresOn;

    @Column(name = "revoked_on")
    Instant revokedOn;

    @Column(name = "last_used_on")
    Instant lastUsedOn;

    /** JSON array of scopes; null = none. */
    @Column(name = "scopes", length = 2200)
    String scopes;

    /** JSON array of CIDRs; null = anywhere. */
    @Column(name = "allowed_ips", length = 4000)
    String allowedIps;

    /** Null = unlimited. */
    @Column(name = "credits_remaining")
    Long creditsRemaining;

    /** +1 on every set, increment, decrement and refill; never on spending. */
    @Column(name = "credits_generation", nullable = false)
    long creditsGeneration;

    /** {@code daily}, {@code monthly} or null (no refill). */
    @Column(name = "refill_interval", length = 8)
    String refillInterval;

    @Column(name = "refill_amount")
    Long refillAmount;

    @Column(name = "refill_day")
    Integer refillDay;

    @Column(name = "next_refill_at")
    Instant nextRefillAt;

    /** {@linkplain ApiKey#isActive Neither revoked nor expired} at {@code now}, and its consumer not deleted. */
    boolean isActiveAt(Instant now) {
        return ApiKey.isActive(revokedOn, expiresOn, now) && consumer.deletedOn == null;
    }

    @Override
    public boolean equals(Object o) {
        return this == o || (o instanceof ApiKeyEntity other && id != null && id.equals(other.id));
    }

    @Override
    public int hashCode() {
        return Objects.hashCode(id);
    }
}
