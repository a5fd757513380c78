package dev.gatekey.cache;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import dev.gatekey.metrics.GatekeyMetrics;
import dev.gatekey.store.KeyStore;
import dev.gatekey.store.KeyStoreException;
import dev.gatekey.store.StoredKey;
import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Store answers by key hash: positive and negative entries, expiring {@code ttl} after they were loaded,
 * bounded by {@code maximumSize}.
 *
 * <p>A store failure is never cached, and it is cheap:
 * <ul>
 * <li>Concurrent misses for one hash share one lookup, <em>and its failure</em>: a request never runs a lookup
 *     again because the one it waited on failed, and never waits longer than {@code lookupTimeout} on another
 *     request's lookup.</li>
 * <li>A circuit breaker (Resilience4j) in front of the store opens when about half of the recent lookups failed or
 *     ran past {@code lookupTimeout}: while it is open no lookup reaches the store, and every few seconds one
 *     request is let through as a probe (half-open). The change feed's poller reports its successful reads
 *     ({@link #storeAvailable()}), so the breaker closes as soon as the database answers it.</li>
 * <li>A bulkhead bounds concurrent lookups ({@code maxConcurrentLookups}): more are refused at once instead of
 *     queueing request threads behind a slow database.</li>
 * <li>A refused or failed lookup is answered from a separate bounded "last known good" cache when the key's
 *     positive entry was loaded less than {@code ttl + staleIfError} ago, else thrown as a
 *     {@link KeyStoreException} (the filter answers 503 in milliseconds).</li>
 * </ul>
 * The store's state changes are logged once each (WARNING when it becomes unavailable, INFO with the outage's
 * counts when it is back); everything else is counted in the metrics. Nothing needs a restart when the store
 * comes back.
 *
 * <p>Entries say what the store said, not whether the key is valid now: callers check expiry and
 * revocation dates against their clock on every request.
 */
public final class KeyCache {

    /** Lookups waited on by default, when no time-out is given. */
    public static final Duration DEFAULT_LOOKUP_TIMEOUT = Duration.ofSeconds(2);
    /** Concurrent lookups allowed by default. */
    public static final int DEFAULT_MAX_CONCURRENT_LOOKUPS = 16;
    /** How long the breaker stays open before letting a probe through. */
    public static final Duration OPEN_STATE_DURATION = Duration.ofSeconds(2);
    /** Recent lookups the breaker judges by, and how many it needs before judging. */
    static final int WINDOW = 10;
    static final int MINIMUM_CALLS = 4;

    private static final Logger LOG = Logger.getLogger(KeyCache.class.getName());

    private final KeyStore store;
    private final GatekeyMetrics metrics;
    private final Ticker ticker;
    private final long lookupTimeoutNanos;
    private final long ttlNanos;
    private final Cache<String, Entry> entries;
    private final RecentKeys recent;
    private final Cache<String, StoredKey> lastKnownGood;
    private final ConcurrentMap<String, CompletableFuture<Optional<StoredKey>>> inFlight = new ConcurrentHashMap<>();
    /** Bumped by every invalidation: a lookup that overlapped one may have read what it evicted. */
    private final AtomicLong invalidations = new AtomicLong();
    private final CircuitBreaker breaker;
    private final Bulkhead bulkhead;
    private final StoreOutage outage;

    /** With {@link #DEFAULT_LOOKUP_TIMEOUT} and {@link #DEFAULT_MAX_CONCURRENT_LOOKUPS}. */
    public KeyCache(KeyStore store, Duration ttl, long maximumSize, Duration staleIfError, Ticker ticker,
            GatekeyMetrics metrics) {
        this(store, ttl, maximumSize, staleIfError, DEFAULT_LOOKUP_TIMEOUT, DEFAULT_MAX_CONCURRENT_LOOKUPS, ticker,
                metrics);
    }

    /**
     * @param lookupTimeout the longest a lookup should take (the store's own time-outs bound it): a request waits
     *     no longer on another's lookup, and a lookup slower than this counts against the store
     * @param maxConcurrentLookups the bulkhead: lookups running at once, beyond which lookups are refused
     * @throws IllegalArgumentException when {@code maximumSize} or {@code maxConcurrentLookups} is not positive
     */
    public KeyCache(KeyStore store, Duration ttl, long maximumSize, Duration staleIfError, Duration lookupTimeout,
            int maxConcurrentLookups, Ticker ticker, GatekeyMetrics metrics) {
        if (maximumSize < 1) {
            throw new IllegalArgumentException("maximum size must be positive");
        }
        if (maxConcurrentLookups < 1) {
            throw new IllegalArgumentException("maximum concurrent lookups must be positive");
        }
        this.store = store;
        this.metrics = metrics;
        this.ticker = ticker;
        this.lookupTimeoutNanos = lookupTimeout.toNanos();
        this.ttlNanos = ttl.toNanos();
        // evicted and expired entries are retired at once, so the index of recent keys never answers with them
        this.entries = Caffeine.newBuilder().expireAfterWrite(ttl).maximumSize(maximumSize).ticker(ticker)
                .<String, Entry>evictionListener((hash, entry, cause) -> Entry.retire(entry)).build();
        this.recent = new RecentKeys(maximumSize);
        this.lastKnownGood = staleIfError.isZero() ? null
                : Caffeine.newBuilder().expireAfterWrite(ttl.plus(staleIfError)).maximumSize(maximumSize)
                        .ticker(ticker).build();
        this.breaker = CircuitBreaker.of("gatekey-key-store", CircuitBreakerConfig.custom()
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .slidingWindowSize(WINDOW)
                .minimumNumberOfCalls(MINIMUM_CALLS)
                .failureRateThreshold(50)
                .slowCallDurationThreshold(lookupTimeout)
                .slowCallRateThreshold(50)
                .waitDurationInOpenState(OPEN_STATE_DURATION)
                .permittedNumberOfCallsInHalfOpenState(1)
                // a probe that never returns (a store without time-outs) must not keep the breaker half-open
                .maxWaitDurationInHalfOpenState(lookupTimeout.multipliedBy(2))
                .clock(new TickerClock(ticker))
                .currentTimestampFunction(clock -> ticker.read(), TimeUnit.NANOSECONDS)
                .build());
        this.outage = new StoreOutage(ticker);
        this.breaker.getEventPublisher().onStateTransition(outage::logTransition);
        this.bulkhead = Bulkhead.of("gatekey-key-store", BulkheadConfig.custom()
                .maxConcurrentCalls(maxConcurrentLookups)
                .maxWaitDuration(Duration.ZERO)
                .build());
    }

    /**
     * What the store knows about the key with this hash: from the cache, else from the store, else (store
     * failing, breaker open, too many lookups running) from the last known good entry.
     *
     * @return the key, or empty when the store has no key with this hash
     * @throws KeyStoreException when the store cannot answer and no recent good entry stands in
     */
    public Optional<StoredKey> find(String sha256Hex) {
        Entry cached = entries.getIfPresent(sha256Hex);
        if (cached != null) {
            metrics.cacheHit();
            return cached.key();
        }
        metrics.cacheMiss();
        CompletableFuture<Optional<StoredKey>> mine = new CompletableFuture<>();
        CompletableFuture<Optional<StoredKey>> running = inFlight.putIfAbsent(sha256Hex, mine);
        if (running != null) {
            return await(sha256Hex, running);
        }
        try {
            cached = entries.getIfPresent(sha256Hex);
            Optional<StoredKey> found = cached != null ? cached.key() : lookup(sha256Hex);
            mine.complete(found);
            return found;
        } catch (KeyStoreException e) {
            mine.completeExceptionally(e);
            return staleOrThrow(sha256Hex, e);
        } finally {
            inFlight.remove(sha256Hex, mine);
        }
    }

    private Optional<StoredKey> await(String sha256Hex, CompletableFuture<Optional<StoredKey>> running) {
        try {
            return running.get(lookupTimeoutNanos, TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            return staleOrThrow(sha256Hex, e.getCause() instanceof KeyStoreException kse ? kse
                    : new KeyStoreException("key store failed", e.getCause()));
        } catch (TimeoutException e) {
            return staleOrThrow(sha256Hex, new KeyStoreException("key store lookup still running after "
                    + TimeUnit.NANOSECONDS.toMillis(lookupTimeoutNanos) + " ms"));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return staleOrThrow(sha256Hex, new KeyStoreException("interrupted waiting for the key store", e));
        }
    }

    private Optional<StoredKey> staleOrThrow(String sha256Hex, KeyStoreException failure) {
        StoredKey stale = lastKnownGood == null ? null : lastKnownGood.getIfPresent(sha256Hex);
        if (stale != null) {
            metrics.staleServed();
            outage.staleServed();
            return Optional.of(stale);
        }
        outage.refused();
        throw failure;
    }

    private Optional<StoredKey> lookup(String sha256Hex) {
        long epoch = invalidations.get();
        Optional<StoredKey> found = guarded(() -> {
            metrics.storeLookup();
            Optional<StoredKey> answer = store.findByHash(sha256Hex);
            if (answer == null) {
                throw new KeyStoreException("key store returned null instead of an Optional");
            }
            return answer;
        });
        Entry.retire(entries.asMap().put(sha256Hex, new Entry(found, ticker.read() + ttlNanos)));
        if (lastKnownGood != null) {
            // a key the store no longer has must not come back as "last known good" during an outage
            found.ifPresentOrElse(key -> lastKnownGood.put(sha256Hex, key), () -> lastKnownGood.invalidate(sha256Hex));
        }
        if (invalidations.get() != epoch) {
            // an eviction ran while we read: what we read may be what it evicted
            invalidate(sha256Hex);
        }
        return found;
    }

    /**
     * Runs a store call (a lookup, a credit lease) behind the breaker and bulkhead: while the store is failing or
     * saturated the call is not made and a {@link KeyStoreException} says why, at once; failures and slow answers
     * count towards opening the breaker. Throws {@link KeyStoreException} when refused or failed.
     */
    public <T> T guarded(Supplier<T> call) {
        if (!breaker.tryAcquirePermission()) {
            metrics.storeRejected();
            throw new KeyStoreException("key store unavailable (circuit open)");
        }
        if (!bulkhead.tryAcquirePermission()) {
            breaker.releasePermission();
            metrics.storeRejected();
            throw new KeyStoreException("too many concurrent key store lookups");
        }
        long start = ticker.read();
        T result;
        try {
            result = call.get();
        } catch (RuntimeException e) {
            breaker.onError(ticker.read() - start, TimeUnit.NANOSECONDS, e);
            metrics.storeError();
            outage.failed();
            throw e instanceof KeyStoreException kse ? kse : new KeyStoreException("key store failed", e);
        } finally {
            bulkhead.onComplete();
        }
        breaker.onSuccess(ticker.read() - start, TimeUnit.NANOSECONDS);
        return result;
    }

    /** The change feed was read: the store answers again, so the breaker closes without waiting for a probe. */
    public void storeAvailable() {
        CircuitBreaker.State state = breaker.getState();
        if (state == CircuitBreaker.State.OPEN || state == CircuitBreaker.State.HALF_OPEN) {
            breaker.transitionToClosedState();
        }
    }

    /** The breaker's state: {@code closed}, {@code open} or {@code half_open}. */
    public String storeState() {
        return switch (breaker.getState()) {
            case OPEN, FORCED_OPEN -> GatekeyMetrics.STATE_OPEN;
            case HALF_OPEN -> GatekeyMetrics.STATE_HALF_OPEN;
            default -> GatekeyMetrics.STATE_CLOSED;
        };
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

    /**
     * The cached entry for the key {@code text[from, to)}, found by a keyed tag of the text rather than by its
     * hash (see {@link RecentKeys}), counted as a hit; or {@code null}, not counted, when the key was not
     * {@linkplain #remember remembered} or its entry is no longer current: the caller then hashes the key and
     * asks {@link #cached}.
     */
    public Entry recent(String text, int from, int to) {
        Entry entry = recent.get(text, from, to, ticker.read());
        if (entry != null) {
            metrics.cacheHit();
        }
        return entry;
    }

    /** Remembers the entry {@link #cached} returned for the key {@code text[from, to)}, for {@link #recent}. */
    public void remember(String text, int from, int to, Entry entry) {
        recent.put(text, from, to, entry);
    }

    /**
     * A change feed KEY row (a key created, revoked, rolled, re-dated, or its consumer changed): forgets the key in
     * both caches and, when this node knew it, reads it again at once, on the caller's thread. So a node keeps a
     * current answer for the keys it serves, and with it their stale-if-error fallback: a key created a moment ago
     * (whose creation row arrives after its first request) still has one when the store fails next. When the read
     * fails the key simply stays forgotten, as with {@link #invalidate}.
     */
    public void reload(String sha256Hex) {
        boolean held = entries.getIfPresent(sha256Hex) != null
                || (lastKnownGood != null && lastKnownGood.getIfPresent(sha256Hex) != null);
        invalidate(sha256Hex);
        if (!held) {
            return;
        }
        try {
            lookup(sha256Hex);
        } catch (KeyStoreException e) {
            LOG.log(Level.FINE, "Could not read a changed key again ({0}); the next request looks it up",
                    e.getMessage());
        }
    }

    /** Forgets one key, in both caches (a change feed KEY row). */
    public void invalidate(String sha256Hex) {
        invalidations.incrementAndGet();
        Entry.retire(entries.asMap().remove(sha256Hex));
        if (lastKnownGood != null) {
            lastKnownGood.invalidate(sha256Hex);
        }
    }

    /** Forgets everything (the kill switch). */
    public void invalidateAll() {
        invalidations.incrementAndGet();
        // one by one, so each entry is retired; a lookup racing this re-invalidates its own (see lookup)
        for (String hash : entries.asMap().keySet()) {
            invalidate(hash);
        }
        recent.clear();
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

    /**
     * One cached answer of the store, with a slot where the caller keeps what it derives from it (the filter: the
     * verdict and principal of a valid key), so a cached request need not build them again. The slot lives and
     * dies with the entry: an evicted or reloaded entry starts empty.
     */
    public static final class Entry {
        private final Optional<StoredKey> key;
        private final long expiresAtNanos;
        private volatile Object derived;
        private volatile boolean retired;

        Entry(Optional<StoredKey> key, long expiresAtNanos) {
            this.key = key;
            this.expiresAtNanos = expiresAtNanos;
        }

        /** Whether the cache still holds this entry at {@code nowNanos} (its ticker's time). */
        boolean isCurrentAt(long nowNanos) {
            return !retired && nowNanos - expiresAtNanos < 0;
        }

        /** The cache dropped this entry (if any): it must not be answered any more. */
        static void retire(Entry entry) {
            if (entry != null) {
                entry.retired = true;
            }
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
