package dev.gatekey.cache;

import com.github.benmanes.caffeine.cache.Ticker;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.event.CircuitBreakerOnStateTransitionEvent;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The key store's outages as {@link KeyCache}'s breaker sees them: one log line when the store becomes
 * unavailable, one with the outage's counts when it is back; the half-open probes in between are not state
 * changes a reader of the log needs. Logged under {@link KeyCache}'s logger.
 */
final class StoreOutage {

    private static final Logger LOG = Logger.getLogger(KeyCache.class.getName());

    private final Ticker ticker;
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong staleServed = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    private volatile long startNanos;
    private volatile boolean active;

    StoreOutage(Ticker ticker) {
        this.ticker = ticker;
    }

    void failed() {
        failed.incrementAndGet();
    }

    void staleServed() {
        staleServed.incrementAndGet();
    }

    void refused() {
        refused.incrementAndGet();
    }

    void logTransition(CircuitBreakerOnStateTransitionEvent event) {
        CircuitBreaker.StateTransition transition = event.getStateTransition();
        if (transition == CircuitBreaker.StateTransition.CLOSED_TO_OPEN) {
            failed.set(0);
            staleServed.set(0);
            refused.set(0);
            startNanos = ticker.read();
            active = true;
            LOG.warning("Gatekey key store unavailable: lookups stop for " + KeyCache.OPEN_STATE_DURATION.toMillis()
                    + " ms at a time, keys validated in the last cache TTL + staleIfErrorSeconds are served from "
                    + "memory, others answered 503 (counted in gatekey.store.rejected and gatekey.cache.stale)");
        } else if (transition.getToState() == CircuitBreaker.State.CLOSED && active) {
            active = false;
            LOG.info("Gatekey key store available again after "
                    + TimeUnit.NANOSECONDS.toMillis(ticker.read() - startNanos) + " ms: " + failed.get()
                    + " lookups failed, " + staleServed.get() + " answers served from memory, " + refused.get()
                    + " answered 503");
        } else {
            LOG.log(Level.FINE, "Gatekey key store breaker {0}", transition);
        }
    }
}
