package dev.gatekey.credits;

import dev.gatekey.store.CreditLease;
import dev.gatekey.store.CreditPolicy;
import dev.gatekey.store.KeyStore;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Credits spent exactly across nodes ({@code rateLimitStore=redis}): one counter per key and credits generation,
 * {@code <namespace><keyId>:<generation>}, seeded once (SET NX) with the remaining credits the store had for that
 * generation and decremented by a Lua script only when enough is left.
 *
 * <p>The database follows approximately: every second each node writes what it spent back to the store (a
 * {@link KeyStore#leaseCredits} of that amount; given back at once when the key has meanwhile changed generation),
 * so the admin API shows the remaining credits a few seconds late. A due refill is applied through the store
 * (a lease of 0), which moves the key to a new generation, hence a new counter seeded with the refill amount.
 *
 * <p>Redis sits behind a circuit breaker: while it is unreachable, credits are spent from
 * {@link LeasedCredits database leases} (what both spend during an outage may together exceed the balance by the
 * leases taken); the breaker logs one line when it opens and one when it closes.
 */
public final class RedisCredits implements CreditSpender {

    /** Prefix of every counter. */
    public static final String NAMESPACE = "gatekey:credits:";
    /** How long a counter without refill outlives its last seeding. */
    static final Duration TTL_WITHOUT_REFILL = Duration.ofDays(35);

    private static final Logger LOG = Logger.getLogger(RedisCredits.class.getName());

    private record Counter(String keyId, long generation) {
    }

    private final RedisCounters counters;
    private final String namespace;
    private final KeyStore store;
    private final Clock clock;
    private final LeasedCredits fallback;
    private final CircuitBreaker breaker;
    private final Map<Counter, LongAdder> unwritten = new ConcurrentHashMap<>();
    /** Credits newer than the cached key's, learnt when this node applied a refill, until the cache reloads. */
    private final Map<String, CreditPolicy> refilled = new ConcurrentHashMap<>();

    RedisCredits(RedisCounters counters, String namespace, KeyStore store, Clock clock) {
        this.counters = counters;
        this.namespace = namespace;
        this.store = store;
        this.clock = clock;
        this.fallback = new LeasedCredits(store, clock);
        this.breaker = CircuitBreaker.of("gatekey-credits-redis", CircuitBreakerConfig.custom()
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .slidingWindowSize(5)
                .minimumNumberOfCalls(3)
                .failureRateThreshold(60)
                .waitDurationInOpenState(Duration.ofSeconds(1))
                .permittedNumberOfCallsInHalfOpenState(1)
                .build());
        breaker.getEventPublisher().onStateTransition(event -> {
            switch (event.getStateTransition().getToState()) {
                case OPEN -> LOG.warning("Redis of the Gatekey credits is unreachable: spending from database leases");
                case CLOSED -> LOG.info("Redis of the Gatekey credits is back: spending from its counters");
                default -> LOG.fine("Redis breaker of the Gatekey credits: " + event.getStateTransition());
            }
        });
    }

    /**
     * Counters in the Redis of {@code redisUrl} (connected on first use).
     *
     * @param redisUrl {@code redis://} or {@code rediss://} URL
     */
    public static RedisCredits open(String redisUrl, KeyStore store, Clock clock) {
        return new RedisCredits(new RedisCounters(redisUrl), NAMESPACE, store, clock);
    }

    @Override
    public CreditCheck spend(String keyId, CreditPolicy cached, long cost) {
        Instant now = clock.instant();
        CreditPolicy credits = newest(keyId, cached);
        if (credits.refill() != null && !now.isBefore(credits.nextRefillAt())) {
            credits = refill(keyId, credits, now);
        }
        if (!breaker.tryAcquirePermission()) {
            return fallback.spend(keyId, credits, cost);
        }
        long start = System.nanoTime();
        long left;
        try {
            left = counters.spend(namespace + keyId + ":" + credits.generation(), cost, credits.remaining(),
                    ttlSeconds(credits, now));
            breaker.onSuccess(System.nanoTime() - start, TimeUnit.NANOSECONDS);
        } catch (RuntimeException e) {
            breaker.onError(System.nanoTime() - start, TimeUnit.NANOSECONDS, e);
            LOG.log(Level.FINE, "Redis credits failed: {0}", e.getClass().getName());
            return fallback.spend(keyId, credits, cost);
        }
        if (left < 0) {
            return CreditCheck.exhausted(credits.nextRefillAt());
        }
        unwritten.computeIfAbsent(new Counter(keyId, credits.generation()), c -> new LongAdder()).add(cost);
        return CreditCheck.SPENT;
    }

    private CreditPolicy newest(String keyId, CreditPolicy cached) {
        CreditPolicy known = refilled.get(keyId);
        if (known == null) {
            return cached;
        }
        if (known.generation() <= cached.generation()) {
            refilled.remove(keyId, known);
            return cached;
        }
        return known;
    }

    /** A lease of nothing applies the due refill in the store (once across nodes) and tells its generation. */
    private CreditPolicy refill(String keyId, CreditPolicy credits, Instant now) {
        CreditLease lease = store.leaseCredits(keyId, 0, now);
        long seed = lease.generation() > credits.generation() ? credits.refill().amount() : credits.remaining();
        Instant next = lease.nextRefillAt() != null && lease.nextRefillAt().isAfter(now) ? lease.nextRefillAt()
                : now.plus(Duration.ofMinutes(1));
        CreditPolicy newer = new CreditPolicy(seed, lease.generation(), credits.refill(), next);
        refilled.put(keyId, newer);
        return newer;
    }

    private static long ttlSeconds(CreditPolicy credits, Instant now) {
        Instant until = credits.nextRefillAt() == null ? now.plus(TTL_WITHOUT_REFILL)
                : credits.nextRefillAt().plus(Duration.ofDays(1));
        return Duration.between(now, until).toSeconds();
    }

    /** Writes what this node spent from Redis back to the store; what cannot be written now is tried again later. */
    @Override
    public void flush() {
        for (Map.Entry<Counter, LongAdder> entry : unwritten.entrySet()) {
            Counter counter = entry.getKey();
            long spent = entry.getValue().sumThenReset();
            if (spent == 0) {
                unwritten.remove(counter, entry.getValue());
                continue;
            }
            try {
                CreditLease lease = store.leaseCredits(counter.keyId(), spent, clock.instant());
                if (lease.generation() != counter.generation() && lease.granted() > 0) {
                    store.returnCredits(counter.keyId(), lease.granted(), lease.generation());
                }
            } catch (RuntimeException e) {
                entry.getValue().add(spent);
                LOG.log(Level.FINE, "Could not write spent credits back: {0}", e.getMessage());
            }
        }
    }

    /** The breaker's state, for tests. */
    CircuitBreaker.State state() {
        return breaker.getState();
    }

    @Override
    public void close() {
        try {
            flush();
            fallback.close();
        } finally {
            counters.close();
        }
    }
}
