package dev.gatekey.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Base64;
import org.junit.jupiter.api.Test;

class MasterKeysTest {

    private static final String K1 = MasterKeys.generateKey();
    private static final String K2 = MasterKeys.generateKey();
    private static final String KEY = "demo_live_0123456789ABCDEFGHIJKLMNOPQRSTabcdefghij_2FioA8";

    @Test
    void parseWhenSeveralKeysThenTheFirstIsCurrent() {
        MasterKeys keys = MasterKeys.parse("k2:" + K2 + ", k1:" + K1);
        assertThat(keys.currentKeyId()).isEqualTo("k2");
        assertThat(keys.keyIds()).containsExactly("k2", "k1");
    }

    @Test
    void encryptWhenCalledThenPrefixedWithTheKeyIdAndWithoutTheKey() {
        MasterKeys keys = MasterKeys.parse("k1:" + K1);
        String stored = keys.encrypt(KEY, "key_abc");
        assertThat(stored).startsWith("k1:").doesNotContain(KEY);
    }

    @Test
    void decryptWhenEncryptedUnderTheSameKeyThenTheKeyBack() {
        MasterKeys keys = MasterKeys.parse("k1:" + K1);
        String stored = keys.encrypt(KEY, "key_abc");
        assertThat(keys.decrypt(stored, "key_abc")).isEqualTo(KEY);
    }

    @Test
    void encryptWhenCalledTwiceThenDifferentCiphertexts() {
        MasterKeys keys = MasterKeys.parse("k1:" + K1);
        assertThat(keys.encrypt(KEY, "key_abc")).isNotEqualTo(keys.encrypt(KEY, "key_abc"));
    }

    @Test
    void decryptWhenCiphertextTamperedThenFails() {
        MasterKeys keys = MasterKeys.parse("k1:" + K1);
        String stored = keys.encrypt(KEY, "key_abc");
        byte[] data = Base64.getUrlDecoder().decode(stored.substring(3));
        data[20] ^= 1;
        String tampered = "k1:" + Base64.getUrlEncoder().withoutPadding().encodeToString(data);
        assertThatThrownBy(() -> keys.decrypt(tampered, "key_abc"))
                .isInstanceOf(MasterKeyException.class)
                .hasMessage("encrypted key failed authentication (tampered, or not bound to this key)");
    }

    @Test
    void decryptWhenBoundToAnotherKeyIdThenFails() {
        MasterKeys keys = MasterKeys.parse("k1:" + K1);
        String stored = keys.encrypt(KEY, "key_abc");
        assertThatThrownBy(() -> keys.decrypt(stored, "key_other")).isInstanceOf(MasterKeyException.class);
    }

    @Test
    void decryptWhenMasterKeyIdUnknownThenNamesTheIdNotTheKey() {
        String stored = MasterKeys.parse("old:" + K1).encrypt(KEY, "key_abc");
        MasterKeyException e = org.assertj.core.api.Assertions.catchThrowableOfType(MasterKeyException.class,
                () -> MasterKeys.parse("k2:" + K2).decrypt(stored, "key_abc"));
        assertThat(e.unknownKeyId()).isEqualTo("old");
        assertThat(e).hasMessage("unknown master key id old: add it to the master keys to read keys encrypted under it");
        assertThat(e.getMessage()).doesNotContain(K1).doesNotContain(K2);
    }

    @Test
    void decryptWhenRotatedThenOldKeysStillReadable() {
        String old = MasterKeys.parse("k1:" + K1).encrypt(KEY, "key_abc");
        MasterKeys rotated = MasterKeys.parse("k2:" + K2 + ",k1:" + K1);
        assertThat(rotated.decrypt(old, "key_abc")).isEqualTo(KEY);
    }

    @Test
    void encryptWhenRotatedThenUnderTheNewKeyId() {
        MasterKeys rotated = MasterKeys.parse("k2:" + K2 + ",k1:" + K1);
        assertThat(MasterKeys.keyIdOf(rotated.encrypt(KEY, "key_abc"))).isEqualTo("k2");
    }

    @Test
    void parseWhenKeyOfWrongLengthThenRejected() {
        String short16 = Base64.getEncoder().encodeToString(new byte[16]);
        assertThatThrownBy(() -> MasterKeys.parse("k1:" + short16))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("master key k1 must be 32 bytes (256 bits), got 16");
    }

    @Test
    void parseWhenKeyNotBase64ThenRejected() {
        assertThatThrownBy(() -> MasterKeys.parse("k1:not*base64"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("master key k1 is not valid base64");
    }

    @Test
    void parseWhenIdDuplicatedThenRejected() {
        assertThatThrownBy(() -> MasterKeys.parse("k1:" + K1 + ",k1:" + K2))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("duplicate master key id k1");
    }

    @Test
    void parseWhenBlankThenRejected() {
        assertThatThrownBy(() -> MasterKeys.parse(" ")).hasMessage("master keys must not be empty");
    }

    @Test
    void parseWhenEntryHasNoIdThenRejected() {
        assertThatThrownBy(() -> MasterKeys.parse(K1)).hasMessage("master key entry must look like id:BASE64");
    }

    @Test
    void parseWhenIdInvalidThenRejected() {
        assertThatThrownBy(() -> MasterKeys.parse("bad id:" + K1))
                .hasMessage("master key id must match ^[A-Za-z0-9_-]{1,32}$: bad id");
    }

    @Test
    void toStringWhenCalledThenIdsOnly() {
        assertThat(MasterKeys.parse("k1:" + K1).toString()).isEqualTo("MasterKeys[current=k1, ids=[k1]]");
    }
}
