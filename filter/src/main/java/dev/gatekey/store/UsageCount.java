package dev.gatekey.store;

import java.util.Objects;

/**
 * Requests one filter node counted in one minute for one key (or, for refusals before any key was known, for one
 * bucket), with one outcome: what {@link KeyStore#recordUsage} adds to the stored totals.
 *
 * @param bucket the filter's bucket, for counts without a key; with a key, the store files the count under the key's
 *     own bucket and consumer
 * @param keyId the key's public id, or {@code null} for a refusal before any key was known (no key, malformed,
 *     bad checksum, unknown key)
 * @param minute the minute, as minutes since 1970-01-01T00:00Z (UTC)
 * @param outcome the outcome's metric tag ({@code valid}, {@code revoked}, {@code rate_limited} ...)
 * @param count requests, at least 1
 */
public record UsageCount(String bucket, String keyId, long minute, String outcome, long count) {

    public UsageCount {
        Objects.requireNonNull(bucket, "bucket");
        Objects.requireNonNull(outcome, "outcome");
        if (count < 1) {
            throw new IllegalArgumentException("count must be positive");
        }
        if (minute < 0) {
            throw new IllegalArgumentException("minute must not be negative");
        }
    }
}
