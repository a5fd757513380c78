package dev.gatekey.store;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** The one way a key becomes its storage and lookup hash: lowercase hex SHA-256 of its UTF-8 bytes. */
public final class KeyHashes {

    /** Cloning a digest skips the provider lookup of {@code getInstance}, the larger cost on a cached request. */
    private static final MessageDigest PROTOTYPE = sha256();
    private static final boolean CLONEABLE = isCloneable();

    private KeyHashes() {
    }

    /** Lowercase hex SHA-256 of the key's UTF-8 bytes, 64 characters. */
    public static String sha256Hex(String key) {
        MessageDigest digest = CLONEABLE ? copyOfPrototype() : sha256();
        return HexFormat.of().formatHex(digest.digest(key.getBytes(StandardCharsets.UTF_8)));
    }

    private static MessageDigest copyOfPrototype() {
        try {
            return (MessageDigest) PROTOTYPE.clone();
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException("checked at class initialisation", e);
        }
    }

    private static boolean isCloneable() {
        try {
            PROTOTYPE.clone();
            return true;
        } catch (CloneNotSupportedException e) {
            return false;
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java platform", e);
        }
    }
}
