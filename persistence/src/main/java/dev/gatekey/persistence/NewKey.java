package dev.gatekey.persistence;

import java.time.Instant;
import java.util.List;

/**
 * A key to create ({@link KeyService#create(String, String, String, NewKey)},
 * {@link ConsumerService#create(String, String, NewConsumer, NewKey)}) with its policy.
 *
 * @param description label, or null
 * @param expiresOn null = never; else in the future
 * @param scopes at most 32, each {@code ^[a-z][a-z0-9:._-]{0,63}$}; null or empty = none
 * @param allowedIps at most 50 IPv4/IPv6 CIDRs; null or empty = anywhere
 * @param credits null = unlimited
 */
public record NewKey(String description, Instant expiresOn, List<String> scopes, List<String> allowedIps,
        Credits credits) {

    /** A key without description, expiry or policy. */
    public static NewKey plain() {
        return new NewKey(null, null, null, null, null);
    }

    public NewKey withDescription(String value) {
        return new NewKey(value, expiresOn, scopes, allowedIps, credits);
    }

    public NewKey withExpiresOn(Instant value) {
        return new NewKey(description, value, scopes, allowedIps, credits);
    }

    public NewKey withScopes(List<String> value) {
        return new NewKey(description, expiresOn, value, allowedIps, credits);
    }

    public NewKey withAllowedIps(List<String> value) {
        return new NewKey(description, expiresOn, scopes, value, credits);
    }

    public NewKey withCredits(Credits value) {
        return new NewKey(description, expiresOn, scopes, allowedIps, value);
    }
}
