package dev.gatekey.credits;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatekey.store.CreditPolicy;
import dev.gatekey.store.KeyPolicy;
import dev.gatekey.store.StoredKey;
import dev.gatekey.testing.InMemoryKeyStore;
import dev.gatekey.testing.TestTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class LeasedCreditsTest {

    private final InMemoryKeyStore store = new InMemoryKeyStore();
    private final TestTime time = new TestTime();

    private StoredKey keyWithCredits(long remaining) {
        return store.stored(store.addKey("alice", new KeyPolicy(Set.of(), List.of(),
                new CreditPolicy(remaining, 0, null, null))));
    }

    @Test
    void nextBatchWhenUsedThenDoublesUpToCaps() {
        assertThat(LeasedCredits.nextBatch(0, 10_000, 1)).isEqualTo(1);
        assertThat(LeasedCredits.nextBatch(1, 10_000, 1)).isEqualTo(2);
        assertThat(LeasedCredits.nextBatch(16, 10_000, 1)).isEqualTo(16);
        assertThat(LeasedCredits.nextBatch(8, 64, 1)).isEqualTo(4);
        assertThat(LeasedCredits.nextBatch(8, 0, 3)).isEqualTo(3);
    }

    @Test
    void spendWhenNodesRaceThenNeverMoreThanStored() throws Exception {
        StoredKey key = keyWithCredits(500);
        List<LeasedCredits> nodes = List.of(new LeasedCredits(store, time), new LeasedCredits(store, time),
                new LeasedCredits(store, time));
        AtomicInteger spent = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(12);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < 12; t++) {
                LeasedCredits node = nodes.get(t % 3);
                futures.add(pool.submit(() -> {
                    for (int i = 0; i < 60; i++) {
                        if (node.spend(key.keyId(), key.policy().credits(), 1).spent()) {
                            spent.incrementAndGet();
                        }
                    }
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }

        long held = nodes.stream().mapToLong(n -> n.held(key.keyId())).sum();
        assertThat(spent.get()).isLessThanOrEqualTo(500);
        assertThat(spent.get() + held).isEqualTo(500 - store.creditsLeft(key.keyId()));
    }

    @Test
    void spendWhenExhaustedThenStoreNotAskedAgainWithinRecheck() {
        StoredKey key = keyWithCredits(0);
        LeasedCredits node = new LeasedCredits(store, time);

        assertThat(node.spend(key.keyId(), key.policy().credits(), 1).spent()).isFalse();
        assertThat(node.spend(key.keyId(), key.policy().credits(), 1).spent()).isFalse();

        assertThat(store.leaseCalls.get()).isEqualTo(1);
        time.advance(LeasedCredits.EXHAUSTED_RECHECK);
        node.spend(key.keyId(), key.policy().credits(), 1);
        assertThat(store.leaseCalls.get()).isEqualTo(2);
    }

    @Test
    void spendWhenKeyReloadedWithNewGenerationThenOldLeaseDroppedNotReturned() {
        String text = store.addKey("alice", new KeyPolicy(Set.of(), List.of(), new CreditPolicy(1000, 0, null, null)));
        StoredKey key = store.stored(text);
        LeasedCredits node = new LeasedCredits(store, time);
        for (int i = 0; i < 4; i++) {
            node.spend(key.keyId(), key.policy().credits(), 1);
        }
        assertThat(node.held(key.keyId())).isPositive();
        store.setCredits(text, 50);

        assertThat(node.spend(key.keyId(), store.stored(text).policy().credits(), 1).spent()).isTrue();
        node.close();

        assertThat(store.creditsLeft(text)).isEqualTo(49);
        assertThat(store.returnCalls.get()).isZero();
    }
}
