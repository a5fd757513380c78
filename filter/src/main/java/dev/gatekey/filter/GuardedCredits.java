package dev.gatekey.filter;

import dev.gatekey.cache.KeyCache;
import dev.gatekey.store.CreditLease;
import dev.gatekey.store.KeyStore;
import dev.gatekey.store.StoredKey;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The key store as the credit spenders see it: {@link #leaseCredits} goes through the key cache's circuit breaker
 * and bulkhead ({@link KeyCache#guarded}), so while the database is failing or saturated a request for a key with
 * credits is answered 503 at once instead of waiting for a connection, and lease failures count towards opening the
 * breaker like lookup failures. Everything else is the store's own.
 */
final class GuardedCredits implements KeyStore {

    private final KeyStore store;
    private final KeyCache cache;

    GuardedCredits(KeyStore store, KeyCache cache) {
        this.store = store;
        this.cache = cache;
    }

    @Override
    public CreditLease leaseCredits(String keyId, long want, Instant now) {
        return cache.guarded(() -> store.leaseCredits(keyId, want, now));
    }

    @Override
    public void returnCredits(String keyId, long amount, long generation) {
        store.returnCredits(keyId, amount, generation);
    }

    @Override
    public Optional<StoredKey> findByHash(String sha256Hex) {
        return store.findByHash(sha256Hex);
    }

    @Override
    public Optional<String> findKeyPrefix(String bucket) {
        return store.findKeyPrefix(bucket);
    }

    @Override
    public void recordLastUsed(Map<String, Instant> lastUsedByKeyId) {
        store.recordLastUsed(lastUsedByKeyId);
    }

    @Override
    public boolean forEachKeyHash(Consumer<String> sink) {
        return store.forEachKeyHash(sink);
    }
}
