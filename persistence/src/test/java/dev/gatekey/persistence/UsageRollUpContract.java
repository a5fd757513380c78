package dev.gatekey.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.gatekey.format.ApiKeyFormat;
import dev.gatekey.store.UsageCount;
import dev.gatekey.store.UsageRetention;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Roll-ups of minutes into hours and days, and retention, on a fresh database per test (the roll-up marks are
 * database-wide): period boundaries in UTC, with the clock given to each roll-up.
 */
abstract class UsageRollUpContract {

    private static final Instant DAY_ONE = Instant.parse("2030-03-01T00:00:00Z");
    private static final long D1 = DAY_ONE.getEpochSecond() / 60;

    private TestDatabase db;
    private KeyManagement km;
    private JpaKeyStore store;
    private Bucket bucket;
    private Consumer alice;

    abstract TestDatabase openDatabase();

    @BeforeEach
    void open() {
        db = openDatabase();
        assumeTrue(db != null, TestDatabase.PG_SKIPPED);
        km = new KeyManagement(db.database, ApiKeyFormat.crc32(), null, new MutableClock(DAY_ONE));
        store = new JpaKeyStore(db.database);
        bucket = km.buckets().create("t", "roll-up", null, "roll_up", false);
        alice = km.consumers().create("t", bucket.name(), NewConsumer.named("alice"), true);
    }

    @AfterEach
    void close() {
        if (db != null) {
            db.close();
        }
    }

    private UsageCount valid(long minute, long n) {
        return new UsageCount(bucket.name(), alice.apiKeys().get(0).id(), minute, "valid", n);
    }

    private static Instant at(long minute) {
        return Instant.ofEpochSecond(minute * 60);
    }

    private List<String> rows(String table) {
        return db.strings("SELECT start_minute, request_count FROM " + table + " ORDER BY start_minute");
    }

    private static String row(long minute, long count) {
        return minute + "|" + count;
    }

    private List<UsagePoint> series(long from, long to, UsageGranularity granularity) {
        return km.usage().consumer(bucket.name(), alice.name(), UsageRange.of(at(from), at(to), granularity));
    }

    @Test
    void rollUpWhenHourClosedLessThanGraceAgoThenNotRolledUp() {
        store.recordUsage(List.of(valid(D1 + 59, 1)));

        store.rollUpUsage(at(D1 + 60 + UsageWrites.GRACE_MINUTES - 1), UsageRetention.DEFAULT);

        assertThat(rows("gk_usage_hour")).isEmpty();
    }

    @Test
    void rollUpWhenHourClosedThenItsMinutesSummedIntoTheHourUpToItsLastMinute() {
        store.recordUsage(List.of(valid(D1, 1), valid(D1 + 59, 2), valid(D1 + 60, 4)));

        store.rollUpUsage(at(D1 + 60 + UsageWrites.GRACE_MINUTES), UsageRetention.DEFAULT);

        assertThat(rows("gk_usage_hour")).containsExactly(row(D1, 3));
        assertThat(series(D1, D1 + 120, UsageGranularity.HOUR)).as("the open hour from minutes").containsExactly(
                new UsagePoint(at(D1), "valid", 3), new UsagePoint(at(D1 + 60), "valid", 4));
    }

    @Test
    void rollUpWhenRunAgainOrByTwoNodesAtOnceThenEachPeriodCountedOnce() throws Exception {
        store.recordUsage(List.of(valid(D1 + 10, 5), valid(D1 + 70, 6)));
        Instant later = at(D1 + 3 * 1440);
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(db.jdbcUrl);
        try (HikariDataSource pool = new HikariDataSource(config); GatekeyDatabase other = GatekeyDatabase.open(pool)) {
            JpaKeyStore node2 = new JpaKeyStore(other);
            CompletableFuture<Void> a = CompletableFuture.runAsync(() -> store.rollUpUsage(later, UsageRetention.DEFAULT));
            CompletableFuture<Void> b = CompletableFuture.runAsync(() -> node2.rollUpUsage(later, UsageRetention.DEFAULT));
            a.get(60, TimeUnit.SECONDS);
            b.get(60, TimeUnit.SECONDS);
        }
        store.rollUpUsage(later, UsageRetention.DEFAULT);

        assertThat(rows("gk_usage_hour")).containsExactly(row(D1, 5), row(D1 + 60, 6));
        assertThat(rows("gk_usage_day")).containsExactly(row(D1, 11));
        assertThat(series(D1, D1 + 1440, UsageGranularity.DAY)).containsExactly(new UsagePoint(at(D1), "valid", 11));
    }

    @Test
    void rollUpWhenDayEndsThenDaysSplitAtMidnightUtc() {
        store.recordUsage(List.of(valid(D1 - 1, 1), valid(D1, 2), valid(D1 + 1439, 3), valid(D1 + 1440, 4)));

        store.rollUpUsage(at(D1 + 1440 + 60 + UsageWrites.GRACE_MINUTES), UsageRetention.DEFAULT);

        assertThat(rows("gk_usage_day")).containsExactly(row(D1 - 1440, 1), row(D1, 5));
        assertThat(series(D1 - 1440, D1 + 2 * 1440, UsageGranularity.DAY)).containsExactly(
                new UsagePoint(at(D1 - 1440), "valid", 1), new UsagePoint(at(D1), "valid", 5),
                new UsagePoint(at(D1 + 1440), "valid", 4));
    }

    @Test
    void recordUsageWhenLateForPeriodsAlreadyRolledUpThenAddedToHourAndDayToo() {
        store.recordUsage(List.of(valid(D1 + 5, 1)));
        store.rollUpUsage(at(D1 + 2 * 1440), UsageRetention.DEFAULT);

        store.recordUsage(List.of(valid(D1 + 6, 10)));

        assertThat(rows("gk_usage_hour")).containsExactly(row(D1, 11));
        assertThat(rows("gk_usage_day")).containsExactly(row(D1, 11));
        assertThat(series(D1, D1 + 1440, UsageGranularity.DAY)).containsExactly(new UsagePoint(at(D1), "valid", 11));
    }

    @Test
    void rollUpWhenRetentionPassedThenOldRowsDeletedOnlyOnceRolledUp() {
        UsageRetention retention = new UsageRetention(Duration.ofHours(1), Duration.ofDays(1), Duration.ofDays(2));
        store.recordUsage(List.of(valid(D1, 1), valid(D1 + 1440, 2)));

        store.rollUpUsage(at(D1 + 1440 + 30), retention);

        assertThat(rows("gk_usage_minute")).as("older than an hour: gone").containsExactly(row(D1 + 1440, 2));
        assertThat(rows("gk_usage_hour")).as("older than a day and rolled up into its day: gone").isEmpty();
        assertThat(rows("gk_usage_day")).containsExactly(row(D1, 1));

        store.rollUpUsage(at(D1 + 3 * 1440), retention);

        assertThat(rows("gk_usage_minute")).isEmpty();
        assertThat(rows("gk_usage_hour")).isEmpty();
        assertThat(rows("gk_usage_day")).containsExactly(row(D1 + 1440, 2));
    }
}
