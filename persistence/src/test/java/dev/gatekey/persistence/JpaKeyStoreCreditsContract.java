package dev.gatekey.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatekey.store.Change;
import dev.gatekey.store.CreditLease;
import dev.gatekey.store.CreditPolicy;
import dev.gatekey.store.KeyHashes;
import dev.gatekey.store.KeyPolicy;
import dev.gatekey.store.StoredKey;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** {@link JpaKeyStore}'s side of key policies: reading them, leasing and returning credits. */
abstract class JpaKeyStoreCreditsContract extends DatabaseTestBase {

    private static final Instant DUE = Instant.parse("2030-01-01T00:00:00Z");

    private ApiKey newKey() {
        return newConsumerWithKey(newBucket(false)).apiKeys().get(0);
    }

    /** Sets the policy columns directly: the services writing them belong to the admin side. */
    private void setColumns(String keyId, String sql, Object... values) {
        try (Connection c = db.dataSource.getConnection();
                PreparedStatement update = c.prepareStatement("UPDATE gk_api_key SET " + sql + " WHERE public_id = ?")) {
            for (int i = 0; i < values.length; i++) {
                if (values[i] instanceof Instant instant) {
                    update.setObject(i + 1, instant.atOffset(ZoneOffset.UTC), Types.TIMESTAMP_WITH_TIMEZONE);
                } else {
                    update.setObject(i + 1, values[i]);
                }
            }
            update.setString(values.length + 1, keyId);
            assertThat(update.executeUpdate()).isEqualTo(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private long remaining(String keyId) {
        return Long.parseLong(db.strings("SELECT credits_remaining FROM gk_api_key WHERE public_id = '" + keyId + "'")
                .get(0));
    }

    private long generation(String keyId) {
        return Long.parseLong(db.strings("SELECT credits_generation FROM gk_api_key WHERE public_id = '" + keyId
                + "'").get(0));
    }

    private void dailyRefillDue(String keyId, long remaining, long amount) {
        setColumns(keyId, "credits_remaining = ?, refill_interval = 'daily', refill_amount = ?, next_refill_at = ?",
                remaining, amount, DUE);
    }

    @Test
    void findByHashWhenNoPolicyThenNone() {
        ApiKey key = newKey();
        assertThat(store().findByHash(KeyHashes.sha256Hex(key.key())).orElseThrow().policy()).isSameAs(KeyPolicy.NONE);
    }

    @Test
    void findByHashWhenPolicyColumnsSetThenPolicyRead() {
        ApiKey key = newKey();
        setColumns(key.id(), "scopes = ?, allowed_ips = ?, credits_remaining = ?, credits_generation = ?,"
                + " refill_interval = 'monthly', refill_amount = ?, refill_day = ?, next_refill_at = ?",
                "[\"orders:read\",\"orders:write\"]", "[\"10.0.0.0/8\",\"::1\"]", 7L, 3L, 100L, 15,
                Instant.parse("2030-01-15T00:00:00Z"));

        StoredKey stored = store().findByHash(KeyHashes.sha256Hex(key.key())).orElseThrow();

        assertThat(stored.policy()).isEqualTo(new KeyPolicy(Set.of("orders:read", "orders:write"),
                List.of("10.0.0.0/8", "::1"), new CreditPolicy(7, 3,
                        new CreditPolicy.Refill(CreditPolicy.Interval.MONTHLY, 100, 15),
                        Instant.parse("2030-01-15T00:00:00Z"))));
    }

    @Test
    void findByHashWhenLimitedWithoutRefillThenCreditsWithoutRefill() {
        ApiKey key = newKey();
        setColumns(key.id(), "credits_remaining = ?", 0L);
        assertThat(store().findByHash(KeyHashes.sha256Hex(key.key())).orElseThrow().policy())
                .isEqualTo(new KeyPolicy(Set.of(), List.of(), new CreditPolicy(0, 0, null, null)));
    }

    @Test
    void leaseCreditsWhenEnoughThenGrantedAndDecremented() {
        ApiKey key = newKey();
        setColumns(key.id(), "credits_remaining = ?, credits_generation = ?", 10L, 4L);

        assertThat(store().leaseCredits(key.id(), 3, now())).isEqualTo(new CreditLease(3, 4, null));
        assertThat(remaining(key.id())).isEqualTo(7);
    }

    @Test
    void leaseCreditsWhenFewerLeftThenGrantsWhatIsLeftAndStopsAtZero() {
        ApiKey key = newKey();
        setColumns(key.id(), "credits_remaining = ?", 2L);

        assertThat(store().leaseCredits(key.id(), 5, now()).granted()).isEqualTo(2);
        assertThat(store().leaseCredits(key.id(), 5, now()).granted()).isZero();
        assertThat(remaining(key.id())).isZero();
    }

    @Test
    void leaseCreditsWhenUnlimitedThenGrantsWantAndWritesNothing() {
        ApiKey key = newKey();
        assertThat(store().leaseCredits(key.id(), 5, now()).granted()).isEqualTo(5);
        assertThat(db.strings("SELECT credits_remaining FROM gk_api_key WHERE public_id = '" + key.id() + "'").get(0))
                .isNull();
    }

    @Test
    void leaseCreditsWhenRefillDueThenRefilledOnceWithChangeRowAndNextScheduled() {
        ApiKey key = newKey();
        dailyRefillDue(key.id(), 1, 50);
        long position = store().latestPosition();
        Instant now = Instant.parse("2030-01-01T10:00:00Z");

        CreditLease lease = store().leaseCredits(key.id(), 5, now);

        assertThat(lease).isEqualTo(new CreditLease(5, 1, Instant.parse("2030-01-02T00:00:00Z")));
        assertThat(remaining(key.id())).isEqualTo(45);
        List<Change> changes = changesSince(position);
        assertThat(changes).singleElement().satisfies(change -> {
            assertThat(change.type()).isEqualTo(Change.Type.KEY);
            assertThat(change.keyHash()).isEqualTo(KeyHashes.sha256Hex(key.key()));
        });
        assertThat(store().leaseCredits(key.id(), 5, now).generation()).isEqualTo(1);
        assertThat(changesSince(position)).hasSize(1);
    }

    @Test
    void leaseCreditsWhenRefillNotDueThenNoRefill() {
        ApiKey key = newKey();
        dailyRefillDue(key.id(), 1, 50);

        assertThat(store().leaseCredits(key.id(), 5, DUE.minusSeconds(1))).isEqualTo(new CreditLease(1, 0, DUE));
    }

    @Test
    void leaseCreditsWhenNodesRaceForARefillThenAppliedOnce() throws Exception {
        ApiKey key = newKey();
        dailyRefillDue(key.id(), 0, 100);
        long position = store().latestPosition();
        Instant now = Instant.parse("2030-01-01T10:00:00Z");

        List<CreditLease> leases = concurrently(8, () -> store().leaseCredits(key.id(), 10, now));

        assertThat(leases).allSatisfy(lease -> assertThat(lease.granted()).isEqualTo(10));
        assertThat(remaining(key.id())).isEqualTo(20);
        assertThat(generation(key.id())).isEqualTo(1);
        assertThat(changesSince(position)).hasSize(1);
    }

    @Test
    void leaseCreditsWhenConcurrentThenNeverMoreThanRemaining() throws Exception {
        ApiKey key = newKey();
        setColumns(key.id(), "credits_remaining = ?", 100L);

        List<CreditLease> leases = concurrently(40, () -> store().leaseCredits(key.id(), 3, now()));

        assertThat(leases.stream().mapToLong(CreditLease::granted).sum()).isEqualTo(100);
        assertThat(remaining(key.id())).isZero();
    }

    @Test
    void returnCreditsWhenSameGenerationThenAddedBack() {
        ApiKey key = newKey();
        setColumns(key.id(), "credits_remaining = ?, credits_generation = ?", 10L, 2L);
        CreditLease lease = store().leaseCredits(key.id(), 6, now());

        store().returnCredits(key.id(), 4, lease.generation());

        assertThat(remaining(key.id())).isEqualTo(8);
    }

    @Test
    void returnCreditsWhenGenerationChangedThenIgnored() {
        ApiKey key = newKey();
        setColumns(key.id(), "credits_remaining = ?, credits_generation = ?", 10L, 2L);
        CreditLease lease = store().leaseCredits(key.id(), 6, now());
        setColumns(key.id(), "credits_remaining = ?, credits_generation = ?", 500L, 3L);

        store().returnCredits(key.id(), 4, lease.generation());

        assertThat(remaining(key.id())).isEqualTo(500);
    }

    @Test
    void leaseCreditsWhenSpendingThenGenerationUnchanged() {
        ApiKey key = newKey();
        setColumns(key.id(), "credits_remaining = ?, credits_generation = ?", 10L, 2L);
        store().leaseCredits(key.id(), 6, now());
        assertThat(generation(key.id())).isEqualTo(2);
    }

    private static <T> List<T> concurrently(int threads, Callable<T> work) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<T>> futures = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                futures.add(pool.submit(() -> {
                    start.await();
                    return work.call();
                }));
            }
            start.countDown();
            List<T> results = new ArrayList<>();
            for (Future<T> future : futures) {
                results.add(future.get());
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }
}
