package dev.gatekey.persistence;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.Objects;

@Entity(name = "Change")
@Table(name = "gk_change")
class ChangeEntity {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    @Column(name = "id")
    Long id;

    /** {@link dev.gatekey.store.Change.Type} name. */
    @Column(name = "type", nullable = false, length = 8)
    String type;

    @Column(name = "key_hash", length = 64)
    String keyHash;

    @Column(name = "created_on", nullable = false)
    Instant createdOn;

    @Override
    public boolean equals(Object o) {
        return this == o || (o instanceof ChangeEntity other && id != null && id.equals(other.id));
    }

    @Override
    public int hashCode() {
        return Objects.hashCode(id);
    }
}
