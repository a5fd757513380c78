package dev.gatekey.persistence;

import java.time.Instant;
import java.util.List;

/**
 * Changes to a key ({@link KeyService#update}); what is absent stays as it is.
 *
 * @param description new description, or null to keep it
 * @param changeExpiry whether {@code expiresOn} applies
 * @param expiresOn new expiry (null = never), used when {@code changeExpiry}
 * @param scopes new scopes (empty = none), or null to keep them
 * @param allowedIps new allowlist (empty = anywhere), or null to keep it
 * @param changeCredits whether {@code credits} applies
 * @param credits new credits (null = unlimited), used when {@code changeCredits}; they replace the old ones,
 *     refill rule included
 */
public record KeyChanges(String description, boolean changeExpiry, Instant expiresOn, List<String> scopes,
        List<String> allowedIps, boolean changeCredits, Credits credits) {

    /** Description and expiry only; the policy stays as it is. */
    public KeyChanges(String description, boolean changeExpiry, Instant expiresOn) {
        this(description, changeExpiry, expiresOn, null, null, false, null);
    }

    /** Nothing changes (start here and add with the {@code with...} methods). */
    public static KeyChanges none() {
        return new KeyChanges(null, false, null);
    }

    public static KeyChanges description(String description) {
        return new KeyChanges(description, false, null);
    }

    public static KeyChanges expiresOn(Instant expiresOn) {
        return new KeyChanges(null, true, expiresOn);
    }

    public KeyChanges withScopes(List<String> value) {
        return new KeyChanges(description, changeExpiry, expiresOn, value, allowedIps, changeCredits, credits);
    }

    public KeyChanges withAllowedIps(List<String> value) {
        return new KeyChanges(description, changeExpiry, expiresOn, scopes, value, changeCredits, credits);
    }

    /** @param value the new credits; null = unlimited */
    public KeyChanges withCredits(Credits value) {
        return new KeyChanges(description, changeExpiry, expiresOn, scopes, allowedIps, true, value);
    }

    /** True when scopes, allowlist or credits change. */
    boolean changesPolicy() {
        return scopes != null || allowedIps != null || changeCredits;
    }
}
