package dev.gatekey.admin.leak;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatekey.admin.http.Json;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * GitHub's secret-scanning public keys (the {@code public_keys} document of
 * {@code https://api.github.com/meta/public_keys/secret_scanning}) and the check of a payload's signature:
 * ECDSA P-256 with SHA-256 over the raw body bytes, DER-encoded and base64'd in
 * {@code Github-Public-Key-Signature}. JDK only. Immutable and thread-safe.
 */
public final class GithubPublicKeys {

    static final String ALGORITHM = "SHA256withECDSA";

    private final Map<String, PublicKey> keys;

    private GithubPublicKeys(Map<String, PublicKey> keys) {
        // in document order: the start-up log names them as GitHub lists them (Map.copyOf would shuffle)
        this.keys = Collections.unmodifiableMap(new LinkedHashMap<>(keys));
    }

    /**
     * Parses {@code {"public_keys":[{"key_identifier":"...","key":"-----BEGIN PUBLIC KEY-----...","is_current":true}]}};
     * every key is used, current or not (GitHub signs with an older key while a rotation propagates).
     *
     * @throws IllegalArgumentException when the document is malformed, empty, or holds a key that is not EC
     */
    public static GithubPublicKeys parse(String document) {
        JsonNode root;
        try {
            root = Json.mapper().readTree(document);
        } catch (IOException e) {
            throw new IllegalArgumentException("not a JSON document");
        }
        JsonNode list = root == null ? null : root.get("public_keys");
        if (list == null || !list.isArray() || list.isEmpty()) {
            throw new IllegalArgumentException("the document needs a non-empty public_keys array");
        }
        Map<String, PublicKey> keys = new LinkedHashMap<>();
        for (JsonNode entry : list) {
            JsonNode id = entry.get("key_identifier");
            JsonNode pem = entry.get("key");
            if (id == null || !id.isTextual() || id.asText().isBlank() || pem == null || !pem.isTextual()) {
                throw new IllegalArgumentException("every public key needs a key_identifier and a key");
            }
            keys.put(id.asText(), ecKey(id.asText(), pem.asText()));
        }
        return new GithubPublicKeys(keys);
    }

    private static PublicKey ecKey(String id, String pem) {
        String base64 = pem.replace("-----BEGIN PUBLIC KEY-----", "").replace("-----END PUBLIC KEY-----", "")
                .replaceAll("\\s", "");
        try {
            PublicKey key = KeyFactory.getInstance("EC")
                    .generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(base64)));
            if (!(key instanceof ECPublicKey)) {
                throw new IllegalArgumentException("key " + id + " is not an EC key");
            }
            return key;
        } catch (IllegalArgumentException | GeneralSecurityException e) {
            throw new IllegalArgumentException("key " + id + " is not a PEM EC public key");
        }
    }

    /** The key identifiers, for the start-up log line. */
    public Set<String> identifiers() {
        return keys.keySet();
    }

    /** Whether {@code identifier} names a configured key (identifiers are public: no constant-time need). */
    public boolean knows(String identifier) {
        return identifier != null && keys.containsKey(identifier);
    }

    /**
     * Whether {@code signature} (base64 of a DER ECDSA signature) is the signature of {@code body} by the key
     * {@code identifier}. A malformed signature is false, not an exception.
     */
    public boolean verify(String identifier, String signature, byte[] body) {
        PublicKey key = identifier == null ? null : keys.get(identifier);
        if (key == null || signature == null) {
            return false;
        }
        try {
            Signature verifier = Signature.getInstance(ALGORITHM);
            verifier.initVerify(key);
            verifier.update(body);
            return verifier.verify(Base64.getDecoder().decode(signature.trim()));
        } catch (IllegalArgumentException | GeneralSecurityException e) {
            return false;
        }
    }
}
