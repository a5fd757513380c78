package dev.gatekey.persistence;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A verifier written from the Standard Webhooks specification, sharing no code with {@link WebhookSignatures}:
 * checked itself against the specification's published test vector, then used to check what the worker sends.
 */
final class StandardWebhooksVerifier {

    private StandardWebhooksVerifier() {
    }

    static boolean verify(String secret, String msgId, String timestamp, String payload, String signatureHeader)
            throws Exception {
        String base64Key = secret.startsWith("whsec_") ? secret.substring("whsec_".length()) : secret;
        Mac hmac = Mac.getInstance("HmacSHA256");
        hmac.init(new SecretKeySpec(Base64.getDecoder().decode(base64Key), "HmacSHA256"));
        String toSign = msgId + "." + timestamp + "." + payload;
        byte[] expected = Base64.getEncoder().encode(hmac.doFinal(toSign.getBytes(StandardCharsets.UTF_8)));
        for (String versioned : signatureHeader.split(" ")) {
            String[] parts = versioned.split(",", 2);
            if (parts.length == 2 && parts[0].equals("v1")
                    && MessageDigest.isEqual(expected, parts[1].getBytes(StandardCharsets.US_ASCII))) {
                return true;
            }
        }
        return false;
    }
}
