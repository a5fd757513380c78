package dev.gatekey.persistence;

import dev.gatekey.policy.RefillSchedule;
import dev.gatekey.store.Change;
import dev.gatekey.store.CreditLease;
import dev.gatekey.store.CreditPolicy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;

/**
 * {@link JpaKeyStore}'s credits: leases and returns in plain JDBC, one short transaction each.
 *
 * <p>A lease first applies a due refill with one conditional UPDATE ({@code next_refill_at <= now}: of nodes
 * racing for the same refill, one applies it, writing a KEY change row so every filter reloads the key), then locks
 * the row ({@code SELECT ... FOR UPDATE}) and decrements {@code min(want, remaining)}: exact under concurrency on
 * H2 and PostgreSQL, never below zero.
 */
final class CreditLedger {

    private static final String DUE_REFILL = "SELECT refill_interval, refill_day, refill_amount FROM gk_api_key"
            + " WHERE public_id = ? AND credits_remaining IS NOT NULL AND refill_interval IS NOT NULL"
            + " AND next_refill_at <= ?";
    private static final String APPLY_REFILL = "UPDATE gk_api_key SET credits_remaining = refill_amount,"
            + " credits_generation = credits_generation + 1, next_refill_at = ?"
            + " WHERE public_id = ? AND credits_remaining IS NOT NULL AND next_refill_at <= ?";
    private static final String KEY_CHANGED = "INSERT INTO gk_change (type, key_hash, created_on)"
            + " SELECT ?, key_hash, ? FROM gk_api_key WHERE public_id = ?";
    private static final String LOCK = "SELECT credits_remaining, credits_generation, next_refill_at FROM gk_api_key"
            + " WHERE public_id = ? FOR UPDATE";
    private static final String SPEND = "UPDATE gk_api_key SET credits_remaining = credits_remaining - ?"
            + " WHERE public_id = ? AND credits_remaining >= ?";
    private static final String GIVE_BACK = "UPDATE gk_api_key SET credits_remaining = credits_remaining + ?"
            + " WHERE public_id = ? AND credits_generation = ? AND credits_remaining IS NOT NULL";

    private CreditLedger() {
    }

    /** See {@link dev.gatekey.store.KeyStore#leaseCredits}; the caller maps SQL failures. */
    static CreditLease lease(Connection connection, String keyId, long want, Instant now) throws SQLException {
        OffsetDateTime at = now.truncatedTo(ChronoUnit.MICROS).atOffset(ZoneOffset.UTC);
        connection.setAutoCommit(false);
        try {
            refillIfDue(connection, keyId, at);
            CreditLease lease = spend(connection, keyId, want);
            connection.commit();
            return lease;
        } catch (SQLException | RuntimeException e) {
            connection.rollback();
            throw e;
        } finally {
            connection.setAutoCommit(true);
        }
    }

    /** See {@link dev.gatekey.store.KeyStore#returnCredits}; auto-commit, one UPDATE. */
    static void giveBack(Connection connection, String keyId, long amount, long generation) throws SQLException {
        if (amount <= 0) {
            return;
        }
        try (PreparedStatement update = connection.prepareStatement(GIVE_BACK)) {
            update.setLong(1, amount);
            update.setString(2, keyId);
            update.setLong(3, generation);
            update.executeUpdate();
        }
    }

    private static void refillIfDue(Connection connection, String keyId, OffsetDateTime at) throws SQLException {
        CreditPolicy.Refill refill;
        try (PreparedStatement select = connection.prepareStatement(DUE_REFILL)) {
            select.setString(1, keyId);
            select.setObject(2, at, Types.TIMESTAMP_WITH_TIMEZONE);
            try (ResultSet row = select.executeQuery()) {
                if (!row.next()) {
                    return;
                }
                int day = row.getInt(2);
                Integer refillDay = row.wasNull() ? null : day;
                refill = new CreditPolicy.Refill(StoredPolicies.interval(row.getString(1)), row.getLong(3), refillDay);
            }
        }
        Instant next = RefillSchedule.nextAfter(refill, at.toInstant());
        try (PreparedStatement update = connection.prepareStatement(APPLY_REFILL)) {
            update.setObject(1, next.atOffset(ZoneOffset.UTC), Types.TIMESTAMP_WITH_TIMEZONE);
            update.setString(2, keyId);
            update.setObject(3, at, Types.TIMESTAMP_WITH_TIMEZONE);
            if (update.executeUpdate() == 0) {
                return; // another node applied it first
            }
        }
        try (PreparedStatement insert = connection.prepareStatement(KEY_CHANGED)) {
            insert.setString(1, Change.Type.KEY.name());
            insert.setObject(2, at, Types.TIMESTAMP_WITH_TIMEZONE);
            insert.setString(3, keyId);
            insert.executeUpdate();
        }
    }

    private static CreditLease spend(Connection connection, String keyId, long want) throws SQLException {
        long remaining;
        long generation;
        Instant nextRefillAt;
        try (PreparedStatement lock = connection.prepareStatement(LOCK)) {
            lock.setString(1, keyId);
            try (ResultSet row = lock.executeQuery()) {
                if (!row.next()) {
                    return new CreditLease(0, 0, null);
                }
                remaining = row.getLong(1);
                boolean unlimited = row.wasNull();
                generation = row.getLong(2);
                OffsetDateTime next = row.getObject(3, OffsetDateTime.class);
                nextRefillAt = next == null ? null : next.toInstant();
                if (unlimited) {
                    return new CreditLease(want, generation, null);
                }
            }
        }
        long granted = Math.min(want, remaining);
        if (granted > 0) {
            try (PreparedStatement update = connection.prepareStatement(SPEND)) {
                update.setLong(1, granted);
                update.setString(2, keyId);
                update.setLong(3, granted);
                if (update.executeUpdate() != 1) {
                    throw new SQLException("credits of " + keyId + " changed under a row lock");
                }
            }
        }
        return new CreditLease(granted, generation, nextRefillAt);
    }
}
