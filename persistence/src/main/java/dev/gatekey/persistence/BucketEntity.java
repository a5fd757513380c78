package dev.gatekey.persistence;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.Objects;

@Entity(name = "Bucket")
@Table(name = "gk_bucket")
class BucketEntity {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    @Column(name = "id")
    Long id;

    @Column(name = "name", nullable = false, length = 64)
    String name;

    @Column(name = "description", length = 1000)
    String description;

    @Column(name = "key_prefix", nullable = false, length = 41)
    String keyPrefix;

    @Column(name = "retrievable", nullable = false)
    boolean retrievable;

    @Column(name = "created_on", nullable = false)
    Instant createdOn;

    @Column(name = "updated_on", nullable = false)
    Instant updatedOn;

    @Override
    public boolean equals(Object o) {
        return this == o || (o instanceof BucketEntity other && id != null && id.equals(other.id));
    }

    @Override
    public int hashCode() {
        return Objects.hashCode(id);
    }
}
