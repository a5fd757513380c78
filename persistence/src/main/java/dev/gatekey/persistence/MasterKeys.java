package dev.gatekey.persistence;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The AES-256-GCM master keys that encrypt the keys of retrievable buckets.
 *
 * <p>A set of 256-bit keys, each with an id; the current one encrypts, every one decrypts, so a
 * master key is rotated by putting a new key first and keeping the old ones until every stored key
 * was re-encrypted or revoked. Configuration string: {@code k2:BASE64,k1:BASE64} (first = current,
 * standard or URL-safe base64 of 32 bytes).
 *
 * <p>Stored form: {@code keyId:BASE64URL(nonce || ciphertext || tag)} with a fresh random 12-byte
 * nonce per encryption. The associated data (the key's public id) binds a ciphertext to its row,
 * so it cannot be copied onto another key. Immutable and thread-safe; {@link #toString()} shows ids only.
 */
public final class MasterKeys {

    /** Master key ids. */
    public static final String KEY_ID_REGEX = "^[A-Za-z0-9_-]{1,32}$";
    /** Master key length in bytes (AES-256). */
    public static final int KEY_BYTES = 32;

    private static final Pattern KEY_ID = Pattern.compile(KEY_ID_REGEX);
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final String TRANSFORMATION = "AES/GCM/NoPadding";

    private final String currentKeyId;
    private final Map<String, SecretKey> keys;
    private final SecureRandom random = new SecureRandom();

    private MasterKeys(String currentKeyId, Map<String, SecretKey> keys) {
        this.currentKeyId = currentKeyId;
        this.keys = keys;
    }

    /**
     * Parses {@code id:BASE64[,id:BASE64...]}; the first entry is the current key.
     *
     * @throws IllegalArgumentException naming the entry (never its key) when the string is empty, an
     *     entry has no {@code :}, an id does not match {@value #KEY_ID_REGEX}, a key is not base64 or
     *     not {@value #KEY_BYTES} bytes long, or an id repeats
     */
    public static MasterKeys parse(String config) {
        if (config == null || config.isBlank()) {
            throw new IllegalArgumentException("master keys must not be empty");
        }
        Map<String, byte[]> parsed = new LinkedHashMap<>();
        String current = null;
        for (String entry : config.split(",", -1)) {
            String trimmed = entry.trim();
            int colon = trimmed.indexOf(':');
            if (colon < 0) {
                throw new IllegalArgumentException("master key entry must look like id:BASE64");
            }
            String id = trimmed.substring(0, colon);
            byte[] key;
            try {
                key = decodeBase64(trimmed.substring(colon + 1).trim());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("master key " + quoteId(id) + " is not valid base64");
            }
            if (parsed.containsKey(id)) {
                throw new IllegalArgumentException("duplicate master key id " + id);
            }
            checkKey(id, key);
            parsed.put(id, key);
            if (current == null) {
                current = id;
            }
        }
        return of(current, parsed);
    }

    /**
     * Master keys from raw bytes.
     *
     * @throws IllegalArgumentException when {@code currentKeyId} is not among the keys, or an id or
     *     key is invalid
     */
    public static MasterKeys of(String currentKeyId, Map<String, byte[]> keys) {
        Objects.requireNonNull(currentKeyId, "currentKeyId");
        if (!keys.containsKey(currentKeyId)) {
            throw new IllegalArgumentException("current master key " + quoteId(currentKeyId) + " is not configured");
        }
        Map<String, SecretKey> secretKeys = new LinkedHashMap<>();
        keys.forEach((id, key) -> {
            checkKey(id, key);
            secretKeys.put(id, new SecretKeySpec(key, "AES"));
        });
        return new MasterKeys(currentKeyId, Collections.unmodifiableMap(secretKeys));
    }

    /** A new random 256-bit key in base64, for configuration. */
    public static String generateKey() {
        byte[] key = new byte[KEY_BYTES];
        new SecureRandom().nextBytes(key);
        return Base64.getEncoder().encodeToString(key);
    }

    /** The id of the key that encrypts. */
    public String currentKeyId() {
        return currentKeyId;
    }

    /** Every configured id, current first. */
    public Set<String> keyIds() {
        return keys.keySet();
    }

    /**
     * Encrypts {@code plaintext} under the current key, bound to {@code associatedData}.
     *
     * @return the stored form, {@code keyId:BASE64URL(nonce || ciphertext || tag)}
     */
    public String encrypt(String plaintext, String associatedData) {
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        try {
            Cipher cipher = Cipher.getInstance(TRANSFORMATION);
            cipher.init(Cipher.ENCRYPT_MODE, keys.get(currentKeyId), new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(associatedData.getBytes(StandardCharsets.UTF_8));
            byte[] sealed = cipher.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
            byte[] out = ByteBuffer.allocate(NONCE_BYTES + sealed.length).put(nonce).put(sealed).array();
            return currentKeyId + ':' + Base64.getUrlEncoder().withoutPadding().encodeToString(out);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is required of every Java platform", e);
        }
    }

    /**
     * Decrypts a stored form made by {@link #encrypt} with the same associated data.
     *
     * @throws MasterKeyException when the master key id is not configured (the message names the
     *     id), or the stored form is malformed, tampered with or bound to other associated data
     */
    public String decrypt(String stored, String associatedData) {
        String keyId = keyIdOf(stored);
        SecretKey key = keys.get(keyId);
        if (key == null) {
            throw new MasterKeyException("unknown master key id " + quoteId(keyId)
                    + ": add it to the master keys to read keys encrypted under it", keyId, null);
        }
        byte[] data;
        try {
            data = Base64.getUrlDecoder().decode(stored.substring(keyId.length() + 1));
        } catch (IllegalArgumentException e) {
            throw new MasterKeyException("encrypted key is malformed", null, null);
        }
        if (data.length < NONCE_BYTES + TAG_BITS / 8) {
            throw new MasterKeyException("encrypted key is malformed", null, null);
        }
        try {
            Cipher cipher = Cipher.getInstance(TRANSFORMATION);
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, data, 0, NONCE_BYTES));
            cipher.updateAAD(associatedData.getBytes(StandardCharsets.UTF_8));
            byte[] plain = cipher.doFinal(data, NONCE_BYTES, data.length - NONCE_BYTES);
            return new String(plain, StandardCharsets.UTF_8);
        } catch (AEADBadTagException e) {
            throw new MasterKeyException("encrypted key failed authentication (tampered, or not bound to this key)",
                    null, null);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is required of every Java platform", e);
        }
    }

    /**
     * The master key id of a stored form.
     *
     * @throws MasterKeyException when the stored form has no key id
     */
    public static String keyIdOf(String stored) {
        int colon = stored == null ? -1 : stored.indexOf(':');
        if (colon < 1) {
            throw new MasterKeyException("encrypted key is malformed", null, null);
        }
        return stored.substring(0, colon);
    }

    @Override
    public String toString() {
        return "MasterKeys[current=" + currentKeyId + ", ids=" + keys.keySet() + "]";
    }

    private static void checkKey(String id, byte[] key) {
        if (id == null || !KEY_ID.matcher(id).matches()) {
            throw new IllegalArgumentException("master key id must match " + KEY_ID_REGEX + ": " + quoteId(id));
        }
        if (key == null || key.length != KEY_BYTES) {
            throw new IllegalArgumentException("master key " + id + " must be " + KEY_BYTES
                    + " bytes (256 bits), got " + (key == null ? 0 : key.length));
        }
    }

    private static byte[] decodeBase64(String text) {
        // accept both alphabets: keys come from `openssl rand -base64 32` as often as from code
        return text.indexOf('-') >= 0 || text.indexOf('_') >= 0
                ? Base64.getUrlDecoder().decode(text)
                : Base64.getDecoder().decode(text);
    }

    /** Ids are user input that may be garbage; keep messages one line and short. */
    private static String quoteId(String id) {
        if (id == null) {
            return "null";
        }
        String shown = id.length() > 32 ? id.substring(0, 32) + "…" : id;
        return shown.replaceAll("[\\p{Cntrl}]", "?");
    }
}
