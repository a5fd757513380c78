package dev.gatekey.principal;

import dev.gatekey.store.StoredKey;
import java.security.Principal;
import java.time.Instant;
import java.util.Map;
import java.util.Set;

/**
 * The caller behind a valid API key: {@code getUserPrincipal()} of a request the filter let through, and
 * the request attribute {@value #REQUEST_ATTRIBUTE}. An interface so a CDI request-scoped producer can proxy
 * it; instances are immutable.
 */
public interface ApiKeyPrincipal extends Principal {

    /** Request attribute carrying the principal of an authenticated request. */
    String REQUEST_ATTRIBUTE = "dev.gatekey.principal";

    /** {@code HttpServletRequest.getAuthType()} of an authenticated request. */
    String AUTH_TYPE = "API_KEY";

    /** Consumer metadata entry listing the consumer's roles (a JSON array of strings). */
    String METADATA_ROLES = "roles";

    /** The consumer name, same as {@link #sub()}. */
    @Override
    String getName();

    /** The consumer name. */
    String sub();

    /** The consumer metadata, unmodifiable (nested maps and lists too). */
    Map<String, Object> data();

    /** Public id of the key used ({@code key_...}); safe to log. */
    String keyId();

    /** Bucket of the key. */
    String bucket();

    /** When the key expires, or {@code null} for never. */
    Instant expiresOn();

    /** The key's scopes (see the key policies); empty for a key without scopes. */
    default Set<String> scopes() {
        return Set.of();
    }

    /**
     * True when metadata {@value #METADATA_ROLES} is a list containing {@code role}, or the key has the scope
     * {@code role}.
     */
    default boolean hasRole(String role) {
        return role != null && (data().get(METADATA_ROLES) instanceof java.util.List<?> roles && roles.contains(role)
                || scopes().contains(role));
    }

    /** The principal of a stored key. */
    static ApiKeyPrincipal of(StoredKey key) {
        return new StoredKeyPrincipal(key.consumer(), key.metadata(), key.keyId(), key.bucket(), key.expiresOn(),
                key.policy().scopes());
    }
}
