package dev.gatekey.persistence;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.Objects;

/** One outbox event: the exact body every attempt sends, fixed when its cause committed. */
@Entity(name = "WebhookEvent")
@Table(name = "gk_webhook_event")
class WebhookEventEntity {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    @Column(name = "id")
    Long id;

    /** The {@code webhook-id} header: {@code msg_…}, the same on every attempt. */
    @Column(name = "public_id", nullable = false, length = 40)
    String publicId;

    @Column(name = "type", nullable = false, length = 64)
    String type;

    @Column(name = "payload", nullable = false, length = 16000)
    String payload;

    @Column(name = "created_on", nullable = false)
    Instant createdOn;

    @Override
    public boolean equals(Object o) {
        return this == o || (o instanceof WebhookEventEntity other && id != null && id.equals(other.id));
    }

    @Override
    public int hashCode() {
        return Objects.hashCode(id);
    }
}
