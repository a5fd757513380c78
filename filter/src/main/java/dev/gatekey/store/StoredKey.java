package dev.gatekey.store;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * A key as the store knows it: immutable, with everything the filter needs for its verdict.
 *
 * @param keyId public id of the key ({@code key_...}); safe to log
 * @param bucket name of the bucket the key belongs to
 * @param consumer consumer name, the principal's {@code sub}
 * @param metadata consumer metadata (a JSON object: strings, numbers, booleans, lists, maps);
 *     copied into an unmodifiable map
 * @param expiresOn when the key stops working, or {@code null} for never
 * @param revokedOn when the key was revoked, or {@code null} when it was not
 * @param consumerEnabled false when the consumer was disabled or deleted
 * @param policy the key's scopes, allowed addresses and credits ({@link KeyPolicy#NONE} for none)
 */
public record StoredKey(
        String keyId,
        String bucket,
        String consumer,
        Map<String, Object> metadata,
        Instant expiresOn,
        Instant revokedOn,
        boolean consumerEnabled,
        KeyPolicy policy) {

    public StoredKey {
        Objects.requireNonNull(keyId, "keyId");
        Objects.requireNonNull(bucket, "bucket");
        Objects.requireNonNull(consumer, "consumer");
        metadata = metadata == null ? Map.of() : UnmodifiableJson.copyOf(metadata);
        policy = policy == null ? KeyPolicy.NONE : policy;
    }

    /** A key without scopes, allowlist or credits. */
    public StoredKey(String keyId, String bucket, String consumer, Map<String, Object> metadata, Instant expiresOn,
            Instant revokedOn, boolean consumerEnabled) {
        this(keyId, bucket, consumer, metadata, expiresOn, revokedOn, consumerEnabled, KeyPolicy.NONE);
    }

    /** True when the key is revoked at {@code now} (a revocation date in the future counts from then). */
    public boolean isRevokedAt(Instant now) {
        return revokedOn != null && !now.isBefore(revokedOn);
    }

    /** True when the key has expired at {@code now}: the expiry instant itself is already expired. */
    public boolean isExpiredAt(Instant now) {
        return expiresOn != null && !now.isBefore(expiresOn);
    }
}
