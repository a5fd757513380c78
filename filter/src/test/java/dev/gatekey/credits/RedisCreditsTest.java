package dev.gatekey.credits;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatekey.store.CreditPolicy;
import dev.gatekey.store.KeyPolicy;
import dev.gatekey.store.StoredKey;
import dev.gatekey.testing.InMemoryKeyStore;
import dev.gatekey.testing.TestRedis;
import dev.gatekey.testing.TestTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Credits in Redis: leased from the store into a shared counter, exact across nodes, never overspent. */
class RedisCreditsTest {

    private final InMemoryKeyStore store = new InMemoryKeyStore();
    private final TestTime time = new TestTime();
    private final String namespace = TestRedis.uniqueNamespace();
    private final List<RedisCredits> nodes = new ArrayList<>();

    @AfterEach
    void closeNodes() {
        nodes.forEach(RedisCredits::close);
        TestRedis.deleteKeys(namespace + "*");
    }

    private RedisCredits node(String url) {
        RedisCredits node = new RedisCredits(new RedisCounters(url), namespace, store, time);
        nodes.add(node);
        return node;
    }

    private StoredKey keyWithCredits(long remaining) {
        String key = store.addKey("alice", new KeyPolicy(Set.of(), List.of(),
                new CreditPolicy(remaining, 0, null, null)));
        return store.stored(key);
    }

    @Test
    void spendWhenNodesRaceThenExactlyTheRemainingCreditsSpent() throws Exception {
        String url = TestRedis.url();
        StoredKey key = keyWithCredits(300);

        int spent = race(List.of(node(url), node(url), node(url)), key);

        assertThat(spent).isEqualTo(300);
        assertThat(store.creditsLeft(key.keyId())).isZero();
    }

    @Test
    void spendWhenSomeNodesCutOffFromRedisThenNeverMoreThanTheBalance() throws Exception {
        String url = TestRedis.url();
        StoredKey key = keyWithCredits(300);

        int spent = race(List.of(node(url), node(url), node(TestRedis.UNREACHABLE_URL)), key);

        assertThat(spent).isBetween(1, 300);
    }

    /** 12 threads spending 40 times each, spread over the nodes: how many spends succeeded. */
    private static int race(List<RedisCredits> nodes, StoredKey key) throws Exception {
        AtomicInteger spent = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(12);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < 12; t++) {
                RedisCredits node = nodes.get(t % nodes.size());
                futures.add(pool.submit((Callable<Void>) () -> {
                    spent.addAndGet(spendTimes(node, key, 40));
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        return spent.get();
    }

    @Test
    void spendWhenRedisThenCreditsLeasedFromTheStoreUpFront() {
        StoredKey key = keyWithCredits(100);
        RedisCredits node = node(TestRedis.url());

        assertThat(spendTimes(node, key, 4)).isEqualTo(4);

        assertThat(store.creditsLeft(key.keyId())).isLessThanOrEqualTo(96);
        assertThat(store.leaseCalls.get()).isBetween(1, 4);
    }

    @Test
    void closeWhenCreditsLeftInTheCounterThenGivenBackToTheStore() {
        StoredKey key = keyWithCredits(100);
        RedisCredits node = node(TestRedis.url());
        spendTimes(node, key, 4);

        node.close();

        assertThat(store.creditsLeft(key.keyId())).isEqualTo(96);
    }

    @Test
    void spendWhenGenerationChangedThenOldCounterAbandonedAndNewCreditsLeased() {
        String text = store.addKey("alice", new KeyPolicy(Set.of(), List.of(), new CreditPolicy(100, 0, null, null)));
        StoredKey key = store.stored(text);
        RedisCredits node = node(TestRedis.url());
        spendTimes(node, key, 4);
        store.setCredits(text, 2);
        CreditPolicy newer = store.stored(text).policy().credits();

        int spent = 0;
        for (int i = 0; i < 5; i++) {
            if (node.spend(key.keyId(), newer, 1).spent()) {
                spent++;
            }
        }

        assertThat(spent).isEqualTo(2);
    }

    @Test
    void spendWhenRedisUnreachableThenDatabaseLeasesAndNeverMoreThanStored() {
        StoredKey key = keyWithCredits(5);
        RedisCredits node = node(TestRedis.UNREACHABLE_URL);
        int spent = 0;
        for (int i = 0; i < 10; i++) {
            if (node.spend(key.keyId(), key.policy().credits(), 1).spent()) {
                spent++;
            }
        }

        assertThat(spent).isEqualTo(5);
        assertThat(store.leaseCalls.get()).isPositive();
    }

    @Test
    void spendWhenRedisCutAndRestoredThenNeverMoreThanTheBalance() {
        String url = TestRedis.url();
        StoredKey key = keyWithCredits(10);
        RedisCredits reachable = node(url);
        RedisCredits cutOff = node(TestRedis.UNREACHABLE_URL);
        int spent = spendTimes(reachable, key, 4);

        spent += spendTimes(cutOff, key, 20);
        spent += spendTimes(reachable, key, 20);

        assertThat(spent).isLessThanOrEqualTo(10);
    }

    private static int spendTimes(RedisCredits node, StoredKey key, int times) {
        int spent = 0;
        for (int i = 0; i < times; i++) {
            if (node.spend(key.keyId(), key.policy().credits(), 1).spent()) {
                spent++;
            }
        }
        return spent;
    }

    @Test
    void spendWhenNoneLeftThenRefusedWithNextRefill() {
        String url = TestRedis.url();
        CreditPolicy.Refill daily = new CreditPolicy.Refill(CreditPolicy.Interval.DAILY, 3, null);
        String text = store.addKey("alice", new KeyPolicy(Set.of(), List.of(),
                new CreditPolicy(1, 0, daily, time.instant().plus(Duration.ofDays(1)))));
        StoredKey key = store.stored(text);
        RedisCredits node = node(url);

        assertThat(node.spend(key.keyId(), key.policy().credits(), 1).spent()).isTrue();
        CreditCheck refused = node.spend(key.keyId(), key.policy().credits(), 1);

        assertThat(refused.spent()).isFalse();
        assertThat(refused.nextRefillAt()).isEqualTo(time.instant().plus(Duration.ofDays(1)));
    }

    @Test
    void spendWhenRefillDueThenNewCounterWithTheRefillAmount() {
        String url = TestRedis.url();
        CreditPolicy.Refill daily = new CreditPolicy.Refill(CreditPolicy.Interval.DAILY, 3, null);
        String text = store.addKey("alice", new KeyPolicy(Set.of(), List.of(),
                new CreditPolicy(0, 0, daily, time.instant().plus(Duration.ofDays(1)))));
        StoredKey cached = store.stored(text);
        RedisCredits node = node(url);
        assertThat(node.spend(cached.keyId(), cached.policy().credits(), 1).spent()).isFalse();

        time.advance(Duration.ofDays(1));
        int spent = 0;
        for (int i = 0; i < 5; i++) {
            if (node.spend(cached.keyId(), cached.policy().credits(), 1).spent()) {
                spent++;
            }
        }

        assertThat(spent).isEqualTo(3);
        assertThat(store.creditsGeneration(text)).isEqualTo(1);
    }
}
