package dev.gatekey.persistence;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Standard Webhooks signatures: {@code v1,} + base64 of HMAC-SHA256 over {@code id.timestamp.body}, keyed with the
 * base64-decoded part of the secret after {@code whsec_}. Receivers may use this class (or any Standard Webhooks
 * library) to verify what Gatekey sends.
 */
public final class WebhookSignatures {

    /** The prefix of every signing secret. */
    public static final String SECRET_PREFIX = "whsec_";
    /** Random bytes in a new secret. */
    public static final int SECRET_BYTES = 32;

    private static final SecureRandom RANDOM = new SecureRandom();

    private WebhookSignatures() {
    }

    /** A new secret: {@code whsec_} + base64 of {@value #SECRET_BYTES} random bytes. */
    public static String newSecret() {
        byte[] bytes = new byte[SECRET_BYTES];
        RANDOM.nextBytes(bytes);
        return SECRET_PREFIX + Base64.getEncoder().encodeToString(bytes);
    }

    /**
     * The {@code webhook-signature} header value for one message.
     *
     * @param secret {@code whsec_…}
     * @param timestamp the {@code webhook-timestamp} header (seconds since the epoch)
     * @throws IllegalArgumentException when the secret is not {@code whsec_} + base64
     */
    public static String sign(String secret, String id, long timestamp, String body) {
        if (secret == null || !secret.startsWith(SECRET_PREFIX)) {
            throw new IllegalArgumentException("a webhook secret starts with " + SECRET_PREFIX);
        }
        byte[] key = Base64.getDecoder().decode(secret.substring(SECRET_PREFIX.length()));
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            byte[] digest = mac.doFinal((id + "." + timestamp + "." + body).getBytes(StandardCharsets.UTF_8));
            return "v1," + Base64.getEncoder().encodeToString(digest);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is required of every Java platform", e);
        }
    }

    /**
     * True when one of the space-separated signatures of a {@code webhook-signature} header is the expected one
     * (compared in constant time, so a forger learns nothing from the response time). Checking the timestamp's
     * age (replays) is the caller's part.
     */
    public static boolean verify(String secret, String id, long timestamp, String body, String signatureHeader) {
        byte[] expected = sign(secret, id, timestamp, body).getBytes(StandardCharsets.US_ASCII);
        if (signatureHeader == null) {
            return false;
        }
        boolean match = false;
        for (String candidate : signatureHeader.split(" ")) {
            match |= MessageDigest.isEqual(expected, candidate.getBytes(StandardCharsets.US_ASCII));
        }
        return match;
    }
}
