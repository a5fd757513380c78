package dev.gatekey.persistence;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.Objects;

@Entity(name = "AuditEvent")
@Table(name = "gk_audit_event")
class AuditEventEntity {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    @Column(name = "id")
    Long id;

    @Column(name = "actor", nullable = false, length = InputChecks.MAX_ACTOR_LENGTH)
    String actor;

    @Column(name = "action", nullable = false, length = 64)
    String action;

    @Column(name = "target_type", nullable = false, length = 32)
    String targetType;

    @Column(name = "target_id", length = 256)
    String targetId;

    /** Context such as the bucket and consumer names; never key material or hashes. */
    @Column(name = "detail", length = 4000)
    String detail;

    @Column(name = "created_on", nullable = false)
    Instant createdOn;

    @Override
    public boolean equals(Object o) {
        return this == o || (o instanceof AuditEventEntity other && id != null && id.equals(other.id));
    }

    @Override
    public int hashCode() {
        return Objects.hashCode(id);
    }
}
