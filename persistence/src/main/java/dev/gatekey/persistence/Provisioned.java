package dev.gatekey.persistence;

/**
 * What {@link SelfServeService#provision} did for a user.
 *
 * @param consumer the user's consumer, without keys ({@link Consumer#apiKeys()} is null)
 * @param created whether this call created it (the user's first sign-in)
 * @param key only when {@code created}: the consumer's first key, in full, the one time it is shown; else null
 */
public record Provisioned(Consumer consumer, boolean created, ApiKey key) {
}
