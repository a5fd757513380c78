package dev.gatekey.persistence;

import dev.gatekey.store.KeyHashes;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * The portal's secrets: random link tokens and session ids (256 bits, base64url), their stored form (SHA-256
 * hex), and the CSRF token derived from a session id.
 *
 * <p>Links and sessions are looked up by the SHA-256 of what the browser presents, through a unique index.
 * That lookup is not constant-time, and needs not be: what its timing could tell is where the hash of a guess
 * differs from stored hashes, which says nothing about the 256-bit secrets behind them. Secrets compared as
 * such (the CSRF token) are compared with {@link MessageDigest#isEqual}.
 */
final class PortalTokens {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int SECRET_BYTES = 32;
    /** The length of a token or session id: 32 bytes in base64url without padding. */
    static final int SECRET_LENGTH = 43;

    private PortalTokens() {
    }

    static String newSecret() {
        byte[] bytes = new byte[SECRET_BYTES];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** What is stored of a token or session id. */
    static String hash(String secret) {
        return KeyHashes.sha256Hex(secret);
    }

    /** Whether a presented value could be a secret of ours: anything else is refused without a lookup. */
    static boolean isWellFormed(String presented) {
        if (presented == null || presented.length() != SECRET_LENGTH) {
            return false;
        }
        for (int i = 0; i < presented.length(); i++) {
            char c = presented.charAt(i);
            if (!(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_')) {
                return false;
            }
        }
        return true;
    }

    /**
     * The CSRF token of a session: SHA-256 of a label and the session id. Whoever can compute it holds the
     * session id already, and the session id cannot be recovered from it.
     */
    static String csrfToken(String sessionId) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(("gatekey-portal-csrf:" + sessionId).getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java platform", e);
        }
    }

    /** Constant-time equality of two secrets (a null never matches). */
    static boolean sameSecret(String expected, String presented) {
        if (expected == null || presented == null) {
            return false;
        }
        return MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8),
                presented.getBytes(StandardCharsets.UTF_8));
    }
}
