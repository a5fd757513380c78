package dev.gatekey.persistence;

import dev.gatekey.store.Change;
import dev.gatekey.store.ChangeFeed;
import dev.gatekey.store.KeyStore;
import dev.gatekey.store.KeyStoreException;
import dev.gatekey.store.StoredKey;
import java.sql.PreparedStatement;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import jakarta.persistence.EntityManager;
import jakarta.persistence.Tuple;
import org.hibernate.Session;

/**
 * The filter's {@link KeyStore} and {@link ChangeFeed} over a {@link GatekeyDatabase}.
 *
 * <p>Lookups are single indexed tuple queries (no entity hydration). Every database failure
 * surfaces as {@link KeyStoreException}, never as an empty answer. Thread-safe.
 */
public final class JpaKeyStore implements KeyStore, ChangeFeed {

    private final GatekeyDatabase database;

    public JpaKeyStore(GatekeyDatabase database) {
        this.database = Objects.requireNonNull(database, "database");
    }

    /** {@inheritDoc} Revoked and expired keys are returned with their dates; a deleted consumer's keys come back disabled. */
    @Override
    public Optional<StoredKey> findByHash(String sha256Hex) {
        Objects.requireNonNull(sha256Hex, "sha256Hex");
        return call("findByHash", em -> em.createQuery("""
                        select k.publicId, b.name, c.name, c.metadataJson, k.expiresOn, k.revokedOn, c.deletedOn
                        from ApiKey k join k.consumer c join c.bucket b
                        where k.keyHash = :hash""", Tuple.class)
                .setParameter("hash", sha256Hex)
                .getResultStream()
                .findFirst()
                .map(t -> new StoredKey(t.get(0, String.class), t.get(1, String.class), t.get(2, String.class),
                        Json.parseObject(t.get(3, String.class)), t.get(4, Instant.class), t.get(5, Instant.class),
                        t.get(6, Instant.class) == null)));
    }

    @Override
    public Optional<String> findKeyPrefix(String bucket) {
        Objects.requireNonNull(bucket, "bucket");
        return call("findKeyPrefix", em -> em.createQuery(
                        "select b.keyPrefix from Bucket b where b.name = :name", String.class)
                .setParameter("name", bucket)
                .getResultStream()
                .findFirst());
    }

    /** {@inheritDoc} One batched UPDATE; a stored instant later than the given one is kept. */
    @Override
    public void recordLastUsed(Map<String, Instant> lastUsedByKeyId) {
        if (lastUsedByKeyId.isEmpty()) {
            return;
        }
        call("recordLastUsed", em -> {
            em.unwrap(Session.class).doWork(connection -> {
                try (PreparedStatement update = connection.prepareStatement(
                        "UPDATE gk_api_key SET last_used_on = ? WHERE public_id = ?"
                                + " AND (last_used_on IS NULL OR last_used_on < ?)")) {
                    for (Map.Entry<String, Instant> entry : lastUsedByKeyId.entrySet()) {
                        OffsetDateTime when = entry.getValue().truncatedTo(ChronoUnit.MICROS).atOffset(ZoneOffset.UTC);
                        update.setObject(1, when, Types.TIMESTAMP_WITH_TIMEZONE);
                        update.setString(2, entry.getKey());
                        update.setObject(3, when, Types.TIMESTAMP_WITH_TIMEZONE);
                        update.addBatch();
                    }
                    update.executeBatch();
                }
            });
            return null;
        });
    }

    @Override
    public long latestPosition() {
        return call("latestPosition", em -> {
            Long max = em.createQuery("select max(c.id) from Change c", Long.class).getSingleResult();
            return max == null ? 0L : max;
        });
    }

    @Override
    public List<Change> changesAfter(long position, int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be positive");
        }
        return call("changesAfter", em -> {
            List<Tuple> rows = em.createQuery(
                            "select c.id, c.type, c.keyHash, c.createdOn from Change c where c.id > :position order by c.id",
                            Tuple.class)
                    .setParameter("position", position)
                    .setMaxResults(limit)
                    .getResultList();
            List<Change> changes = new ArrayList<>(rows.size());
            for (Tuple row : rows) {
                changes.add(new Change(row.get(0, Long.class), Change.Type.valueOf(row.get(1, String.class)),
                        row.get(2, String.class), row.get(3, Instant.class)));
            }
            return List.copyOf(changes);
        });
    }

    /** {@inheritDoc} One DELETE on the indexed creation date. */
    @Override
    public int pruneBefore(Instant cutoff) {
        Objects.requireNonNull(cutoff, "cutoff");
        return call("pruneChanges", em -> em.createQuery("delete from Change c where c.createdOn < :cutoff")
                .setParameter("cutoff", cutoff)
                .executeUpdate());
    }

    private <T> T call(String operation, Function<EntityManager, T> work) {
        try {
            return database.inTransaction(work);
        } catch (RuntimeException e) {
            throw GatekeyDatabase.storeFailure(operation, e);
        }
    }
}
