package dev.gatekey.cache;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatekey.metrics.GatekeyMetrics;
import dev.gatekey.store.KeyHashes;
import dev.gatekey.testing.InMemoryKeyStore;
import dev.gatekey.testing.TestTime;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The index of recent keys never answers with an entry the cache itself would no longer answer with. */
class KeyCacheRecentKeysTest {

    private final InMemoryKeyStore store = new InMemoryKeyStore();
    private final TestTime time = new TestTime();
    private final KeyCache cache = new KeyCache(store, Duration.ofSeconds(60), 100, Duration.ofSeconds(300), time,
            GatekeyMetrics.noop());

    /** A key looked up, cached and remembered, as the validator does on its first and second request. */
    private String rememberedKey() {
        String key = store.addKey("alice");
        String hash = KeyHashes.sha256Hex(key);
        cache.find(hash);
        cache.remember(key, 0, key.length(), cache.cached(hash));
        return key;
    }

    @Test
    void recentWhenRememberedThenSameEntryAsByHash() {
        String key = rememberedKey();

        assertThat(cache.recent(key, 0, key.length())).isSameAs(cache.cached(KeyHashes.sha256Hex(key)));
    }

    @Test
    void recentWhenKeyInsideLongerTextThenFoundByItsRange() {
        String key = rememberedKey();

        assertThat(cache.recent("ApiKey " + key + " ", 7, 7 + key.length())).isNotNull();
    }

    @Test
    void recentWhenNeverRememberedThenNull() {
        String key = store.addKey("bob");
        cache.find(KeyHashes.sha256Hex(key));

        assertThat(cache.recent(key, 0, key.length())).isNull();
    }

    @Test
    void recentWhenInvalidatedByChangeFeedThenNull() {
        String key = rememberedKey();

        cache.invalidate(KeyHashes.sha256Hex(key));

        assertThat(cache.recent(key, 0, key.length())).isNull();
    }

    @Test
    void recentWhenReloadedThenOldEntryNotAnswered() {
        String key = rememberedKey();
        KeyCache.Entry before = cache.recent(key, 0, key.length());

        cache.reload(KeyHashes.sha256Hex(key));

        assertThat(cache.recent(key, 0, key.length())).isNull();
        assertThat(cache.cached(KeyHashes.sha256Hex(key))).isNotNull().isNotSameAs(before);
    }

    @Test
    void recentWhenTtlPassedThenNull() {
        String key = rememberedKey();

        time.advance(Duration.ofSeconds(59));
        assertThat(cache.recent(key, 0, key.length())).isNotNull();
        time.advance(Duration.ofSeconds(1));
        assertThat(cache.recent(key, 0, key.length())).isNull();
    }

    @Test
    void recentWhenAllInvalidatedThenNull() {
        String key = rememberedKey();

        cache.invalidateAll();

        assertThat(cache.recent(key, 0, key.length())).isNull();
    }

    @Test
    void recentWhenEvictedForSizeThenNull() {
        java.util.List<String> keys = new java.util.ArrayList<>();
        for (int i = 0; i < 200; i++) {
            keys.add(rememberedKey());
        }
        cache.cleanUp();

        int evicted = 0;
        for (String key : keys) {
            KeyCache.Entry byHash = cache.cached(KeyHashes.sha256Hex(key));
            KeyCache.Entry byText = cache.recent(key, 0, key.length());
            if (byHash == null) {
                evicted++;
                assertThat(byText).as("an evicted key's entry").isNull();
            } else {
                assertThat(byText).isIn(null, byHash);
            }
        }
        assertThat(evicted).as("keys beyond the cache's size of 100").isGreaterThanOrEqualTo(100);
    }
}
