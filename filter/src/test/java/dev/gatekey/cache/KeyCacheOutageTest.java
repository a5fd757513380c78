package dev.gatekey.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.gatekey.metrics.GatekeyMetrics;
import dev.gatekey.store.KeyHashes;
import dev.gatekey.store.KeyStore;
import dev.gatekey.store.KeyStoreException;
import dev.gatekey.store.StoredKey;
import dev.gatekey.testing.InMemoryKeyStore;
import dev.gatekey.testing.TestTime;
import dev.gatekey.testsupport.logging.LogCapture;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The key store failing: shared failures, the circuit breaker, the bulkhead, stale answers, log lines. */
class KeyCacheOutageTest {

    private static final Duration LOOKUP_TIMEOUT = Duration.ofMillis(200);

    private final InMemoryKeyStore store = new InMemoryKeyStore();
    private final TestTime time = new TestTime();
    private final GateStore gate = new GateStore(store);
    private final KeyCache cache = new KeyCache(gate, Duration.ofSeconds(60), 1000, Duration.ofSeconds(300),
            LOOKUP_TIMEOUT, 4, time, GatekeyMetrics.noop());
    private final ExecutorService clients = Executors.newFixedThreadPool(20);

    @AfterEach
    void stopClients() {
        gate.release.countDown();
        clients.shutdownNow();
    }

    private String unknownHash(int i) {
        return KeyHashes.sha256Hex("unknown-" + i);
    }

    private void openBreaker() {
        store.storeDown = true;
        for (int i = 0; i < KeyCache.MINIMUM_CALLS; i++) {
            int n = i;
            assertThatThrownBy(() -> cache.find(unknownHash(n))).isInstanceOf(KeyStoreException.class);
        }
        assertThat(cache.storeState()).isEqualTo("open");
    }

    @Test
    void findWhenConcurrentMissesAndTheLookupFailsThenAllWaitersShareItsFailureWithoutLookingUpAgain()
            throws Exception {
        // waiters that give up early would never all be seen waiting: this cache lets them wait past the test
        KeyCache patient = new KeyCache(gate, Duration.ofSeconds(60), 1000, Duration.ofSeconds(300),
                Duration.ofMinutes(5), 4, time, GatekeyMetrics.noop());
        gate.hold = true;
        store.storeDown = true;
        String hash = unknownHash(1);
        List<Future<?>> results = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            results.add(clients.submit(() -> patient.find(hash)));
        }
        gate.entered.await(5, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(30)).until(() -> waiting(clients) >= 19);

        gate.release.countDown();

        for (Future<?> result : results) {
            assertThatThrownBy(result::get).hasCauseInstanceOf(KeyStoreException.class);
        }
        assertThat(store.findCalls).hasValue(1);
    }

    @Test
    void findWhenAnotherRequestsLookupHangsThenWaiterGivesUpAfterTheLookupTimeout() throws Exception {
        gate.hold = true;
        String hash = unknownHash(2);
        clients.submit(() -> cache.find(hash));
        gate.entered.await(5, TimeUnit.SECONDS);
        long start = System.nanoTime();

        assertThatThrownBy(() -> cache.find(hash)).isInstanceOf(KeyStoreException.class)
                .hasMessageContaining("still running");

        long waitedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertThat(waitedMillis).isBetween(LOOKUP_TIMEOUT.toMillis() - 5, LOOKUP_TIMEOUT.toMillis() + 100);
    }

    @Test
    void findWhenLookupsFailRepeatedlyThenBreakerOpensAndTheStoreIsNoLongerCalled() {
        openBreaker();
        int calls = store.findCalls.get();

        for (int i = 0; i < 100; i++) {
            int n = 100 + i;
            assertThatThrownBy(() -> cache.find(unknownHash(n))).isInstanceOf(KeyStoreException.class)
                    .hasMessageContaining("circuit open");
        }

        assertThat(store.findCalls).hasValue(calls);
    }

    @Test
    void findWhenBreakerOpenAndKeyKnownGoodPastItsTtlThenServedWithoutTheStore() {
        String hash = KeyHashes.sha256Hex(store.addKey("alice"));
        cache.find(hash);
        time.advance(Duration.ofSeconds(61));
        openBreaker();
        int calls = store.findCalls.get();

        assertThat(cache.find(hash)).isPresent();

        assertThat(store.findCalls).hasValue(calls);
    }

    @Test
    void reloadWhenAHeldKeyChangesThenItsStaleAnswerStillStandsInDuringTheNextOutage() {
        String hash = KeyHashes.sha256Hex(store.addKey("alice"));
        cache.find(hash);

        cache.reload(hash);
        time.advance(Duration.ofSeconds(61));
        openBreaker();

        assertThat(cache.find(hash)).isPresent();
    }

    @Test
    void reloadWhenAHeldKeyWasRevokedThenTheStaleAnswerIsTheRevokedKey() {
        String key = store.addKey("alice");
        String hash = KeyHashes.sha256Hex(key);
        cache.find(hash);
        store.revoke(key, Instant.EPOCH);

        cache.reload(hash);
        time.advance(Duration.ofSeconds(61));
        openBreaker();

        assertThat(cache.find(hash)).get().extracting(StoredKey::revokedOn).isEqualTo(Instant.EPOCH);
    }

    @Test
    void reloadWhenTheKeyIsNotHeldThenTheStoreIsNotAsked() {
        int calls = store.findCalls.get();

        cache.reload(unknownHash(7));

        assertThat(store.findCalls).hasValue(calls);
    }

    @Test
    void findWhenBreakerOpenForItsWaitThenOneProbeAndItClosesWhenTheStoreAnswers() {
        openBreaker();
        store.storeDown = false;
        int calls = store.findCalls.get();
        time.advance(KeyCache.OPEN_STATE_DURATION.plusMillis(1));

        assertThat(cache.find(unknownHash(1000))).isEmpty();

        assertThat(store.findCalls).hasValue(calls + 1);
        assertThat(cache.storeState()).isEqualTo("closed");
    }

    @Test
    void storeAvailableWhenBreakerOpenThenClosedAtOnce() {
        openBreaker();
        store.storeDown = false;

        cache.storeAvailable();

        assertThat(cache.storeState()).isEqualTo("closed");
        assertThat(cache.find(unknownHash(1000))).isEmpty();
    }

    @Test
    void findWhenLookupsSlowerThanTheTimeoutThenBreakerOpensThoughTheyAnswer() {
        gate.delay = LOOKUP_TIMEOUT.plusMillis(1);

        for (int i = 0; i < KeyCache.MINIMUM_CALLS; i++) {
            assertThat(cache.find(unknownHash(i))).isEmpty();
        }

        assertThat(cache.storeState()).isEqualTo("open");
    }

    @Test
    void findWhenMaxConcurrentLookupsRunningThenFurtherLookupsRefusedAtOnce() throws Exception {
        gate.hold = true;
        for (int i = 0; i < 4; i++) {
            int n = i;
            clients.submit(() -> cache.find(unknownHash(n)));
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> gate.inside.get() >= 4);

        assertThatThrownBy(() -> cache.find(unknownHash(99))).isInstanceOf(KeyStoreException.class)
                .hasMessage("too many concurrent key store lookups");
        assertThat(gate.inside).as("no fifth lookup reached the store").hasValue(4);
    }

    @Test
    void findWhenOutageStartsAndEndsThenOneWarningAndOneInfoLine() {
        try (LogCapture log = new LogCapture(KeyCache.class)) {
            openBreaker();
            for (int i = 0; i < 50; i++) {
                int n = 200 + i;
                assertThatThrownBy(() -> cache.find(unknownHash(n))).isInstanceOf(KeyStoreException.class);
            }
            store.storeDown = false;
            cache.storeAvailable();

            assertThat(log.at(Level.WARNING)).hasSize(1);
            assertThat(log.at(Level.INFO)).hasSize(1).allSatisfy(r -> assertThat(r.getMessage())
                    .startsWith("Gatekey key store available again after ").contains("51 answered 503"));
        }
    }

    private static long waiting(ExecutorService pool) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("pool-") && t.getState() == Thread.State.TIMED_WAITING)
                .count();
    }

    /** Passes calls to the in-memory store; can hold them at a gate, or make each take {@code delay}. */
    private final class GateStore implements KeyStore {
        final KeyStore delegate;
        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        final AtomicInteger inside = new AtomicInteger();
        volatile boolean hold;
        volatile Duration delay = Duration.ZERO;

        GateStore(KeyStore delegate) {
            this.delegate = delegate;
        }

        @Override
        public Optional<StoredKey> findByHash(String sha256Hex) {
            inside.incrementAndGet();
            entered.countDown();
            if (hold) {
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            time.advance(delay);
            return delegate.findByHash(sha256Hex);
        }

        @Override
        public Optional<String> findKeyPrefix(String bucket) {
            return delegate.findKeyPrefix(bucket);
        }

        @Override
        public void recordLastUsed(Map<String, Instant> lastUsedByKeyId) {
            delegate.recordLastUsed(lastUsedByKeyId);
        }
    }
}
