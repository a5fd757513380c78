package dev.gatekey.filter;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatekey.cache.KeyCache;
import dev.gatekey.membership.KnownKeys;
import dev.gatekey.metrics.GatekeyMetrics;
import dev.gatekey.store.KeyHashes;
import dev.gatekey.store.KeyStore;
import dev.gatekey.store.StoredKey;
import dev.gatekey.testing.InMemoryKeyStore;
import dev.gatekey.testing.TestTime;
import dev.gatekey.testsupport.logging.LogCapture;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.logging.Level;
import org.junit.jupiter.api.Test;

class ChangeFeedPollerTest {

    private final InMemoryKeyStore store = new InMemoryKeyStore();
    private final TestTime time = new TestTime();
    private final KeyCache cache = new KeyCache(store, Duration.ofSeconds(60), 100, Duration.ofSeconds(300), time,
            GatekeyMetrics.noop());
    private final ChangeFeedPoller poller = new ChangeFeedPoller(store, cache, GatekeyMetrics.noop(), time);

    @Test
    void pollOnceWhenStartingThenOlderChangesIgnored() {
        String key = store.addKey("alice");
        store.revoke(key, time.instant());
        cache.find(KeyHashes.sha256Hex(key));

        poller.pollOnce();
        poller.pollOnce();
        cache.find(KeyHashes.sha256Hex(key));

        assertThat(store.findCalls).hasValue(1);
    }

    @Test
    void pollOnceWhenKeyChangedThenOnlyThatKeyEvicted() {
        poller.pollOnce();
        String revoked = store.addKey("alice");
        String other = store.addKey("bob");
        cache.find(KeyHashes.sha256Hex(revoked));
        cache.find(KeyHashes.sha256Hex(other));

        store.revoke(revoked, time.instant());
        poller.pollOnce();
        cache.find(KeyHashes.sha256Hex(revoked));
        cache.find(KeyHashes.sha256Hex(other));

        assertThat(store.findCalls).hasValue(3);
    }

    @Test
    void pollOnceWhenMoreThanOneBatchThenAllApplied() {
        poller.pollOnce();
        String key = store.addKey("alice");
        cache.find(KeyHashes.sha256Hex(key));
        for (int i = 0; i < ChangeFeedPoller.BATCH_SIZE; i++) {
            store.flush();
        }
        store.revoke(key, time.instant());
        poller.pollOnce();
        cache.find(KeyHashes.sha256Hex(key));

        poller.pollOnce();

        assertThat(store.findCalls).hasValue(2);
        assertThat(cache.find(KeyHashes.sha256Hex(key))).hasValueSatisfying(k -> assertThat(k.revokedOn()).isNotNull());
    }

    @Test
    void pollOnceWhenFeedFailsThenWarnedOnceAndRecoveryLoggedOnce() {
        poller.pollOnce();
        try (LogCapture log = new LogCapture(ChangeFeedPoller.class)) {
            store.feedDown = true;
            poller.pollOnce();
            poller.pollOnce();
            poller.pollOnce();
            store.feedDown = false;
            poller.pollOnce();
            poller.pollOnce();

            assertThat(log.at(Level.WARNING)).hasSize(1);
            assertThat(log.at(Level.INFO)).hasSize(1);
        }
    }

    @Test
    void pollOnceWhenLatestPositionFailedAtStartThenRetriedOnNextTick() {
        store.feedDown = true;
        poller.pollOnce();
        store.feedDown = false;
        poller.pollOnce();
        String key = store.addKey("alice");
        cache.find(KeyHashes.sha256Hex(key));

        store.revoke(key, time.instant());
        poller.pollOnce();
        cache.find(KeyHashes.sha256Hex(key));

        assertThat(store.findCalls).hasValue(2);
    }

    private ChangeFeedPoller pollerWithKnownKeys(KnownKeys known) {
        store.listsKeys = true;
        return new ChangeFeedPoller(store, cache, known, GatekeyMetrics.noop(), time);
    }

    @Test
    void pollOnceWhenKeyCreatedAfterStartThenKnownKeysLearnIt() {
        KnownKeys known = new KnownKeys(store);
        ChangeFeedPoller withKnown = pollerWithKnownKeys(known);
        withKnown.pollOnce();
        String key = store.addKey("alice");
        assertThat(known.mightContain(KeyHashes.sha256Hex(key))).isFalse();

        withKnown.pollOnce();

        assertThat(known.mightContain(KeyHashes.sha256Hex(key))).isTrue();
    }

    @Test
    void pollOnceWhenFeedUnreadableAtStartThenKnownKeysLoadedOnlyOnceItHasAPosition() {
        KnownKeys known = new KnownKeys(store);
        ChangeFeedPoller withKnown = pollerWithKnownKeys(known);
        store.feedDown = true;
        withKnown.pollOnce();
        assertThat(known.isReady()).isFalse();
        assertThat(withKnown.isFailing()).isTrue();

        store.feedDown = false;
        withKnown.pollOnce();

        assertThat(known.isReady()).isTrue();
        assertThat(withKnown.isFailing()).isFalse();
    }

    @Test
    void pollOnceWhenKnownKeysCannotBeLoadedThenWarnedOnceAndRetried() {
        KnownKeys known = new KnownKeys(store);
        ChangeFeedPoller withKnown = pollerWithKnownKeys(known);
        store.storeDown = true;
        try (LogCapture log = new LogCapture(ChangeFeedPoller.class)) {
            withKnown.pollOnce();
            withKnown.pollOnce();
            assertThat(log.at(Level.WARNING)).hasSize(1);
            store.storeDown = false;

            withKnown.pollOnce();

            assertThat(log.at(Level.INFO)).hasSize(1);
        }
        assertThat(known.isReady()).isTrue();
    }

    @Test
    void pollOnceWhenStoreDoesNotListKeysThenAskedOnlyOnce() {
        AtomicInteger listings = new AtomicInteger();
        KnownKeys known = new KnownKeys(new KeyStore() {
            @Override
            public Optional<StoredKey> findByHash(String sha256Hex) {
                return Optional.empty();
            }

            @Override
            public Optional<String> findKeyPrefix(String bucket) {
                return Optional.empty();
            }

            @Override
            public void recordLastUsed(Map<String, Instant> lastUsedByKeyId) {
            }

            @Override
            public boolean forEachKeyHash(Consumer<String> sink) {
                listings.incrementAndGet();
                return false;
            }
        });
        ChangeFeedPoller withKnown = new ChangeFeedPoller(store, cache, known, GatekeyMetrics.noop(), time);

        for (int i = 0; i < 3; i++) {
            withKnown.pollOnce();
        }

        assertThat(listings).hasValue(1);
        assertThat(known.isReady()).isFalse();
    }
}
