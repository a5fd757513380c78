package dev.gatekey.persistence;

import dev.gatekey.store.Change;
import dev.gatekey.store.ChangeFeed;
import dev.gatekey.store.CreditLease;
import dev.gatekey.store.KeyStore;
import dev.gatekey.store.KeyStoreException;
import dev.gatekey.store.StoredKey;
import dev.gatekey.store.UsageCount;
import dev.gatekey.store.UsageRetention;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
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
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;
import jakarta.persistence.EntityManager;
import org.hibernate.Session;

/**
 * The filter's {@link KeyStore} and {@link ChangeFeed} over a {@link GatekeyDatabase}.
 *
 * <p>What the filter calls per request or per poll ({@link #findByHash}, the change feed) is plain JDBC on a
 * pooled connection; the rest goes through JPA. Every database failure
 * surfaces as {@link KeyStoreException}, never as an empty answer. Thread-safe.
 */
public final class JpaKeyStore implements KeyStore, ChangeFeed {

    /** The filter's lookup: the unique index on key_hash, joined by primary keys. */
    static final String FIND_BY_HASH = "SELECT k.public_id, b.name, c.name, c.metadata_json, k.expires_on,"
            + " k.revoked_on, c.deleted_on, " + StoredPolicies.COLUMNS
            + " FROM gk_api_key k JOIN gk_consumer c ON c.id = k.consumer_id"
            + " JOIN gk_bucket b ON b.id = c.bucket_id WHERE k.key_hash = ?";

    static final int LIST_FETCH_SIZE = 10_000;
    private static final String EMPTY_JSON_OBJECT = "{}";

    private static final Logger LOG = Logger.getLogger(JpaKeyStore.class.getName());

    private final GatekeyDatabase database;
    private final WebhookTriggers webhooks;

    public JpaKeyStore(GatekeyDatabase database) {
        this.database = Objects.requireNonNull(database, "database");
        this.webhooks = WebhookTriggers.over(database);
    }

    /**
     * {@inheritDoc} Revoked and expired keys are returned with their dates; a deleted consumer's keys come back
     * disabled.
     *
     * <p>This is the filter's cache-miss path, so it is one prepared statement on a pooled connection in
     * auto-commit mode: no entity manager, persistence context or transaction object per lookup (those cost
     * about three times the query's own CPU).
     */
    @Override
    public Optional<StoredKey> findByHash(String sha256Hex) {
        Objects.requireNonNull(sha256Hex, "sha256Hex");
        try (Connection connection = database.startedDataSource().getConnection();
                PreparedStatement select = connection.prepareStatement(FIND_BY_HASH)) {
            select.setString(1, sha256Hex);
            try (ResultSet row = select.executeQuery()) {
                if (!row.next()) {
                    return Optional.empty();
                }
                return Optional.of(new StoredKey(row.getString(1), row.getString(2), row.getString(3),
                        metadata(row.getString(4)), instant(row, 5), instant(row, 6), instant(row, 7) == null,
                        StoredPolicies.read(row, 8)));
            }
        } catch (SQLException e) {
            throw jdbcFailure("findByHash", e);
        } catch (RuntimeException e) {
            throw GatekeyDatabase.storeFailure("findByHash", e);
        }
    }

    /**
     * {@inheritDoc} One short JDBC transaction: a due refill applied with one conditional UPDATE (and a KEY change
     * row when this call applied it), then the row locked and decremented by {@code min(want, remaining)}. A key
     * with unlimited credits is granted {@code want}; an unknown key is granted nothing.
     */
    @Override
    public CreditLease leaseCredits(String keyId, long want, Instant now) {
        Objects.requireNonNull(keyId, "keyId");
        Objects.requireNonNull(now, "now");
        if (want < 0) {
            throw new IllegalArgumentException("want must be >= 0");
        }
        return withConnection("leaseCredits", connection -> CreditLedger.lease(connection, keyId, want, now));
    }

    /** {@inheritDoc} One UPDATE, conditional on the generation. */
    @Override
    public void returnCredits(String keyId, long amount, long generation) {
        Objects.requireNonNull(keyId, "keyId");
        withConnection("returnCredits", connection -> {
            CreditLedger.giveBack(connection, keyId, amount, generation);
            return null;
        });
    }

    /**
     * {@inheritDoc} One streamed query over the key table ({@value #LIST_FETCH_SIZE} rows a round trip, in a
     * read-only transaction so PostgreSQL streams instead of loading every row first). The {@link KeyManagement} services put
     * every created key on the change feed in the key's transaction.
     */
    @Override
    public boolean forEachKeyHash(Consumer<String> sink) {
        Objects.requireNonNull(sink, "sink");
        try (Connection connection = database.startedDataSource().getConnection()) {
            boolean autoCommit = connection.getAutoCommit();
            connection.setAutoCommit(false);
            try (PreparedStatement select = connection.prepareStatement("SELECT key_hash FROM gk_api_key")) {
                select.setFetchSize(LIST_FETCH_SIZE);
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        sink.accept(rows.getString(1).trim());
                    }
                }
            } finally {
                connection.rollback();
                connection.setAutoCommit(autoCommit);
            }
            return true;
        } catch (SQLException e) {
            throw jdbcFailure("forEachKeyHash", e);
        } catch (RuntimeException e) {
            throw GatekeyDatabase.storeFailure("forEachKeyHash", e);
        }
    }

    /** Most consumers have no metadata: no JSON parser for them. */
    private static Map<String, Object> metadata(String json) {
        return json == null || EMPTY_JSON_OBJECT.equals(json) ? Map.of() : Json.parseObject(json);
    }

    /** Every instant column is TIMESTAMP WITH TIME ZONE: both drivers map it to OffsetDateTime. */
    private static Instant instant(ResultSet row, int column) throws SQLException {
        OffsetDateTime value = row.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    /** The same mapping as {@link GatekeyDatabase#storeFailure} for a driver exception. */
    private static KeyStoreException jdbcFailure(String operation, SQLException e) {
        String reason = GatekeyDatabase.isConnectionFailure(e) ? "database unavailable" : "database error";
        return new KeyStoreException(operation + " failed: " + reason, e);
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

    /** {@inheritDoc} One JDBC transaction of batched upserts (see {@code UsageWrites}). */
    @Override
    public void recordUsage(List<UsageCount> counts) {
        Objects.requireNonNull(counts, "counts");
        withConnection("recordUsage", connection -> {
            UsageWrites.record(connection, counts);
            return null;
        });
        limitEvents(counts);
    }

    /**
     * The lifecycle webhooks' {@code ratelimit.exceeded} and {@code credits.exhausted}, from the refusals just
     * counted (each at most once per key per 5 minutes across nodes). The counts are written already: a failure
     * here loses an event, never a count, and is logged once per flush.
     */
    private void limitEvents(List<UsageCount> counts) {
        RuntimeException failure = null;
        for (UsageCount count : counts) {
            if (count.keyId() == null || !(WebhookService.OUTCOME_RATE_LIMITED.equals(count.outcome())
                    || WebhookService.OUTCOME_USAGE_EXCEEDED.equals(count.outcome()))) {
                continue;
            }
            try {
                webhooks.limitRefused(count.keyId(), count.outcome(), count.minute(), count.count());
            } catch (RuntimeException e) {
                failure = e;
            }
        }
        if (failure != null) {
            LOG.log(Level.WARNING, "Could not write rate limit or credit webhook events: {0}",
                    failure.getMessage());
        }
    }

    /** {@inheritDoc} One JDBC transaction holding the roll-up rows' lock (see {@code UsageWrites}). */
    @Override
    public void rollUpUsage(Instant now, UsageRetention retention) {
        Objects.requireNonNull(now, "now");
        Objects.requireNonNull(retention, "retention");
        withConnection("rollUpUsage", connection -> {
            UsageWrites.rollUp(connection, now, retention);
            return null;
        });
    }

    /** {@inheritDoc} Plain JDBC, like {@link #findByHash}: a flood of unknown keys can make the filter poll often. */
    @Override
    public long latestPosition() {
        try (Connection connection = database.startedDataSource().getConnection();
                PreparedStatement select = connection.prepareStatement("SELECT MAX(id) FROM gk_change");
                ResultSet row = select.executeQuery()) {
            row.next();
            long max = row.getLong(1);
            return row.wasNull() ? 0L : max;
        } catch (SQLException e) {
            throw jdbcFailure("latestPosition", e);
        } catch (RuntimeException e) {
            throw GatekeyDatabase.storeFailure("latestPosition", e);
        }
    }

    /** {@inheritDoc} Plain JDBC on the primary key: the filter polls it every {@code changePollMillis}. */
    @Override
    public List<Change> changesAfter(long position, int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be positive");
        }
        try (Connection connection = database.startedDataSource().getConnection();
                PreparedStatement select = connection.prepareStatement(
                        "SELECT id, type, key_hash, created_on FROM gk_change WHERE id > ? ORDER BY id")) {
            select.setLong(1, position);
            select.setMaxRows(limit);
            List<Change> changes = new ArrayList<>();
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    String hash = rows.getString(3);
                    changes.add(new Change(rows.getLong(1), Change.Type.valueOf(rows.getString(2).trim()),
                            hash == null ? null : hash.trim(), instant(rows, 4)));
                }
            }
            return List.copyOf(changes);
        } catch (SQLException e) {
            throw jdbcFailure("changesAfter", e);
        } catch (RuntimeException e) {
            throw GatekeyDatabase.storeFailure("changesAfter", e);
        }
    }

    /** {@inheritDoc} One DELETE on the indexed creation date. */
    @Override
    public int pruneBefore(Instant cutoff) {
        Objects.requireNonNull(cutoff, "cutoff");
        return call("pruneChanges", em -> em.createQuery("delete from Change c where c.createdOn < :cutoff")
                .setParameter("cutoff", cutoff)
                .executeUpdate());
    }

    /** JDBC work on a pooled connection. */
    private interface JdbcWork<T> {
        T run(Connection connection) throws SQLException;
    }

    /** Runs {@code work} on a pooled connection; every failure surfaces as {@link KeyStoreException}. */
    private <T> T withConnection(String operation, JdbcWork<T> work) {
        try (Connection connection = database.startedDataSource().getConnection()) {
            return work.run(connection);
        } catch (SQLException e) {
            throw jdbcFailure(operation, e);
        } catch (RuntimeException e) {
            throw GatekeyDatabase.storeFailure(operation, e);
        }
    }

    private <T> T call(String operation, Function<EntityManager, T> work) {
        try {
            return database.inTransaction(work);
        } catch (RuntimeException e) {
            throw GatekeyDatabase.storeFailure(operation, e);
        }
    }
}
