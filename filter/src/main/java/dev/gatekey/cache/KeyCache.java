package dev.gatekey.cache;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import dev.gatekey.metrics.GatekeyMetrics;
import dev.gatekey.store.KeyStore;
import dev.gatekey.store.KeyStoreException;
import dev.gatekey.store.StoredKey;
import java.time.Duration;
import java.util.Optional;

/**
 * Store answers by key hash: positive and negative entries, expiring {@code ttl} after they were loaded,
 * bounded by {@code maximumSize}. Concurrent misses for one hash load it once.
 *
 * <p>A store failure is never cached. Instead, a key whose positive entry was loaded less than
 * {@code ttl + staleIfError} ago is served from a separate bounded "last known good" cache; otherwise the
 * failure is thrown as a {@link KeyStoreException}. Nothing needs a restart when the store comes back.
 *
 * <p>Entries say what the store said, not whether the key is valid now: callers check expiry and
 * revocation dates against their clock on every request.
 */
public final class KeyCache {

    private final KeyStore store;
    private final GatekeyMetrics metrics;
    private final Cache<String, Entry> entries;
    private final Cache<String, StoredKey> lastKnownGood;

    public KeyCache(KeyStore store, Duration ttl, long maximumSize, Duration staleIfError, Ticker ticker,
            GatekeyMetrics metrics) {
        if (maximumSize < 1) {
            throw new IllegalArgumentException("maximum size must be positive");
        }
        this.store = store;
        this.metrics = metrics;
        this.entries = Caffeine.newBuilder().expireAfterWrite(ttl).maximumSize(maximumSize).ticker(ticker).build();
        this.lastKnownGood = staleIfError.isZero() ? null
                : Caffeine.newBuilder().expireAfterWrite(ttl.plus(staleIfError)).maximumSize(maximumSize)
                        .ticker(ticker).build();
    }

    /**
     * What the store knows about the key with this hash: from the cache, else from the store, else (store
     * failing) from the last known good entry.
     *
     * @return the key, or empty when the store has no key with this hash
     * @throws KeyStoreException when the store fails and no recent good entry stands in
     */
    public Optional<StoredKey> find(String sha256Hex) {
        Entry cached = entries.getIfPresent(sha256Hex);
        if (cached != null) {
            metrics.cacheHit();
            return cached.key();
        }
        metrics.cacheMiss();
        try {
            // Cache.get coalesces concurrent loads of one hash; a loader exception propagates and caches nothing.
            return entries.get(sha256Hex, hash -> new Entry(load(hash))).key();
        } catch (RuntimeException e) {
            StoredKey stale = lastKnownGood == null ? null : lastKnownGood.getIfPresent(sha256Hex);
            if (stale != null) {
                return Optional.of(stale);
            }
            throw e instanceof KeyStoreException kse ? kse : new KeyStoreException("key store failed", e);
        }
    }

    /**
     * The cached entry for this hash, counted as a hit, or {@code null} (not counted) when the cache has none:
     * the caller then decides whether to {@link #find} it.
     */
    public Entry cached(String sha256Hex) {
        Entry cached = entries.getIfPresent(sha256Hex);
        if (cached != null) {
            metrics.cacheHit();
        }
        return cached;
    }

    /** Forgets one key, in both caches (a change feed KEY row). */
    public void invalidate(String sha256Hex) {
        entries.invalidate(sha256Hex);
        if (lastKnownGood != null) {
            lastKnownGood.invalidate(sha256Hex);
        }
    }

    /** Forgets everything (the kill switch). */
    public void invalidateAll() {
        entries.invalidateAll();
        if (lastKnownGood != null) {
            lastKnownGood.invalidateAll();
        }
    }

    /** Runs pending maintenance (evictions), so {@link #estimatedSize()} is up to date. */
    public void cleanUp() {
        entries.cleanUp();
        if (lastKnownGood != null) {
            lastKnownGood.cleanUp();
        }
    }

    /** Approximate number of entries, positive and negative. */
    public long estimatedSize() {
        return entries.estimatedSize();
    }

    private Optional<StoredKey> load(String sha256Hex) {
        metrics.storeLookup();
        Optional<StoredKey> found;
        try {
            found = store.findByHash(sha256Hex);
        } catch (RuntimeException e) {
            metrics.storeError();
            throw e instanceof KeyStoreException kse ? kse : new KeyStoreException("key store failed", e);
        }
        if (found == null) {
            metrics.storeError();
            throw new KeyStoreException("key store returned null instead of an Optional");
        }
        if (lastKnownGood != null) {
            // a key the store no longer has must not come back as "last known good" during an outage
            found.ifPresentOrElse(key -> lastKnownGood.put(sha256Hex, key), () -> lastKnownGood.invalidate(sha256Hex));
        }
        return found;
    }

    /**
     * One cached answer of the store, with a slot where the caller keeps what it derives from it (the filter: the
     * verdict and principal of a valid key), so a cached request need not build them again. The slot lives and
     * dies with the entry: an evicted or reloaded entry starts empty.
     */
    public static final class Entry {
        private final Optional<StoredKey> key;
        private volatile Object derived;

        Entry(Optional<StoredKey> key) {
            this.key = key;
        }

        /** What the store said: the key, or empty for a key it does not have. */
        public Optional<StoredKey> key() {
            return key;
        }

        /** What the caller stored with {@link #derive}, or {@code null}. */
        public Object derived() {
            return derived;
        }

        /** Keeps {@code value} with this entry; a racing caller may overwrite it with an equal one. */
        public void derive(Object value) {
            derived = value;
        }
    }
}
