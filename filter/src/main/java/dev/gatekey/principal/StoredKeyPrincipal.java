package dev.gatekey.principal;

import java.time.Instant;
import java.util.Map;
import java.util.Set;

/** The metadata map and the scopes come from {@code StoredKey}, which already made them unmodifiable. */
record StoredKeyPrincipal(String sub, Map<String, Object> data, String keyId, String bucket, Instant expiresOn,
        Set<String> scopes) implements ApiKeyPrincipal {

    @Override
    public String getName() {
        return sub;
    }

    @Override
    public String toString() {
        return "ApiKeyPrincipal[sub=" + sub + ", keyId=" + keyId + ", bucket=" + bucket + "]";
    }
}
