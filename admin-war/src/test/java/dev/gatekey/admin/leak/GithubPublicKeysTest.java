package dev.gatekey.admin.leak;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class GithubPublicKeysTest {

    private static final byte[] BODY = "[{\"token\":\"x\"}]".getBytes(StandardCharsets.UTF_8);

    private static KeyPair current;
    private static KeyPair previous;
    private static GithubPublicKeys keys;

    @BeforeAll
    static void keys() throws Exception {
        current = pair();
        previous = pair();
        keys = GithubPublicKeys.parse("{\"public_keys\":[" + entry("new", current, true) + ","
                + entry("old", previous, false) + "]}");
    }

    private static KeyPair pair() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        return generator.generateKeyPair();
    }

    private static String entry(String id, KeyPair pair, boolean current) {
        String pem = "-----BEGIN PUBLIC KEY-----\\n"
                + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(pair.getPublic().getEncoded())
                        .replace("\n", "\\n")
                + "\\n-----END PUBLIC KEY-----\\n";
        return "{\"key_identifier\":\"" + id + "\",\"key\":\"" + pem + "\",\"is_current\":" + current + "}";
    }

    private static String sign(KeyPair pair, byte[] body) throws Exception {
        Signature signature = Signature.getInstance("SHA256withECDSA");
        signature.initSign(pair.getPrivate());
        signature.update(body);
        return Base64.getEncoder().encodeToString(signature.sign());
    }

    @Test
    void verifyWhenSignedByTheNamedKeyThenTrue() throws Exception {
        assertThat(keys.verify("new", sign(current, BODY), BODY)).isTrue();
        assertThat(keys.verify("old", sign(previous, BODY), BODY)).isTrue();
        assertThat(keys.identifiers()).containsExactly("new", "old");
    }

    @Test
    void verifyWhenSignedByAnotherKeyThenFalse() throws Exception {
        assertThat(keys.verify("new", sign(previous, BODY), BODY)).isFalse();
    }

    @Test
    void verifyWhenOneByteOfTheBodyDiffersThenFalse() throws Exception {
        byte[] changed = BODY.clone();
        changed[changed.length - 2] = ' ';

        assertThat(keys.verify("new", sign(current, BODY), changed)).isFalse();
    }

    @Test
    void verifyWhenSignatureOrIdentifierIsMalformedThenFalse() {
        assertThat(keys.verify("new", "%%%not base64", BODY)).isFalse();
        assertThat(keys.verify("new", "AAAA", BODY)).isFalse();
        assertThat(keys.verify("new", null, BODY)).isFalse();
        assertThat(keys.verify("unknown", "AAAA", BODY)).isFalse();
        assertThat(keys.knows("unknown")).isFalse();
        assertThat(keys.knows(null)).isFalse();
    }

    @Test
    void parseWhenDocumentIsMalformedThenSaysWhy() {
        assertThatThrownBy(() -> GithubPublicKeys.parse("nope")).hasMessage("not a JSON document");
        assertThatThrownBy(() -> GithubPublicKeys.parse("{\"public_keys\":[]}"))
                .hasMessage("the document needs a non-empty public_keys array");
        assertThatThrownBy(() -> GithubPublicKeys.parse("{\"public_keys\":[{\"key\":\"x\"}]}"))
                .hasMessage("every public key needs a key_identifier and a key");
        assertThatThrownBy(() -> GithubPublicKeys.parse(
                "{\"public_keys\":[{\"key_identifier\":\"k\",\"key\":\"-----BEGIN PUBLIC KEY-----AAAA\"}]}"))
                .hasMessage("key k is not a PEM EC public key");
    }
}
