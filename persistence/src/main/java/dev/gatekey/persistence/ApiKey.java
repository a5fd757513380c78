package dev.gatekey.persistence;

import java.time.Instant;

/**
 * An API key as the admin API shows it. Immutable.
 *
 * @param id public id ({@code key_...}), safe to log
 * @param key the key text per the requested {@link KeyFormat}: null, masked or the full key
 */
public record ApiKey(String id, String key, String description, Instant createdOn, Instant expiresOn,
        Instant lastUsedOn, Instant revokedOn) {

    /** Never shows the key text: records end up in logs. */
    @Override
    public String toString() {
        return "ApiKey[id=" + id + ", description=" + description + ", createdOn=" + createdOn
                + ", expiresOn=" + expiresOn + ", lastUsedOn=" + lastUsedOn + ", revokedOn=" + revokedOn + "]";
    }
}
