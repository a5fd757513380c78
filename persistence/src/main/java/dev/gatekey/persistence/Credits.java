package dev.gatekey.persistence;

import dev.gatekey.store.CreditPolicy.Interval;
import java.time.Instant;

/**
 * A key's credits: how many requests it has left and, optionally, how they are refilled. A key without credits
 * ({@code null} where a {@code Credits} is expected) is unlimited. The services check the values and answer with
 * field errors ({@link InvalidInputException}); the records themselves accept anything.
 *
 * @param remaining credits left ({@code >= 0})
 * @param refill the refill rule, or {@code null} for none
 * @param nextRefillAt when the next refill is due (null without refill); computed by the services, ignored on input
 */
public record Credits(long remaining, Refill refill, Instant nextRefillAt) {

    /** {@code remaining} credits that are never refilled. */
    public static Credits of(long remaining) {
        return new Credits(remaining, null, null);
    }

    /** {@code remaining} credits, refilled by {@code refill}. */
    public static Credits of(long remaining, Refill refill) {
        return new Credits(remaining, refill, null);
    }

    /**
     * A refill: when due, the remaining credits are <b>set</b> to {@code amount} (unused ones do not accumulate).
     * Daily refills are due at 00:00 UTC, monthly ones on {@code refillDay} (default 1) at 00:00 UTC.
     *
     * @param interval daily or monthly
     * @param amount credits after a refill ({@code > 0})
     * @param refillDay day of the month (1..28) for monthly refills; null for daily ones (and the 1st)
     */
    public record Refill(Interval interval, long amount, Integer refillDay) {

        /** Every day at 00:00 UTC, to {@code amount}. */
        public static Refill daily(long amount) {
            return new Refill(Interval.DAILY, amount, null);
        }

        /** Every month on {@code refillDay} (1..28) at 00:00 UTC, to {@code amount}. */
        public static Refill monthly(long amount, int refillDay) {
            return new Refill(Interval.MONTHLY, amount, refillDay);
        }
    }
}
