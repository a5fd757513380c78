package dev.gatekey.admin.it;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;

/**
 * Plays GitHub's part of the secret-scanning partner program: an EC P-256 key pair made for the test, its
 * {@code public_keys} document, and payload signatures as GitHub makes them (SHA256withECDSA over the raw body,
 * base64 of the DER signature).
 */
final class GithubSigner {

    final String keyId;
    private final KeyPair pair;

    GithubSigner(String keyId) {
        this.keyId = keyId;
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            this.pair = generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code {"public_keys":[...]}} holding this signer's key, PEM as GitHub writes it. */
    String publicKeysDocument() {
        // PEM lines of 64 characters, joined by a JSON-escaped newline
        String pem = "-----BEGIN PUBLIC KEY-----\\n"
                + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(pair.getPublic().getEncoded())
                        .replace("\n", "\\n")
                + "\\n-----END PUBLIC KEY-----";
        return "{\"public_keys\":[{\"key_identifier\":\"" + keyId + "\",\"key\":\"" + pem + "\",\"is_current\":true}]}";
    }

    String sign(byte[] body) {
        try {
            Signature signature = Signature.getInstance("SHA256withECDSA");
            signature.initSign(pair.getPrivate());
            signature.update(body);
            return Base64.getEncoder().encodeToString(signature.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
