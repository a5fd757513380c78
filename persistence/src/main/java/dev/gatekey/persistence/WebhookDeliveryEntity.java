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

/** One event for one endpoint: its state, attempts so far and the lease of the node attempting it now. */
@Entity(name = "WebhookDelivery")
@Table(name = "gk_webhook_delivery")
class WebhookDeliveryEntity {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    @Column(name = "id")
    Long id;

    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    @JoinColumn(name = "event_id", nullable = false)
    WebhookEventEntity event;

    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    @JoinColumn(name = "endpoint_id", nullable = false)
    WebhookEndpointEntity endpoint;

    /** {@link WebhookDelivery#PENDING}, {@link WebhookDelivery#SUCCEEDED} or {@link WebhookDelivery#FAILED}. */
    @Column(name = "status", nullable = false, length = 16)
    String status;

    @Column(name = "attempts", nullable = false)
    int attempts;

    @Column(name = "last_response_code")
    Integer lastResponseCode;

    @Column(name = "last_error", length = 1000)
    String lastError;

    @Column(name = "next_attempt_on")
    Instant nextAttemptOn;

    @Column(name = "lease_owner", length = 64)
    String leaseOwner;

    @Column(name = "lease_until")
    Instant leaseUntil;

    @Column(name = "created_on", nullable = false)
    Instant createdOn;

    @Column(name = "updated_on", nullable = false)
    Instant updatedOn;

    @Override
    public boolean equals(Object o) {
        return this == o || (o instanceof WebhookDeliveryEntity other && id != null && id.equals(other.id));
    }

    @Override
    public int hashCode() {
        return Objects.hashCode(id);
    }
}
