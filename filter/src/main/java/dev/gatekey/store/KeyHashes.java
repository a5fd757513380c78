package dev.gatekey.store;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** The one way a key becomes its storage and lookup hash: lowercase hex SHA-256 of its UTF-8 bytes. */
public final class KeyHashes {

    private KeyHashes() {
    }

    /** Lowercase hex SHA-256 of the key's UTF-8 bytes, 64 characters. */
    public static String sha256Hex(String key) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java platform", e);
        }
    }
}
