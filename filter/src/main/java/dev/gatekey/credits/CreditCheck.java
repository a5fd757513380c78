package dev.gatekey.credits;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Whether a request's credits were spent; when they were not, when the key is refilled next.
 *
 * @param spent true when the request may continue
 * @param nextRefillAt when a refused key gets credits again, or {@code null} when it has no refill
 */
public record CreditCheck(boolean spent, Instant nextRefillAt) {

    /** The credits were spent. */
    public static final CreditCheck SPENT = new CreditCheck(true, null);

    /** No credits left. */
    public static CreditCheck exhausted(Instant nextRefillAt) {
        return new CreditCheck(false, nextRefillAt);
    }

    /** Whole seconds until the next refill (at least 1), or -1 without one: the {@code Retry-After}. */
    public long retryAfterSeconds(Clock clock) {
        if (nextRefillAt == null) {
            return -1;
        }
        long millis = Duration.between(clock.instant(), nextRefillAt).toMillis();
        return Math.max(1, (millis + 999) / 1000);
    }
}
