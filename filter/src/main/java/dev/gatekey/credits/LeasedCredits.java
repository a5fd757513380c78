package dev.gatekey.credits;

import dev.gatekey.store.CreditLease;
import dev.gatekey.store.CreditPolicy;
import dev.gatekey.store.KeyStore;
import dev.gatekey.store.KeyStoreException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Credits spent from per-node leases: a node takes a batch of a key's credits from the store
 * ({@link KeyStore#leaseCredits}, a real decrement) and spends it locally, so across nodes never more than the
 * stored credits are spent. What a node holds unspent when it stops is given back ({@link #close()}).
 *
 * <p>Batch size, per key: the first lease takes one request's cost; each further lease doubles it, up to
 * {@value #MAX_BATCH_REQUESTS} requests' cost and never more than 1/{@value #REMAINING_SHARE} of the remaining
 * credits last read (so a few nodes cannot take all of a small balance each). A busy key thus goes to the store
 * about once per {@value #MAX_BATCH_REQUESTS} requests; what nodes hold unspent when a key runs out is at most a
 * batch each, which is why, across nodes, a little fewer than all credits may be spent before the next refill.
 *
 * <p>A lease of an older generation (the key was set, adjusted or refilled since: the cached key says so, or a
 * lease comes back with a newer one) is dropped, not returned; so is what is held when the next refill is due.
 * A key found without credits is not asked about again for {@link #EXHAUSTED_RECHECK} (a change of its credits
 * reloads the key with a new generation, which ends that at once).
 */
public final class LeasedCredits implements CreditSpender {

    static final int MAX_BATCH_REQUESTS = 16;
    static final int REMAINING_SHARE = 16;
    static final Duration EXHAUSTED_RECHECK = Duration.ofSeconds(1);

    private static final Logger LOG = Logger.getLogger(LeasedCredits.class.getName());

    private final KeyStore store;
    private final Clock clock;
    private final Map<String, Held> held = new ConcurrentHashMap<>();

    /** What this node holds of one key's credits. */
    private static final class Held {
        long generation = Long.MIN_VALUE;
        long left;
        long batch;
        Instant nextRefillAt;
        Instant exhaustedUntil;
    }

    public LeasedCredits(KeyStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    @Override
    public CreditCheck spend(String keyId, CreditPolicy credits, long cost) {
        Held h = held.computeIfAbsent(keyId, k -> new Held());
        synchronized (h) {
            Instant now = clock.instant();
            if (h.generation < credits.generation()
                    || (h.nextRefillAt != null && !now.isBefore(h.nextRefillAt))) {
                restart(h, credits.generation(), credits.nextRefillAt());
            }
            if (h.left >= cost) {
                h.left -= cost;
                return CreditCheck.SPENT;
            }
            if (h.exhaustedUntil != null && now.isBefore(h.exhaustedUntil)) {
                return CreditCheck.exhausted(h.nextRefillAt);
            }
            h.batch = nextBatch(h.batch, credits.remaining(), cost);
            CreditLease lease = store.leaseCredits(keyId, h.batch - h.left, now);
            if (lease.generation() != h.generation) {
                restart(h, lease.generation(), lease.nextRefillAt());
            }
            h.left += lease.granted();
            h.nextRefillAt = lease.nextRefillAt();
            if (h.left >= cost) {
                h.left -= cost;
                return CreditCheck.SPENT;
            }
            Instant recheck = now.plus(EXHAUSTED_RECHECK);
            h.exhaustedUntil = h.nextRefillAt != null && h.nextRefillAt.isBefore(recheck) ? h.nextRefillAt : recheck;
            return CreditCheck.exhausted(h.nextRefillAt);
        }
    }

    private static void restart(Held h, long generation, Instant nextRefillAt) {
        h.generation = generation;
        h.left = 0;
        h.batch = 0;
        h.nextRefillAt = nextRefillAt;
        h.exhaustedUntil = null;
    }

    /** Doubles, from one request's cost up to the caps of the class comment; always at least {@code cost}. */
    static long nextBatch(long previous, long remaining, long cost) {
        long doubled = previous <= 0 ? cost : Math.min(previous * 2, cost * (long) MAX_BATCH_REQUESTS);
        return Math.max(cost, Math.min(doubled, remaining / REMAINING_SHARE));
    }

    /** Credits this node holds unspent for a key (tests). */
    long held(String keyId) {
        Held h = held.get(keyId);
        if (h == null) {
            return 0;
        }
        synchronized (h) {
            return h.left;
        }
    }

    /** Gives back every unspent lease; a store failure is logged and the rest still tried. */
    @Override
    public void close() {
        for (Map.Entry<String, Held> entry : held.entrySet()) {
            Held h = entry.getValue();
            long left;
            long generation;
            synchronized (h) {
                left = h.left;
                generation = h.generation;
                h.left = 0;
            }
            if (left > 0) {
                try {
                    store.returnCredits(entry.getKey(), left, generation);
                } catch (KeyStoreException | UnsupportedOperationException e) {
                    LOG.log(Level.WARNING, "Could not give back {0} unspent credits of key {1}: {2}",
                            new Object[] {left, entry.getKey(), e.getMessage()});
                }
            }
        }
    }
}
