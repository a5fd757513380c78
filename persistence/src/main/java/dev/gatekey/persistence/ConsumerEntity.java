package dev.gatekey.persistence;

import jakarta.persistence.CollectionTable;
import jakarta.persistence.Column;
import jakarta.persistence.ElementCollection;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.MapKeyColumn;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.hibernate.annotations.BatchSize;

@Entity(name = "Consumer")
@Table(name = "gk_consumer")
class ConsumerEntity {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    @Column(name = "id")
    Long id;

    @Column(name = "public_id", nullable = false, length = 40)
    String publicId;

    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    @JoinColumn(name = "bucket_id", nullable = false)
    BucketEntity bucket;

    @Column(name = "name", nullable = false, length = 128)
    String name;

    /** Equal to {@link #name} while the consumer exists, null once deleted (frees the name). */
    @Column(name = "active_name", length = 128)
    String activeName;

    @Column(name = "description", length = 1000)
    String description;

    @Column(name = "metadata_json", nullable = false, length = 65536)
    String metadataJson;

    // Batch fetching: a page of consumers loads its tags in a few queries, not one per consumer.
    @ElementCollection(fetch = FetchType.LAZY)
    @CollectionTable(name = "gk_consumer_tag", joinColumns = @JoinColumn(name = "consumer_id"))
    @MapKeyColumn(name = "tag_key", length = 64)
    @Column(name = "tag_value", nullable = false, length = 256)
    @BatchSize(size = 100)
    Map<String, String> tags = new HashMap<>();

    @ElementCollection(fetch = FetchType.LAZY)
    @CollectionTable(name = "gk_consumer_manager", joinColumns = @JoinColumn(name = "consumer_id"))
    @Column(name = "manager", nullable = false, length = ConsumerService.MAX_MANAGER_LENGTH)
    @BatchSize(size = 100)
    Set<String> managers = new HashSet<>();

    @Column(name = "deleted_on")
    Instant deletedOn;

    @Column(name = "created_on", nullable = false)
    Instant createdOn;

    @Column(name = "updated_on", nullable = false)
    Instant updatedOn;

    @Override
    public boolean equals(Object o) {
        return this == o || (o instanceof ConsumerEntity other && id != null && id.equals(other.id));
    }

    @Override
    public int hashCode() {
        return Objects.hashCode(id);
    }
}
