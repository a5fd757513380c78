package dev.gatekey.credits;

import dev.gatekey.store.CreditLease;
import dev.gatekey.store.CreditPolicy;
import dev.gatekey.store.KeyStore;
import dev.gatekey.store.KeyStoreException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Credits spent exactly across nodes ({@code rateLimitStore=redis}) and never overspent, Redis up or down: one
 * counter per key and credits generation, {@code <namespace><keyId>:<generation>}, that holds credits
 * <em>leased</em> from the store ({@link KeyStore#leaseCredits}, a real decrement), never a copy of the balance.
 *
 * <p>A request decrements the counter by its cost, atomically (Lua), only when enough is left. When not, the node
 * leases a batch from the store (sized as {@link LeasedCredits} sizes its batches: one request's cost at first,
 * doubling up to {@value LeasedCredits#MAX_BATCH_REQUESTS} requests' cost, at most
 * 1/{@value LeasedCredits#REMAINING_SHARE} of the remaining credits, one request's cost again once the store ran
 * short) and adds what was granted to the counter of that lease's generation, spending the request's cost in the
 * same script. Nothing is written back: the store was decremented up front. Since every node spends from the same
 * counter, all credits can be spent; when the store grants nothing and the counter cannot cover the cost the
 * request is refused (and the store not asked again about that key for {@link LeasedCredits#EXHAUSTED_RECHECK}).
 * A due refill is applied by the store inside a lease, which moves the key to a new generation, hence a new counter.
 * The counter of an older generation is abandoned, never merged: what it still holds goes unspent (it expires, see
 * {@link #TTL_WITHOUT_REFILL}). On {@link #close()} a node empties the counters it used (GET and DEL in one script)
 * and gives what they held back to the store, which takes it only for the generation it still has.
 *
 * <p>Redis sits behind a circuit breaker: while it is unreachable, credits are spent from
 * {@link LeasedCredits database leases}, real decrements as well, so the two together never spend more than the
 * store had; credits left in the counters stay there until Redis is back (spent then, or unspent). A batch leased
 * just before Redis failed is lost. The breaker logs one line when it opens and one when it closes.
 */
public final class RedisCredits implements CreditSpender {

    /** Prefix of every counter. */
    public static final String NAMESPACE = "gatekey:credits:";
    /** How long a counter of a key without refill outlives the last credits added to it. */
    static final Duration TTL_WITHOUT_REFILL = Duration.ofDays(35);
    /** How long a counter outlives its generation's next refill (after which nothing spends from it). */
    static final Duration TTL_AFTER_REFILL = Duration.ofDays(1);

    private static final Logger LOG = Logger.getLogger(RedisCredits.class.getName());

    private final RedisCounters counters;
    private final String namespace;
    private final KeyStore store;
    private final Clock clock;
    private final LeasedCredits fallback;
    private final CircuitBreaker breaker;
    private final Map<String, CounterState> known = new ConcurrentHashMap<>();

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
        CounterState state = known.computeIfAbsent(keyId, k -> new CounterState());
        CounterState.View view = state.follow(cached);
        if (!breaker.tryAcquirePermission()) {
            return fallback.spend(keyId, view.policy(cached), cost);
        }
        long start = System.nanoTime();
        try {
            CreditCheck check = spendThroughRedis(keyId, state, view, cached, cost, now);
            breaker.onSuccess(System.nanoTime() - start, TimeUnit.NANOSECONDS);
            return check;
        } catch (KeyStoreException | UnsupportedOperationException e) {
            breaker.releasePermission();
            throw e;
        } catch (RuntimeException e) {
            breaker.onError(System.nanoTime() - start, TimeUnit.NANOSECONDS, e);
            LOG.log(Level.FINE, "Redis credits failed: {0}", e.getClass().getName());
            return fallback.spend(keyId, state.follow(cached).policy(cached), cost);
        }
    }

    private CreditCheck spendThroughRedis(String keyId, CounterState state, CounterState.View view,
            CreditPolicy cached, long cost, Instant now) {
        if (!view.refillDue(now) && counters.spend(counter(keyId, view.generation()), cost) >= 0) {
            return CreditCheck.SPENT;
        }
        synchronized (state.leasing) {
            // another thread of this node may have just added a batch, or moved to a newer generation
            CounterState.View current = state.follow(cached);
            if (!current.refillDue(now) && counters.spend(counter(keyId, current.generation()), cost) >= 0) {
                return CreditCheck.SPENT;
            }
            if (current.exhaustedAt(now)) {
                return CreditCheck.exhausted(current.nextRefillAt());
            }
            long want = state.nextBatch(cost);
            CreditLease lease = store.leaseCredits(keyId, want, now);
            state.leased(lease, want, cached.refill(), now);
            String counter = counter(keyId, lease.generation());
            long left = lease.granted() > 0
                    ? counters.addAndSpend(counter, lease.granted(), cost, ttlSeconds(lease.nextRefillAt(), now))
                    : counters.spend(counter, cost);
            return left >= 0 ? CreditCheck.SPENT : CreditCheck.exhausted(lease.nextRefillAt());
        }
    }

    private String counter(String keyId, long generation) {
        return namespace + keyId + ":" + generation;
    }

    private static long ttlSeconds(Instant nextRefillAt, Instant now) {
        Instant until = nextRefillAt == null ? now.plus(TTL_WITHOUT_REFILL) : nextRefillAt.plus(TTL_AFTER_REFILL);
        return Duration.between(now, until).toSeconds();
    }

    /** The breaker's state, for tests. */
    CircuitBreaker.State state() {
        return breaker.getState();
    }

    /**
     * Empties the counters this node used and gives what they held back to the store (other nodes lease again),
     * then gives back its database leases; stops asking Redis at its first failure.
     */
    @Override
    public void close() {
        try {
            for (Map.Entry<String, CounterState> entry : known.entrySet()) {
                long generation = entry.getValue().follow(null).generation();
                long left;
                try {
                    left = counters.takeAll(counter(entry.getKey(), generation));
                } catch (RuntimeException e) {
                    LOG.log(Level.FINE, "Could not empty the credit counters: {0}", e.getClass().getName());
                    break;
                }
                giveBack(entry.getKey(), left, generation);
            }
            fallback.close();
        } finally {
            counters.close();
        }
    }

    private void giveBack(String keyId, long amount, long generation) {
        if (amount <= 0) {
            return;
        }
        try {
            store.returnCredits(keyId, amount, generation);
        } catch (KeyStoreException | UnsupportedOperationException e) {
            LOG.log(Level.WARNING, "Could not give back {0} unspent credits of key {1}: {2}",
                    new Object[] {amount, keyId, e.getMessage()});
        }
    }
}
