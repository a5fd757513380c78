package dev.gatekey.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatekey.format.ApiKeyFormat;
import dev.gatekey.metrics.GatekeyMetrics;
import dev.gatekey.store.KeyHashes;
import dev.gatekey.store.KeyStoreException;
import dev.gatekey.testing.InMemoryKeyStore;
import dev.gatekey.testing.TestTime;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class KeyCacheTest {

    private final InMemoryKeyStore store = new InMemoryKeyStore();
    private final TestTime time = new TestTime();
    private final KeyCache cache = new KeyCache(store, Duration.ofSeconds(60), 100, Duration.ofSeconds(300), time,
            GatekeyMetrics.noop());

    private String hashOfNewKey() {
        return KeyHashes.sha256Hex(store.addKey("alice"));
    }

    @Test
    void findWhenCachedThenStoreNotCalledAgain() {
        String hash = hashOfNewKey();

        assertThat(cache.find(hash)).isPresent();
        assertThat(cache.find(hash)).isPresent();

        assertThat(store.findCalls).hasValue(1);
    }

    @Test
    void findWhenUnknownThenNegativeEntryCached() {
        String hash = KeyHashes.sha256Hex("nothing");

        assertThat(cache.find(hash)).isEmpty();
        assertThat(cache.find(hash)).isEmpty();

        assertThat(store.findCalls).hasValue(1);
    }

    @Test
    void findWhenTtlPassedThenReloaded() {
        String hash = hashOfNewKey();
        cache.find(hash);

        time.advance(Duration.ofSeconds(60));
        cache.find(hash);

        assertThat(store.findCalls).hasValue(2);
    }

    @Test
    void findWhenStoreFailsThenThrowsAndCachesNothing() {
        String hash = hashOfNewKey();
        store.storeDown = true;

        assertThatThrownBy(() -> cache.find(hash)).isInstanceOf(KeyStoreException.class);
        store.storeDown = false;

        assertThat(cache.find(hash)).isPresent();
        assertThat(store.findCalls).hasValue(2);
    }

    @Test
    void findWhenStoreThrowsRuntimeExceptionThenReportedAsStoreFailure() {
        KeyCache failing = new KeyCache(new dev.gatekey.store.KeyStore() {
            @Override
            public java.util.Optional<dev.gatekey.store.StoredKey> findByHash(String sha256Hex) {
                throw new IllegalStateException("pool exhausted");
            }

            @Override
            public java.util.Optional<String> findKeyPrefix(String bucket) {
                return java.util.Optional.empty();
            }

            @Override
            public void recordLastUsed(java.util.Map<String, java.time.Instant> lastUsedByKeyId) {
            }
        }, Duration.ofSeconds(60), 100, Duration.ZERO, time, GatekeyMetrics.noop());

        assertThatThrownBy(() -> failing.find("h")).isInstanceOf(KeyStoreException.class)
                .hasCauseInstanceOf(IllegalStateException.class);
    }

    @Test
    void findWhenStoreFailsWithinStaleWindowThenLastGoodEntryServed() {
        String hash = hashOfNewKey();
        cache.find(hash);
        store.storeDown = true;

        time.advance(Duration.ofSeconds(359));

        assertThat(cache.find(hash)).isPresent();
    }

    @Test
    void findWhenStoreFailsBeyondStaleWindowThenThrows() {
        String hash = hashOfNewKey();
        cache.find(hash);
        store.storeDown = true;

        time.advance(Duration.ofSeconds(360));

        assertThatThrownBy(() -> cache.find(hash)).isInstanceOf(KeyStoreException.class);
    }

    @Test
    void findWhenStoreFailsAndOnlyNegativeEntryKnownThenThrows() {
        String hash = KeyHashes.sha256Hex("nothing");
        cache.find(hash);
        store.storeDown = true;

        time.advance(Duration.ofSeconds(61));

        assertThatThrownBy(() -> cache.find(hash)).isInstanceOf(KeyStoreException.class);
    }

    @Test
    void findWhenKeyVanishedFromStoreThenNotServedStaleDuringALaterOutage() {
        String key = store.addKey("alice");
        String hash = KeyHashes.sha256Hex(key);
        cache.find(hash);
        store.deleteSilently(key);
        time.advance(Duration.ofSeconds(61));
        assertThat(cache.find(hash)).isEmpty();
        store.storeDown = true;

        time.advance(Duration.ofSeconds(61));

        assertThatThrownBy(() -> cache.find(hash)).isInstanceOf(KeyStoreException.class);
    }

    @Test
    void invalidateWhenStoreFailsThenNoStaleEntryServed() {
        String hash = hashOfNewKey();
        cache.find(hash);
        cache.invalidate(hash);
        store.storeDown = true;

        assertThatThrownBy(() -> cache.find(hash)).isInstanceOf(KeyStoreException.class);
    }

    @Test
    void findWhenAllInvalidatedThenReloadedFromTheStore() {
        String hash = hashOfNewKey();
        cache.find(hash);

        cache.invalidateAll();
        cache.find(hash);

        assertThat(store.findCalls).hasValue(2);
    }

    @Test
    void findWhenManyDistinctUnknownKeysThenSizeStaysBounded() {
        ApiKeyFormat format = ApiKeyFormat.crc32();
        for (int i = 0; i < 1_000; i++) {
            cache.find(KeyHashes.sha256Hex(format.generate("demo_live")));
        }

        cache.cleanUp();

        assertThat(cache.estimatedSize()).isLessThanOrEqualTo(100);
    }

    @Test
    void findWhenConcurrentMissesForOneHashThenLoadedOnce() throws Exception {
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.atomic.AtomicInteger loads = new java.util.concurrent.atomic.AtomicInteger();
        KeyCache blocking = new KeyCache(new dev.gatekey.store.KeyStore() {
            @Override
            public java.util.Optional<dev.gatekey.store.StoredKey> findByHash(String sha256Hex) {
                loads.incrementAndGet();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return java.util.Optional.empty();
            }

            @Override
            public java.util.Optional<String> findKeyPrefix(String bucket) {
                return java.util.Optional.empty();
            }

            @Override
            public void recordLastUsed(java.util.Map<String, java.time.Instant> lastUsedByKeyId) {
            }
        }, Duration.ofSeconds(60), 100, Duration.ZERO, time, GatekeyMetrics.noop());
        Thread first = new Thread(() -> blocking.find("h"));
        Thread second = new Thread(() -> blocking.find("h"));
        first.start();
        while (loads.get() == 0) {
            Thread.onSpinWait();
        }
        second.start();
        while (second.getState() != Thread.State.WAITING && second.getState() != Thread.State.TIMED_WAITING
                && second.getState() != Thread.State.BLOCKED && second.isAlive()) {
            Thread.onSpinWait();
        }

        release.countDown();
        first.join();
        second.join();

        assertThat(loads).hasValue(1);
    }

    @Test
    void constructorWhenMaximumSizeNotPositiveThenRefused() {
        assertThatThrownBy(() -> new KeyCache(store, Duration.ofSeconds(1), 0, Duration.ZERO, time,
                GatekeyMetrics.noop())).hasMessage("maximum size must be positive");
    }
}
