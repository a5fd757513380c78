package dev.gatekey.persistence;

import java.time.Instant;
import java.util.Objects;

/**
 * Requests with one outcome in one period.
 *
 * @param start the period's start (UTC; a whole minute, hour or day)
 * @param outcome the outcome, as the filter's metric tags spell it ({@code valid}, {@code revoked} ...)
 * @param count requests, at least 1 (periods without requests are left out)
 */
public record UsagePoint(Instant start, String outcome, long count) {

    public UsagePoint {
        Objects.requireNonNull(start, "start");
        Objects.requireNonNull(outcome, "outcome");
    }
}
