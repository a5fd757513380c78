package dev.gatekey.persistence;

import java.time.Instant;
import java.util.List;

/**
 * An API key as the admin API shows it. Immutable.
 *
 * @param id public id ({@code key_...}), safe to log
 * @param key the key text per the requested {@link KeyFormat}: null, masked or the full key
 * @param scopes the key's scopes; empty for none
 * @param allowedIps the CIDRs the key may be used from; empty for anywhere
 * @param credits the key's credits (with {@link Credits#nextRefillAt()} when it has a refill), or null for
 *     unlimited
 */
public record ApiKey(String id, String key, String description, Instant createdOn, Instant expiresOn,
        Instant lastUsedOn, Instant revokedOn, List<String> scopes, List<String> allowedIps, Credits credits) {

    public ApiKey {
        scopes = scopes == null ? List.of() : List.copyOf(scopes);
        allowedIps = allowedIps == null ? List.of() : List.copyOf(allowedIps);
    }

    /** A key without policy: no scopes, any address, unlimited credits. */
    public ApiKey(String id, String key, String description, Instant createdOn, Instant expiresOn,
            Instant lastUsedOn, Instant revokedOn) {
        this(id, key, description, createdOn, expiresOn, lastUsedOn, revokedOn, null, null, null);
    }

    /** Neither revoked nor expired at {@code now} (a revocation or expiry dated later counts from then). */
    public boolean isActiveAt(Instant now) {
        return isActive(revokedOn, expiresOn, now);
    }

    /**
     * The one rule of an active key: neither revoked nor expired at {@code now} (a revocation or expiry dated
     * later counts from then). A key of a deleted consumer is revoked with it.
     */
    static boolean isActive(Instant revokedOn, Instant expiresOn, Instant now) {
        return (revokedOn == null || now.isBefore(revokedOn)) && (expiresOn == null || now.isBefore(expiresOn));
    }

    /** Never shows the key text: records end up in logs. */
    @Override
    public String toString() {
        return "ApiKey[id=" + id + ", description=" + description + ", createdOn=" + createdOn
                + ", expiresOn=" + expiresOn + ", lastUsedOn=" + lastUsedOn + ", revokedOn=" + revokedOn
                + ", scopes=" + scopes + ", allowedIps=" + allowedIps + ", credits=" + credits + "]";
    }
}
