package dev.gatekey.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.gatekey.store.Change;
import dev.gatekey.store.KeyHashes;
import dev.gatekey.store.KeyStoreException;
import dev.gatekey.store.StoredKey;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The filter SPI ({@link dev.gatekey.store.KeyStore}, {@link dev.gatekey.store.ChangeFeed}) over JPA. */
abstract class JpaKeyStoreContract extends DatabaseTestBase {

    private record Created(Bucket bucket, Consumer consumer, ApiKey key) {
    }

    private Created consumerWithKey(Map<String, Object> metadata) {
        Bucket bucket = newBucket(false);
        Consumer consumer = km.consumers().create(ACTOR, bucket.name(),
                new NewConsumer(unique("c"), null, metadata, null), true);
        return new Created(bucket, consumer, consumer.apiKeys().get(0));
    }

    @Test
    void findByHashWhenKeyActiveThenTheKeyWithItsConsumerMetadata() {
        Map<String, Object> metadata = Map.of("roles", List.of("admin", "viewer"), "tier", Map.of("level", 2));
        Created c = consumerWithKey(metadata);
        StoredKey stored = store().findByHash(KeyHashes.sha256Hex(c.key().key())).orElseThrow();
        assertThat(stored).isEqualTo(new StoredKey(c.key().id(), c.bucket().name(), c.consumer().name(), metadata,
                null, null, true));
    }

    @Test
    void findByHashWhenKeyRevokedThenReturnedWithItsRevocationDate() {
        Created c = consumerWithKey(null);
        Instant revokedAt = now();
        km.keys().revoke(ACTOR, c.bucket().name(), c.consumer().name(), c.key().id());
        clock.advance(Duration.ofHours(2));

        StoredKey revoked = store().findByHash(KeyHashes.sha256Hex(c.key().key())).orElseThrow();
        assertThat(revoked.revokedOn()).isEqualTo(revokedAt);
        assertThat(revoked.isRevokedAt(clock.instant())).isTrue();
    }

    @Test
    void findByHashWhenKeyExpiredThenReturnedWithItsExpiry() {
        Created c = consumerWithKey(null);
        Instant expiry = now().plus(Duration.ofHours(1));
        ApiKey expiring = km.keys().create(ACTOR, c.bucket().name(), c.consumer().name(), null, expiry);
        clock.advance(Duration.ofHours(2));

        StoredKey expired = store().findByHash(KeyHashes.sha256Hex(expiring.key())).orElseThrow();
        assertThat(expired.expiresOn()).isEqualTo(expiry);
        assertThat(expired.isExpiredAt(clock.instant())).isTrue();
        assertThat(expired.revokedOn()).isNull();
    }

    @Test
    void findByHashWhenKeyUnknownThenEmpty() {
        assertThat(store().findByHash(KeyHashes.sha256Hex("demo_live_nothing"))).isEmpty();
    }

    @Test
    void forEachKeyHashWhenKeysActiveAndRevokedThenListsEveryKey() {
        Created c = consumerWithKey(null);
        ApiKey revoked = km.keys().create(ACTOR, c.bucket().name(), c.consumer().name(), null, null);
        km.keys().revoke(ACTOR, c.bucket().name(), c.consumer().name(), revoked.id());
        List<String> hashes = new java.util.ArrayList<>();

        assertThat(store().forEachKeyHash(hashes::add)).isTrue();

        assertThat(hashes).contains(KeyHashes.sha256Hex(c.key().key()), KeyHashes.sha256Hex(revoked.key()))
                .allMatch(h -> h.length() == 64);
    }

    @Test
    void recordLastUsedWhenBatchesArriveOutOfOrderThenNeverMovesBackwards() {
        Created c = consumerWithKey(null);
        ApiKey second = km.keys().create(ACTOR, c.bucket().name(), c.consumer().name(), null, null);
        Instant t1 = now().plusSeconds(10);
        Instant t2 = now().plusSeconds(20);
        Map<String, Instant> batch = new LinkedHashMap<>();
        batch.put(c.key().id(), t2);
        batch.put(second.id(), t1);
        batch.put("key_unknown", t1);
        store().recordLastUsed(batch);
        store().recordLastUsed(Map.of(c.key().id(), t1, second.id(), t2));

        assertThat(km.keys().get(c.bucket().name(), c.consumer().name(), c.key().id(), KeyFormat.NONE).lastUsedOn())
                .isEqualTo(t2);
        assertThat(km.keys().get(c.bucket().name(), c.consumer().name(), second.id(), KeyFormat.NONE).lastUsedOn())
                .isEqualTo(t2);
        store().recordLastUsed(Map.of());
    }

    @Test
    void changesAfterWhenMoreChangesThanTheLimitThenOldestFirstUpToIt() {
        JpaKeyStore store = store();
        long start = store.latestPosition();
        Created c = consumerWithKey(null);
        long created = store.latestPosition();
        km.keys().flushCaches(ACTOR);
        km.keys().revoke(ACTOR, c.bucket().name(), c.consumer().name(), c.key().id());
        km.keys().flushCaches(ACTOR);

        List<Change> firstTwo = store.changesAfter(created, 2);
        assertThat(firstTwo).extracting(Change::type).containsExactly(Change.Type.FLUSH, Change.Type.KEY);
        assertThat(firstTwo.get(1).keyHash()).isEqualTo(KeyHashes.sha256Hex(c.key().key()));
        assertThat(firstTwo.get(0).position()).isGreaterThan(created).isLessThan(firstTwo.get(1).position());
        assertThat(created).isGreaterThan(start);
        List<Change> rest = store.changesAfter(firstTwo.get(1).position(), 10);
        assertThat(rest).extracting(Change::type).containsExactly(Change.Type.FLUSH);
        assertThat(store.latestPosition()).isEqualTo(rest.get(0).position());
        assertThat(store.changesAfter(store.latestPosition(), 10)).isEmpty();
    }

    @Test
    void pruneBeforeWhenChangesOlderAndNewerThenOnlyOlderDeleted() {
        JpaKeyStore store = store();
        km.keys().flushCaches(ACTOR);
        clock.advance(Duration.ofDays(2));
        Instant cutoff = now();
        long before = store.latestPosition();
        km.keys().flushCaches(ACTOR);
        long newest = store.latestPosition();

        assertThat(store.pruneBefore(cutoff)).isGreaterThanOrEqualTo(1);
        assertThat(store.changesAfter(0, 1000)).extracting(Change::position).containsExactly(newest);
        assertThat(newest).isGreaterThan(before);
    }

    @Test
    void whenDatabaseDownThenEveryOperationThrowsKeyStoreException() {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(db.jdbcUrl);
        config.setMaximumPoolSize(2);
        config.setConnectionTimeout(1_000);
        HikariDataSource pool = new HikariDataSource(config);
        try (GatekeyDatabase database = GatekeyDatabase.open(pool)) {
            JpaKeyStore store = new JpaKeyStore(database);
            assertThat(store.latestPosition()).isGreaterThanOrEqualTo(0);
            pool.close();

            assertThatThrownBy(() -> store.findByHash(KeyHashes.sha256Hex("x")))
                    .isInstanceOf(KeyStoreException.class).hasMessageStartingWith("findByHash failed");
            assertThatThrownBy(() -> store.findKeyPrefix("any")).isInstanceOf(KeyStoreException.class);
            assertThatThrownBy(() -> store.forEachKeyHash(h -> { })).isInstanceOf(KeyStoreException.class)
                    .hasMessageStartingWith("forEachKeyHash failed");
            assertThatThrownBy(() -> store.recordLastUsed(Map.of("key_x", Instant.EPOCH)))
                    .isInstanceOf(KeyStoreException.class);
            assertThatThrownBy(store::latestPosition).isInstanceOf(KeyStoreException.class);
            assertThatThrownBy(() -> store.changesAfter(0, 10)).isInstanceOf(KeyStoreException.class);
        }
    }
}
