package dev.gatekey.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.gatekey.store.UsageCount;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Usage counts written through {@link JpaKeyStore#recordUsage} and read through {@link UsageService}; the range
 * and limit checks of the admin API's usage routes.
 */
abstract class UsageContract extends DatabaseTestBase {

    /** 2030-01-01T10:00Z in minutes. */
    static final long TEN = Instant.parse("2030-01-01T10:00:00Z").getEpochSecond() / 60;

    static UsageCount count(Bucket bucket, Consumer consumer, long minute, String outcome, long n) {
        return new UsageCount(bucket.name(), consumer == null ? null : consumer.apiKeys().get(0).id(), minute,
                outcome, n);
    }

    static Instant at(long minute) {
        return Instant.ofEpochSecond(minute * 60);
    }

    UsageRange minutes(long from, long to) {
        return UsageRange.of(at(from), at(to), UsageGranularity.MINUTE);
    }

    @Test
    void recordUsageWhenSameKeyAndMinuteReportedTwiceThenAddedUp() {
        Bucket bucket = newBucket(false);
        Consumer alice = newConsumerWithKey(bucket);

        store().recordUsage(List.of(count(bucket, alice, TEN, "valid", 3)));
        store().recordUsage(List.of(count(bucket, alice, TEN, "valid", 4), count(bucket, alice, TEN, "revoked", 1)));

        assertThat(km.usage().consumer(bucket.name(), alice.name(), minutes(TEN, TEN + 1))).containsExactly(
                new UsagePoint(at(TEN), "revoked", 1), new UsagePoint(at(TEN), "valid", 7));
    }

    @Test
    void recordUsageWhenRefusedWithoutKeyThenCountedForBucketOnly() {
        Bucket bucket = newBucket(false);
        Consumer alice = newConsumerWithKey(bucket);

        store().recordUsage(List.of(count(bucket, null, TEN, "bad_checksum", 2), count(bucket, alice, TEN, "valid", 5)));

        assertThat(km.usage().bucket(bucket.name(), minutes(TEN, TEN + 1))).containsExactly(
                new UsagePoint(at(TEN), "bad_checksum", 2), new UsagePoint(at(TEN), "valid", 5));
        assertThat(km.usage().consumer(bucket.name(), alice.name(), minutes(TEN, TEN + 1))).containsExactly(
                new UsagePoint(at(TEN), "valid", 5));
    }

    @Test
    void recordUsageWhenKeyOrBucketUnknownThenDroppedAndTheRestWritten() {
        Bucket bucket = newBucket(false);
        Consumer alice = newConsumerWithKey(bucket);

        store().recordUsage(List.of(new UsageCount(bucket.name(), "key_doesnotexist", TEN, "valid", 1),
                new UsageCount("no-such-bucket", null, TEN, "missing", 1), count(bucket, alice, TEN, "valid", 1)));

        assertThat(km.usage().bucket(bucket.name(), minutes(TEN, TEN + 1))).containsExactly(
                new UsagePoint(at(TEN), "valid", 1));
    }

    @Test
    void consumerWhenHourGranularityThenMinutesSummedPerUtcHour() {
        Bucket bucket = newBucket(false);
        Consumer alice = newConsumerWithKey(bucket);
        store().recordUsage(List.of(count(bucket, alice, TEN - 1, "valid", 1), count(bucket, alice, TEN, "valid", 2),
                count(bucket, alice, TEN + 59, "valid", 3), count(bucket, alice, TEN + 60, "valid", 4)));

        List<UsagePoint> hours = km.usage().consumer(bucket.name(), alice.name(),
                UsageRange.of(at(TEN - 60), at(TEN + 120), UsageGranularity.HOUR));

        assertThat(hours).containsExactly(new UsagePoint(at(TEN - 60), "valid", 1),
                new UsagePoint(at(TEN), "valid", 5), new UsagePoint(at(TEN + 60), "valid", 4));
    }

    @Test
    void topWhenConsumersUsedThenMostValidRequestsFirstUpToLimit() {
        Bucket bucket = newBucket(false);
        Consumer a = newConsumerWithKey(bucket);
        Consumer b = newConsumerWithKey(bucket);
        Consumer c = newConsumerWithKey(bucket);
        store().recordUsage(List.of(count(bucket, a, TEN, "valid", 5), count(bucket, b, TEN, "valid", 9),
                count(bucket, b, TEN, "rate_limited", 100), count(bucket, c, TEN, "revoked", 50),
                count(bucket, a, TEN + 1, "valid", 1)));

        List<ConsumerUsage> top = km.usage().top(bucket.name(),
                UsageRange.of(at(TEN), at(TEN + 60), UsageGranularity.HOUR), 2);

        assertThat(top).containsExactly(new ConsumerUsage(b.name(), 9), new ConsumerUsage(a.name(), 6));
    }

    @Test
    void consumerWhenBucketOrConsumerUnknownThenNotFound() {
        Bucket bucket = newBucket(false);

        assertThatThrownBy(() -> km.usage().consumer(bucket.name(), "nobody", minutes(TEN, TEN + 1)))
                .isInstanceOf(NotFoundException.class).hasMessage("consumer nobody not found");
        assertThatThrownBy(() -> km.usage().bucket("no-such-bucket", minutes(TEN, TEN + 1)))
                .isInstanceOf(NotFoundException.class).hasMessage("bucket no-such-bucket not found");
    }

    @Test
    void rangeWhenParametersAbsentThenLast24HoursByHour() {
        clock.set(Instant.parse("2030-01-02T00:00:00Z"));

        assertThat(km.usage().range(null, null, null)).isEqualTo(new UsageRange(
                Instant.parse("2030-01-01T00:00:00Z"), Instant.parse("2030-01-02T00:00:00Z"), UsageGranularity.HOUR));
    }

    @Test
    void rangeWhenNonsenseThenEveryBadParameterNamed() {
        assertThatThrownBy(() -> km.usage().range("yesterday", "2030-13-01T00:00:00Z", "week"))
                .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.errors()).containsExactly(
                        new FieldError("granularity", "granularity must be minute, hour or day"),
                        new FieldError("to", "to must be an ISO-8601 UTC instant, e.g. 2026-01-31T00:00:00Z"),
                        new FieldError("from", "from must be an ISO-8601 UTC instant, e.g. 2026-01-31T00:00:00Z")));
    }

    @Test
    void rangeWhenFromNotBeforeToThenRefused() {
        assertThat(errorOf(() -> km.usage().range("2030-01-02T00:00:00Z", "2030-01-01T00:00:00Z", "hour")))
                .isEqualTo(new FieldError("from", "from must be before to"));
    }

    @Test
    void rangeWhenLongerThanGranularityAllowsThenRefused() {
        assertThat(errorOf(() -> km.usage().range("2030-01-01T00:00:00Z", "2030-01-03T00:00:01Z", "minute")))
                .isEqualTo(new FieldError("from", "from must be at most 48 hours before to with granularity minute"));
        assertThat(errorOf(() -> km.usage().range("2030-01-01T00:00:00Z", "2030-04-02T00:00:00Z", "hour")))
                .isEqualTo(new FieldError("from", "from must be at most 90 days before to with granularity hour"));
        assertThat(errorOf(() -> km.usage().range("2030-01-01T00:00:00Z", "2031-03-01T00:00:00Z", "day")))
                .isEqualTo(new FieldError("from", "from must be at most 400 days before to with granularity day"));
        assertThat(km.usage().range("2030-01-01T00:00:00Z", "2030-01-03T00:00:00Z", "minute").granularity())
                .isEqualTo(UsageGranularity.MINUTE);
    }

    @Test
    void topWhenLimitOutOfBoundsThenRefused() {
        Bucket bucket = newBucket(false);
        UsageRange range = km.usage().topRange(null, null);

        assertThat(errorOf(() -> km.usage().top(bucket.name(), range, 0)))
                .isEqualTo(new FieldError("limit", "limit must be between 1 and 100"));
        assertThat(errorOf(() -> km.usage().top(bucket.name(), range, 101)))
                .isEqualTo(new FieldError("limit", "limit must be between 1 and 100"));
    }

    @Test
    void topRangeWhenLongerThan90DaysThenCountedInDays() {
        assertThat(km.usage().topRange("2030-01-01T00:00:00Z", "2030-03-01T00:00:00Z").granularity())
                .isEqualTo(UsageGranularity.HOUR);
        assertThat(km.usage().topRange("2030-01-01T00:00:00Z", "2030-06-01T00:00:00Z").granularity())
                .isEqualTo(UsageGranularity.DAY);
    }

    /** Two nodes (two stores, each with its own pool) report the same key and minute at once: the totals add up. */
    @Test
    void recordUsageWhenTwoNodesReportSameKeyAndMinuteConcurrentlyThenTotalsAddUp() throws Exception {
        Bucket bucket = newBucket(false);
        List<Consumer> consumers = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            consumers.add(newConsumerWithKey(bucket));
        }
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(db.jdbcUrl);
        config.setMaximumPoolSize(4);
        int rounds = 40;
        try (HikariDataSource otherPool = new HikariDataSource(config);
                GatekeyDatabase other = GatekeyDatabase.open(otherPool)) {
            List<JpaKeyStore> nodes = List.of(store(), new JpaKeyStore(other));
            ExecutorService pool = Executors.newFixedThreadPool(4);
            try {
                List<Callable<Void>> writers = new ArrayList<>();
                for (int w = 0; w < 4; w++) {
                    JpaKeyStore node = nodes.get(w % 2);
                    writers.add(() -> {
                        for (int r = 0; r < rounds; r++) {
                            List<UsageCount> batch = new ArrayList<>();
                            for (Consumer c : consumers) {
                                batch.add(count(bucket, c, TEN, "valid", 1));
                            }
                            batch.add(count(bucket, null, TEN, "unknown", 1));
                            node.recordUsage(batch);
                        }
                        return null;
                    });
                }
                for (Future<Void> f : pool.invokeAll(writers)) {
                    f.get(60, TimeUnit.SECONDS);
                }
            } finally {
                pool.shutdownNow();
            }
        }

        for (Consumer c : consumers) {
            assertThat(km.usage().consumer(bucket.name(), c.name(), minutes(TEN, TEN + 1)))
                    .containsExactly(new UsagePoint(at(TEN), "valid", 4L * rounds));
        }
        assertThat(km.usage().bucket(bucket.name(), minutes(TEN, TEN + 1))).containsExactly(
                new UsagePoint(at(TEN), "unknown", 4L * rounds), new UsagePoint(at(TEN), "valid", 5 * 4L * rounds));
    }
}
