package dev.gatekey.store;

import java.nio.charset.StandardCharsets;
import java.security.DigestException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** The one way a key becomes its storage and lookup hash: lowercase hex SHA-256 of its UTF-8 bytes. */
public final class KeyHashes {

    private static final int DIGEST_LENGTH = 32;
    private static final int HEX_LENGTH = 2 * DIGEST_LENGTH;
    /** Longer input (not a Gatekey key) goes the allocating way. */
    private static final int MAX_SCRATCH_INPUT = 128;
    private static final byte[] HEX_DIGITS = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    /**
     * One digest and one buffer per thread: the filter hashes the key of every request, and a fresh digest
     * (about 400 bytes) per request was most of its garbage. JDK types only, so a container's pooled threads do
     * not keep an application's class loader alive through them.
     */
    private static final ThreadLocal<MessageDigest> DIGESTS = ThreadLocal.withInitial(KeyHashes::sha256);
    /** Input bytes at [0, 128), digest at [128, 160), hex digits at [0, 64) once the input is consumed. */
    private static final ThreadLocal<byte[]> SCRATCH = ThreadLocal.withInitial(
            () -> new byte[MAX_SCRATCH_INPUT + DIGEST_LENGTH]);

    private KeyHashes() {
    }

    /** Lowercase hex SHA-256 of the key's UTF-8 bytes, 64 characters. */
    public static String sha256Hex(String key) {
        return sha256Hex(key, 0, key.length());
    }

    /** {@link #sha256Hex(String)} of {@code text[from, to)}, without a substring. */
    public static String sha256Hex(String text, int from, int to) {
        int length = to - from;
        if (length > MAX_SCRATCH_INPUT || !isAscii(text, from, to)) {
            MessageDigest digest = sha256();
            return HexFormat.of().formatHex(digest.digest(text.substring(from, to).getBytes(StandardCharsets.UTF_8)));
        }
        byte[] scratch = SCRATCH.get();
        for (int i = 0; i < length; i++) {
            scratch[i] = (byte) text.charAt(from + i);
        }
        MessageDigest digest = DIGESTS.get();
        digest.update(scratch, 0, length);
        try {
            digest.digest(scratch, MAX_SCRATCH_INPUT, DIGEST_LENGTH);
        } catch (DigestException e) {
            digest.reset();
            throw new IllegalStateException("SHA-256 digests are 32 bytes", e);
        }
        for (int i = 0; i < DIGEST_LENGTH; i++) {
            int b = scratch[MAX_SCRATCH_INPUT + i] & 0xFF;
            scratch[2 * i] = HEX_DIGITS[b >>> 4];
            scratch[2 * i + 1] = HEX_DIGITS[b & 0xF];
        }
        // ISO-8859-1 copies the bytes as they are into a compact string: one array, no decoding
        return new String(scratch, 0, HEX_LENGTH, StandardCharsets.ISO_8859_1);
    }

    private static boolean isAscii(String text, int from, int to) {
        for (int i = from; i < to; i++) {
            if (text.charAt(i) >= 0x80) {
                return false;
            }
        }
        return true;
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java platform", e);
        }
    }
}
