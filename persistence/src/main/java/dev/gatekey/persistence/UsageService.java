package dev.gatekey.persistence;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Usage analytics: what the filters counted (requests per key, per minute, per outcome, and per bucket for refusals
 * before any key was known), as time series of a consumer or a bucket and as a bucket's top consumers. Get one from
 * {@link KeyManagement#usage()}.
 *
 * <p>The filters write the counts ({@code KeyStore.recordUsage}) and roll minutes up into hours and days
 * ({@code KeyStore.rollUpUsage}); this service only reads, in one snapshot per call. Counts reach it within the
 * filters' {@code usageFlushSeconds}.
 *
 * <p>Errors are typed: {@link InvalidInputException} (400) for a bad range or limit, {@link NotFoundException} (404)
 * for an unknown bucket or consumer, {@link DatabaseUnavailableException} (503) for every failure of the database.
 * Thread-safe.
 */
public final class UsageService {

    /** Consumers in a top list without a limit. */
    public static final int DEFAULT_TOP_LIMIT = 10;
    /** The longest top list. */
    public static final int MAX_TOP_LIMIT = 100;
    /** Top lists over ranges up to this long count hours; longer ones count whole days. */
    public static final Duration TOP_HOURLY_UP_TO = UsageGranularity.HOUR.maxRange();

    private final GatekeyDatabase database;
    private final Clock clock;

    UsageService(GatekeyDatabase database, Clock clock) {
        this.database = database;
        this.clock = clock;
    }

    /**
     * The range of the admin API's {@code from}, {@code to} and {@code granularity} (each may be null: see
     * {@link UsageRange#parse}).
     *
     * @throws InvalidInputException naming each bad parameter
     */
    public UsageRange range(String from, String to, String granularity) {
        return UsageRange.parse(from, to, granularity, clock.instant());
    }

    /**
     * The range of a top list: {@code from} and {@code to} as in {@link #range}, by default the last 30 days, at most
     * 400 days; counted in hours up to {@link #TOP_HOURLY_UP_TO}, else in days.
     */
    public UsageRange topRange(String from, String to) {
        UsageRange days = UsageRange.parse(from, to, UsageGranularity.DAY.apiName(), clock.instant());
        return Duration.between(days.from(), days.to()).compareTo(TOP_HOURLY_UP_TO) <= 0
                ? new UsageRange(days.from(), days.to(), UsageGranularity.HOUR) : days;
    }

    /**
     * A consumer's requests per period and outcome, oldest first; periods without requests are left out.
     *
     * @throws NotFoundException when the bucket or the consumer does not exist
     */
    public List<UsagePoint> consumer(String bucket, String consumer, UsageRange range) {
        Objects.requireNonNull(range, "range");
        return read(connection -> {
            long bucketId = bucketId(connection, bucket);
            return UsageReads.series(connection, bucketId, consumerId(connection, bucketId, consumer), range);
        });
    }

    /**
     * All requests of a bucket's keys (and the bucket's refusals before any key was known) per period and outcome.
     *
     * @throws NotFoundException when the bucket does not exist
     */
    public List<UsagePoint> bucket(String bucket, UsageRange range) {
        Objects.requireNonNull(range, "range");
        return read(connection -> UsageReads.series(connection, bucketId(connection, bucket), null, range));
    }

    /**
     * The consumers of a bucket with the most valid requests in the range, most first (ties by name).
     *
     * @param limit 1..{@value #MAX_TOP_LIMIT}, or null for {@value #DEFAULT_TOP_LIMIT}
     * @throws InvalidInputException for a limit out of bounds
     * @throws NotFoundException when the bucket does not exist
     */
    public List<ConsumerUsage> top(String bucket, UsageRange range, Integer limit) {
        Objects.requireNonNull(range, "range");
        int n = limit == null ? DEFAULT_TOP_LIMIT : limit;
        if (n < 1 || n > MAX_TOP_LIMIT) {
            throw new InvalidInputException("limit", "limit must be between 1 and " + MAX_TOP_LIMIT);
        }
        return read(connection -> UsageReads.top(connection, bucketId(connection, bucket), range, n));
    }

    private static long bucketId(Connection connection, String bucket) throws SQLException {
        Long id = id(connection, "SELECT id FROM gk_bucket WHERE name = ?", bucket, null);
        if (id == null) {
            throw new NotFoundException("bucket", bucket);
        }
        return id;
    }

    private static long consumerId(Connection connection, long bucketId, String consumer) throws SQLException {
        Long id = id(connection, "SELECT id FROM gk_consumer WHERE active_name = ? AND bucket_id = ?", consumer,
                bucketId);
        if (id == null) {
            throw new NotFoundException("consumer", consumer);
        }
        return id;
    }

    private static Long id(Connection connection, String sql, String name, Long bucketId) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(sql)) {
            select.setString(1, name);
            if (bucketId != null) {
                select.setLong(2, bucketId);
            }
            try (ResultSet row = select.executeQuery()) {
                return row.next() ? row.getLong(1) : null;
            }
        }
    }

    /** Reads on one connection. */
    private interface Read<T> {
        T run(Connection connection) throws SQLException;
    }

    /** One read-only, repeatable-read transaction: the roll-up marks and the rows are of one snapshot. */
    private <T> T read(Read<T> work) {
        try (Connection connection = database.startedDataSource().getConnection()) {
            boolean autoCommit = connection.getAutoCommit();
            int isolation = connection.getTransactionIsolation();
            connection.setAutoCommit(false);
            connection.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            try {
                return work.run(connection);
            } finally {
                connection.rollback();
                connection.setTransactionIsolation(isolation);
                connection.setAutoCommit(autoCommit);
            }
        } catch (SQLException e) {
            throw new DatabaseUnavailableException("the database is unavailable", e);
        } catch (GatekeyException e) {
            throw e;
        } catch (RuntimeException e) {
            throw Transactions.unavailable(e);
        }
    }
}
