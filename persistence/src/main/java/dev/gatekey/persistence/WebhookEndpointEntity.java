package dev.gatekey.persistence;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.Objects;

@Entity(name = "WebhookEndpoint")
@Table(name = "gk_webhook_endpoint")
class WebhookEndpointEntity {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    @Column(name = "id")
    Long id;

    @Column(name = "public_id", nullable = false, length = 40)
    String publicId;

    @Column(name = "url", nullable = false, length = 2048)
    String url;

    /** Comma-separated event types, or {@code *}. */
    @Column(name = "events", nullable = false, length = 2000)
    String events;

    @Column(name = "description", length = 1000)
    String description;

    @Column(name = "enabled", nullable = false)
    boolean enabled;

    /** {@code whsec_…}, encrypted under the master keys when there are some ({@link MasterKeys} format). */
    @Column(name = "secret", nullable = false, length = 512)
    String secret;

    @Column(name = "created_on", nullable = false)
    Instant createdOn;

    @Column(name = "updated_on", nullable = false)
    Instant updatedOn;

    @Override
    public boolean equals(Object o) {
        return this == o || (o instanceof WebhookEndpointEntity other && id != null && id.equals(other.id));
    }

    @Override
    public int hashCode() {
        return Objects.hashCode(id);
    }
}
