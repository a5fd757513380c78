package dev.gatekey.store;

import java.time.Instant;
import java.util.Objects;

/**
 * A key's credits as the store last read them.
 *
 * @param remaining credits left when read ({@code >= 0}); a snapshot: nodes spend through leases or Redis
 * @param generation changes whenever the credits are set, adjusted or refilled (not when they are spent), so a node
 *     can tell that what it holds for the key is stale
 * @param refill the refill rule, or {@code null} for none
 * @param nextRefillAt when the next refill is due, or {@code null} without refill
 */
public record CreditPolicy(long remaining, long generation, Refill refill, Instant nextRefillAt) {

    public CreditPolicy {
        if (remaining < 0) {
            throw new IllegalArgumentException("remaining must be >= 0");
        }
        if ((refill == null) != (nextRefillAt == null)) {
            throw new IllegalArgumentException("refill and nextRefillAt go together");
        }
    }

    /** How often credits are refilled. */
    public enum Interval {
        /** Every day at 00:00 UTC. */
        DAILY,
        /** Every month on {@code refillDay} (1..28, default 1) at 00:00 UTC. */
        MONTHLY
    }

    /**
     * A refill: at each due time the remaining credits are <b>set</b> to {@code amount} (unused credits do not
     * accumulate).
     *
     * @param interval daily or monthly
     * @param amount credits after a refill ({@code > 0})
     * @param refillDay day of the month for monthly refills (1..28), {@code null} for daily ones
     */
    public record Refill(Interval interval, long amount, Integer refillDay) {

        public Refill {
            Objects.requireNonNull(interval, "interval");
            if (amount <= 0) {
                throw new IllegalArgumentException("amount must be > 0");
            }
            if (interval == Interval.DAILY && refillDay != null) {
                throw new IllegalArgumentException("refillDay is for monthly refills");
            }
            if (refillDay != null && (refillDay < 1 || refillDay > 28)) {
                throw new IllegalArgumentException("refillDay must be 1..28");
            }
        }
    }
}
