package dev.gatekey.credits;

import dev.gatekey.store.CreditLease;
import dev.gatekey.store.CreditPolicy;
import java.time.Instant;

/**
 * What one node knows of one key's Redis counter: the newest credits generation it has seen (from the cached key
 * or from a lease), when that generation's next refill is due, and the size of its next lease. Thread-safe.
 */
final class CounterState {

    /** Held while leasing, so the threads of one node take one batch at a time per key. */
    final Object leasing = new Object();

    private long generation = Long.MIN_VALUE;
    private Instant nextRefillAt;
    private long remainingHint;
    private long batch;
    private Instant exhaustedUntil;

    /** A consistent read of the state. */
    record View(long generation, Instant nextRefillAt, Instant exhaustedUntil) {

        boolean refillDue(Instant now) {
            return nextRefillAt != null && !now.isBefore(nextRefillAt);
        }

        boolean exhaustedAt(Instant now) {
            return exhaustedUntil != null && now.isBefore(exhaustedUntil);
        }

        /** The cached credits at this generation, for the database leases. */
        CreditPolicy policy(CreditPolicy cached) {
            Instant next = cached.refill() == null ? null : nextRefillAt != null ? nextRefillAt : cached.nextRefillAt();
            return new CreditPolicy(cached.remaining(), generation, cached.refill(), next);
        }
    }

    /** Moves to the cached credits when they are of a newer generation (null: no cached credits); a view. */
    synchronized View follow(CreditPolicy cached) {
        if (cached != null && cached.generation() > generation) {
            generation = cached.generation();
            nextRefillAt = cached.nextRefillAt();
            remainingHint = cached.remaining();
            batch = 0;
            exhaustedUntil = null;
        }
        return new View(generation, nextRefillAt, exhaustedUntil);
    }

    /** The size of the next lease, which becomes the current batch. */
    synchronized long nextBatch(long cost) {
        batch = LeasedCredits.nextBatch(batch, remainingHint, cost);
        return batch;
    }

    /** Takes in what a lease of {@code want} said: its generation, next refill, and whether the store ran short. */
    synchronized void leased(CreditLease lease, long want, CreditPolicy.Refill refill, Instant now) {
        if (lease.generation() != generation) {
            generation = lease.generation();
            if (refill != null) {
                remainingHint = refill.amount();
            }
            exhaustedUntil = null;
        }
        nextRefillAt = lease.nextRefillAt();
        if (lease.granted() < want) {
            batch = 0;
            remainingHint = 0;
            Instant recheck = now.plus(LeasedCredits.EXHAUSTED_RECHECK);
            exhaustedUntil = nextRefillAt != null && nextRefillAt.isBefore(recheck) ? nextRefillAt : recheck;
        } else {
            remainingHint = Math.max(0, remainingHint - lease.granted());
        }
    }
}
