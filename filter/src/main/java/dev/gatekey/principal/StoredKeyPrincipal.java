package dev.gatekey.principal;

import java.time.Instant;
import java.util.Map;

/** The metadata map comes from {@code StoredKey}, which already made it deeply unmodifiable. */
record StoredKeyPrincipal(String sub, Map<String, Object> data, String keyId, String bucket, Instant expiresOn)
        implements ApiKeyPrincipal {

    @Override
    public String getName() {
        return sub;
    }

    @Override
    public String toString() {
        return "ApiKeyPrincipal[sub=" + sub + ", keyId=" + keyId + ", bucket=" + bucket + "]";
    }
}
