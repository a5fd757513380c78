package dev.gatekey.persistence;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.Objects;

@Entity(name = "Leak")
@Table(name = "gk_leak")
class LeakEntity {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    @Column(name = "id")
    Long id;

    /** Public id of the leaked key; never the key or its hash. */
    @Column(name = "key_id", nullable = false, length = 40)
    String keyId;

    @Column(name = "bucket", nullable = false, length = 64)
    String bucket;

    @Column(name = "consumer", nullable = false, length = 128)
    String consumer;

    @Column(name = "token_type", nullable = false, length = 128)
    String tokenType;

    @Column(name = "url", nullable = false, length = 2048)
    String url;

    @Column(name = "source", nullable = false, length = 128)
    String source;

    /** {@link LeakAction} in lower case. */
    @Column(name = "action", nullable = false, length = 16)
    String action;

    @Column(name = "found_on", nullable = false)
    Instant foundOn;

    /** SHA-256 (hex) of key id, url and source: the replay guard. */
    @Column(name = "report_digest", nullable = false, length = 64)
    String reportDigest;

    @Override
    public boolean equals(Object o) {
        return this == o || (o instanceof LeakEntity other && id != null && id.equals(other.id));
    }

    @Override
    public int hashCode() {
        return Objects.hashCode(id);
    }
}
