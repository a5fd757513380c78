package dev.gatekey.membership;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatekey.store.KeyHashes;
import dev.gatekey.store.KeyStore;
import dev.gatekey.store.KeyStoreException;
import dev.gatekey.store.StoredKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class KnownKeysTest {

    /** A store that lists the given hashes, or fails, or does not list at all. */
    private static final class ListingStore implements KeyStore {
        final List<String> hashes = new ArrayList<>();
        boolean lists = true;
        boolean down;

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
            if (down) {
                throw new KeyStoreException("down");
            }
            if (lists) {
                hashes.forEach(sink);
            }
            return lists;
        }
    }

    private final ListingStore store = new ListingStore();
    private final KnownKeys known = new KnownKeys(store);

    private static String hash(int i) {
        return KeyHashes.sha256Hex("key-" + i);
    }

    @Test
    void mightContainWhenNeverLoadedThenTrueForAnyKey() {
        assertThat(known.isReady()).isFalse();
        assertThat(known.mightContain(hash(1))).isTrue();
    }

    @Test
    void reloadWhenStoreDoesNotListKeysThenFalseAndNotReady() {
        store.lists = false;

        assertThat(known.reload()).isFalse();
        assertThat(known.isReady()).isFalse();
    }

    @Test
    void mightContainWhenLoadedOrAddedThenAlwaysTrue() {
        for (int i = 0; i < 10_000; i++) {
            store.hashes.add(hash(i));
        }
        assertThat(known.reload()).isTrue();
        known.add(hash(-1));

        for (int i = -1; i < 10_000; i++) {
            assertThat(known.mightContain(hash(i))).as("key %d", i).isTrue();
        }
    }

    @Test
    void mightContainWhenFullToCapacityThenFalsePositivesBelowOneInThousand() {
        assertThat(known.reload()).isTrue();
        for (int i = 0; i < known.capacity(); i++) {
            known.add(hash(i));
        }
        int falsePositives = 0;
        int probes = 200_000;
        for (int i = 0; i < probes; i++) {
            falsePositives += known.mightContain(hash(-1 - i)) ? 1 : 0;
        }

        assertThat(falsePositives).isLessThan(probes / 1000);
        assertThat(known.isOverCapacity()).isFalse();
    }

    @Test
    void isOverCapacityWhenMoreKeysAddedThanSizedForThenTrueUntilReloaded() {
        known.reload();
        for (long i = 0; i <= known.capacity(); i++) {
            known.add(hash((int) i));
        }
        assertThat(known.isOverCapacity()).isTrue();

        known.reload();

        assertThat(known.isOverCapacity()).isFalse();
    }

    @Test
    void reloadWhenStoreFailsThenThrowsAndKeepsThePreviousSet() {
        store.hashes.add(hash(1));
        known.reload();
        store.down = true;

        assertThatThrownBy(known::reload).isInstanceOf(KeyStoreException.class);
        assertThat(known.isReady()).isTrue();
        assertThat(known.mightContain(hash(1))).isTrue();
    }

    @Test
    void mightContainWhenHashIsNotHexThenStillConsistent() {
        known.reload();
        known.add("not-a-hex-hash");

        assertThat(known.mightContain("not-a-hex-hash")).isTrue();
    }
}
