package dev.gatekey.persistence;

import java.time.Instant;

/**
 * Changes to a key ({@link KeyService#update}).
 *
 * @param description new description, or null to keep it
 * @param changeExpiry whether {@code expiresOn} applies
 * @param expiresOn new expiry (null = never), used when {@code changeExpiry}
 */
public record KeyChanges(String description, boolean changeExpiry, Instant expiresOn) {

    public static KeyChanges description(String description) {
        return new KeyChanges(description, false, null);
    }

    public static KeyChanges expiresOn(Instant expiresOn) {
        return new KeyChanges(null, true, expiresOn);
    }
}
