package dev.gatekey.persistence;

import dev.gatekey.store.UsageCount;
import dev.gatekey.store.UsageRetention;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The writes of usage analytics, on one JDBC connection in one transaction each: {@link #record} adds a batch of
 * per-minute counts, {@link #rollUp} sums closed minutes into hours and closed hours into days and applies the
 * retention. Portable between H2 ({@code MERGE}) and PostgreSQL ({@code INSERT ... ON CONFLICT}).
 *
 * <p>Several nodes write and roll up at once without coordination beyond two rows of {@code gk_usage_rollup}, which
 * say how far hours and days have been rolled up: a roll-up locks them ({@code FOR UPDATE}), moves them forward and
 * sums only the periods it moves over, in one transaction, so a period is rolled up exactly once; a flush locks them
 * too ({@code FOR SHARE} on PostgreSQL, so flushes do not wait for each other) and writes a count of a period
 * already rolled up into the coarser tables as well, so a late flush (a node that could not write for a while) is
 * neither lost nor counted twice.
 */
final class UsageWrites {

    /** Minutes in an hour and in a (UTC) day: periods start at multiples of these. */
    static final int HOUR = 60;
    static final int DAY = 1440;
    /** A period is rolled up once it ended this many minutes ago: most flushes of it have arrived by then. */
    static final int GRACE_MINUTES = 5;
    /**
     * Flushes and roll-ups run off the request path and may touch many rows: on PostgreSQL they get this long
     * instead of the pool's per-statement and socket time-outs (which are for the request path's lookups).
     */
    static final int BACKGROUND_TIMEOUT_MILLIS = 300_000;
    private static final int ATTEMPTS = 3;
    static final String[] TABLES = {"gk_usage_minute", "gk_usage_hour", "gk_usage_day"};
    private static final String COLUMNS = "bucket_id, start_minute, consumer_id, key_id, outcome, request_count";
    private static final String KEYED_SOURCE = "SELECT c.bucket_id AS bucket_id, CAST(? AS BIGINT) AS start_minute,"
            + " c.id AS consumer_id, k.id AS key_id, CAST(? AS VARCHAR(32)) AS outcome,"
            + " CAST(? AS BIGINT) AS request_count"
            + " FROM gk_api_key k JOIN gk_consumer c ON c.id = k.consumer_id WHERE k.public_id = ?";
    private static final String ARRAYS = " FROM unnest(CAST(? AS BIGINT[]), CAST(? AS VARCHAR[]), CAST(? AS BIGINT[]),"
            + " CAST(? AS VARCHAR[])) WITH ORDINALITY AS u(start_minute, outcome, request_count, name, ord)";
    private static final String KEYED_ROWS = "SELECT c.bucket_id, u.start_minute, c.id, k.id, u.outcome,"
            + " u.request_count" + ARRAYS + " JOIN gk_api_key k ON k.public_id = u.name"
            + " JOIN gk_consumer c ON c.id = k.consumer_id ORDER BY u.ord";
    private static final String KEYLESS_ROWS = "SELECT b.id, u.start_minute, 0, 0, u.outcome, u.request_count"
            + ARRAYS + " JOIN gk_bucket b ON b.name = u.name ORDER BY u.ord";
    private static final String KEYLESS_SOURCE = "SELECT b.id AS bucket_id, CAST(? AS BIGINT) AS start_minute,"
            + " CAST(0 AS BIGINT) AS consumer_id, CAST(0 AS BIGINT) AS key_id, CAST(? AS VARCHAR(32)) AS outcome,"
            + " CAST(? AS BIGINT) AS request_count FROM gk_bucket b WHERE b.name = ?";

    private UsageWrites() {
    }

    /** True on PostgreSQL, false on H2. */
    static boolean isPostgres(Connection connection) throws SQLException {
        return connection.getMetaData().getDatabaseProductName().startsWith("PostgreSQL");
    }

    /**
     * Adds {@code counts} in one transaction (retried on a unique-key race between two first inserts, or a
     * deadlock): all or nothing. Counts of keys or buckets that do not exist are dropped.
     */
    static void record(Connection connection, List<UsageCount> counts) throws SQLException {
        if (counts.isEmpty()) {
            return;
        }
        boolean postgres = isPostgres(connection);
        List<UsageCount> merged = periods(counts, Long.MAX_VALUE, 1);
        inTransaction(connection, postgres, () -> {
            Map<String, Long> rolled = lockRolledUntil(connection, postgres ? " FOR SHARE" : " FOR UPDATE");
            upsert(connection, postgres, TABLES[0], merged);
            Long hours = rolled.get("hour");
            if (hours != null) {
                upsert(connection, postgres, TABLES[1], periods(merged, hours, HOUR));
            }
            Long days = rolled.get("day");
            if (days != null) {
                upsert(connection, postgres, TABLES[2], periods(merged, days, DAY));
            }
        });
    }

    /**
     * The counts of minutes before {@code rolledUntil}, summed per period of {@code minutes}, in the order of their
     * first count (with {@code minutes} 1: the batch with each key, minute and outcome once).
     */
    private static List<UsageCount> periods(List<UsageCount> counts, long rolledUntil, int minutes) {
        Map<List<Object>, UsageCount> sums = new LinkedHashMap<>();
        for (UsageCount c : counts) {
            if (c.minute() < rolledUntil) {
                long start = Math.floorDiv(c.minute(), minutes) * minutes;
                sums.merge(java.util.Arrays.asList(c.bucket(), c.keyId(), start, c.outcome()),
                        new UsageCount(c.bucket(), c.keyId(), start, c.outcome(), c.count()),
                        (a, b) -> new UsageCount(a.bucket(), a.keyId(), a.minute(), a.outcome(), a.count() + b.count()));
            }
        }
        return new ArrayList<>(sums.values());
    }

    private static void upsert(Connection connection, boolean postgres, String table, List<UsageCount> counts)
            throws SQLException {
        if (counts.isEmpty()) {
            return;
        }
        if (postgres) {
            upsertArrays(connection, table, counts.stream().filter(c -> c.keyId() != null).toList(), KEYED_ROWS);
            upsertArrays(connection, table, counts.stream().filter(c -> c.keyId() == null).toList(), KEYLESS_ROWS);
            return;
        }
        try (PreparedStatement keyed = connection.prepareStatement(upsertSql(postgres, table, KEYED_SOURCE));
                PreparedStatement keyless = connection.prepareStatement(upsertSql(postgres, table, KEYLESS_SOURCE))) {
            boolean anyKeyed = false;
            boolean anyKeyless = false;
            for (UsageCount c : counts) {
                PreparedStatement statement = c.keyId() == null ? keyless : keyed;
                statement.setLong(1, c.minute());
                statement.setString(2, c.outcome());
                statement.setLong(3, c.count());
                statement.setString(4, c.keyId() == null ? c.bucket() : c.keyId());
                statement.addBatch();
                anyKeyed |= c.keyId() != null;
                anyKeyless |= c.keyId() == null;
            }
            if (anyKeyless) {
                keyless.executeBatch();
            }
            if (anyKeyed) {
                keyed.executeBatch();
            }
        }
    }

    /**
     * PostgreSQL: one statement for the whole batch, its rows passed as arrays and joined to their keys (or buckets)
     * in the database, inserted in the batch's order (so that concurrent flushes lock rows in one order). The batch
     * holds each key, minute and outcome once ({@link #merged}): one statement cannot update a row twice.
     */
    private static void upsertArrays(Connection connection, String table, List<UsageCount> counts, String rows)
            throws SQLException {
        if (counts.isEmpty()) {
            return;
        }
        Long[] minutes = new Long[counts.size()];
        String[] outcomes = new String[counts.size()];
        Long[] amounts = new Long[counts.size()];
        String[] names = new String[counts.size()];
        for (int i = 0; i < counts.size(); i++) {
            UsageCount c = counts.get(i);
            minutes[i] = c.minute();
            outcomes[i] = c.outcome();
            amounts[i] = c.count();
            names[i] = c.keyId() == null ? c.bucket() : c.keyId();
        }
        try (PreparedStatement upsert = connection.prepareStatement("INSERT INTO " + table + " (" + COLUMNS + ") "
                + rows + " ON CONFLICT (bucket_id, start_minute, consumer_id, key_id, outcome)"
                + " DO UPDATE SET request_count = " + table + ".request_count + EXCLUDED.request_count")) {
            upsert.setArray(1, connection.createArrayOf("bigint", minutes));
            upsert.setArray(2, connection.createArrayOf("varchar", outcomes));
            upsert.setArray(3, connection.createArrayOf("bigint", amounts));
            upsert.setArray(4, connection.createArrayOf("varchar", names));
            upsert.executeUpdate();
        }
    }

    static String upsertSql(boolean postgres, String table, String source) {
        if (postgres) {
            return "INSERT INTO " + table + " (" + COLUMNS + ") " + source
                    + " ON CONFLICT (bucket_id, start_minute, consumer_id, key_id, outcome)"
                    + " DO UPDATE SET request_count = " + table + ".request_count + EXCLUDED.request_count";
        }
        return "MERGE INTO " + table + " t USING (" + source + ") s ON (t.bucket_id = s.bucket_id"
                + " AND t.start_minute = s.start_minute AND t.consumer_id = s.consumer_id AND t.key_id = s.key_id"
                + " AND t.outcome = s.outcome)"
                + " WHEN MATCHED THEN UPDATE SET request_count = t.request_count + s.request_count"
                + " WHEN NOT MATCHED THEN INSERT (" + COLUMNS + ") VALUES (s.bucket_id, s.start_minute,"
                + " s.consumer_id, s.key_id, s.outcome, s.request_count)";
    }

    /**
     * Rolls closed hours (ended {@link #GRACE_MINUTES} ago) up from minutes, then the days whose hours are all rolled
     * up from hours, then deletes what {@code retention} no longer keeps, never a count not rolled up yet. One
     * transaction, holding the lock on the roll-up rows: concurrent roll-ups run one after the other, and the second
     * finds nothing left to do.
     */
    static void rollUp(Connection connection, Instant now, UsageRetention retention) throws SQLException {
        boolean postgres = isPostgres(connection);
        long nowMinute = Math.floorDiv(now.getEpochSecond(), 60);
        inTransaction(connection, postgres, () -> {
            Map<String, Long> rolled = lockRolledUntil(connection, " FOR UPDATE");
            long hours = rollUp(connection, "hour", rolled.get("hour"), TABLES[0], TABLES[1], HOUR,
                    Math.floorDiv(nowMinute - GRACE_MINUTES, HOUR) * HOUR);
            long days = rollUp(connection, "day", rolled.get("day"), TABLES[1], TABLES[2], DAY,
                    Math.floorDiv(hours, DAY) * DAY);
            delete(connection, TABLES[0], Math.min(nowMinute - retention.minutes().toMinutes(), hours));
            delete(connection, TABLES[1], Math.min(nowMinute - retention.hours().toMinutes(), days));
            delete(connection, TABLES[2], nowMinute - retention.days().toMinutes());
        });
    }

    /** Sums {@code from}'s rows of [rolledUntil, target) into {@code to}; returns the new rolled-until minute. */
    private static long rollUp(Connection connection, String granularity, Long rolledUntil, String from, String to,
            int minutes, long target) throws SQLException {
        long start = rolledUntil != null ? rolledUntil : earliest(connection, from, minutes, target);
        if (start >= target) {
            if (rolledUntil == null) {
                setRolledUntil(connection, granularity, start);
            }
            return start;
        }
        String period = "(start_minute / " + minutes + ") * " + minutes;
        try (PreparedStatement delete = connection.prepareStatement(
                "DELETE FROM " + to + " WHERE start_minute >= ? AND start_minute < ?");
                PreparedStatement insert = connection.prepareStatement("INSERT INTO " + to + " (" + COLUMNS + ")"
                        + " SELECT bucket_id, " + period + ", consumer_id, key_id, outcome, SUM(request_count)"
                        + " FROM " + from + " WHERE start_minute >= ? AND start_minute < ?"
                        + " GROUP BY bucket_id, " + period + ", consumer_id, key_id, outcome")) {
            delete.setLong(1, start);
            delete.setLong(2, target);
            delete.executeUpdate();
            insert.setLong(1, start);
            insert.setLong(2, target);
            insert.executeUpdate();
        }
        setRolledUntil(connection, granularity, target);
        return target;
    }

    /** Where a first roll-up starts: the period of the oldest row, or {@code target} when there is none. */
    private static long earliest(Connection connection, String table, int minutes, long target) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT MIN(start_minute) FROM " + table);
                ResultSet row = select.executeQuery()) {
            row.next();
            long min = row.getLong(1);
            return row.wasNull() ? target : Math.min(target, Math.floorDiv(min, minutes) * minutes);
        }
    }

    private static void setRolledUntil(Connection connection, String granularity, long minute) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement(
                "UPDATE gk_usage_rollup SET rolled_until = ? WHERE granularity = ?")) {
            update.setLong(1, minute);
            update.setString(2, granularity);
            update.executeUpdate();
        }
    }

    private static void delete(Connection connection, String table, long before) throws SQLException {
        try (PreparedStatement delete = connection.prepareStatement(
                "DELETE FROM " + table + " WHERE start_minute < ?")) {
            delete.setLong(1, before);
            delete.executeUpdate();
        }
    }

    /** The rolled-until minute of each granularity (null: never rolled up), the rows locked in one order. */
    static Map<String, Long> lockRolledUntil(Connection connection, String lock) throws SQLException {
        Map<String, Long> rolled = new LinkedHashMap<>();
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT granularity, rolled_until FROM gk_usage_rollup ORDER BY granularity" + lock);
                ResultSet rows = select.executeQuery()) {
            while (rows.next()) {
                long until = rows.getLong(2);
                rolled.put(rows.getString(1).trim(), rows.wasNull() ? null : until);
            }
        }
        return rolled;
    }

    /** SQL work in a transaction. */
    interface Work {
        void run() throws SQLException;
    }

    /**
     * Runs {@code work} in one transaction, again after a unique-key race, deadlock or serialization failure. On
     * PostgreSQL with {@link #BACKGROUND_TIMEOUT_MILLIS} as statement and socket time-out (both restored after).
     */
    static void inTransaction(Connection connection, boolean postgres, Work work) throws SQLException {
        boolean autoCommit = connection.getAutoCommit();
        Integer networkTimeout = postgres ? longNetworkTimeout(connection) : null;
        connection.setAutoCommit(false);
        SQLException failure = null;
        try {
            for (int attempt = 1;; attempt++) {
                try {
                    if (postgres) {
                        try (Statement timeout = connection.createStatement()) {
                            timeout.execute("SET LOCAL statement_timeout = " + BACKGROUND_TIMEOUT_MILLIS);
                        }
                    }
                    work.run();
                    connection.commit();
                    return;
                } catch (SQLException e) {
                    rollBack(connection, e);
                    if (attempt >= ATTEMPTS || !isRetryable(e)) {
                        failure = e;
                        throw e;
                    }
                }
            }
        } finally {
            try {
                connection.setAutoCommit(autoCommit);
                if (networkTimeout != null) {
                    connection.setNetworkTimeout(Runnable::run, networkTimeout);
                }
            } catch (SQLException e) {
                // a broken connection: the work's own failure says more (the pool discards the connection)
                if (failure == null) {
                    throw e;
                }
                failure.addSuppressed(e);
            }
        }
    }

    /**
     * Raises the connection's network (socket read) time-out to {@link #BACKGROUND_TIMEOUT_MILLIS}; returns the one to
     * restore, or null when the connection (a container's pool, say) does not let it be changed: its own time-out
     * then applies.
     */
    private static Integer longNetworkTimeout(Connection connection) {
        try {
            int previous = connection.getNetworkTimeout();
            connection.setNetworkTimeout(Runnable::run, BACKGROUND_TIMEOUT_MILLIS);
            return previous;
        } catch (SQLException | UnsupportedOperationException e) {
            return null;
        }
    }

    private static void rollBack(Connection connection, SQLException cause) {
        try {
            connection.rollback();
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
    }

    private static boolean isRetryable(SQLException e) {
        for (SQLException s = e; s != null; s = s.getNextException()) {
            String state = s.getSQLState();
            if ("23505".equals(state) || "40P01".equals(state) || "40001".equals(state)) {
                return true;
            }
        }
        return e.getCause() instanceof SQLException cause && isRetryable(cause);
    }
}
