package dev.gatekey.format;

import java.util.Locale;

/** How the last segment of a key is computed. */
public enum ChecksumMode {

    /** CRC-32 of {@code prefix_body}, 6 base62 characters. Catches typos and garbage; anyone can compute it. */
    CRC32(6),

    /**
     * The first 8 bytes of HMAC-SHA256(secret, {@code prefix_body}), 11 base62 characters. Only the holder
     * of the secret can mint keys that pass, so forged keys never reach the cache or the store.
     */
    HMAC(11);

    private final int length;

    ChecksumMode(int length) {
        this.length = length;
    }

    /** Number of base62 characters of the checksum segment. */
    public int length() {
        return length;
    }

    /**
     * Parses a configuration value: {@code crc32} or {@code hmac}, case-insensitive.
     *
     * @throws IllegalArgumentException for any other value
     */
    public static ChecksumMode parse(String value) {
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "crc32" -> CRC32;
            case "hmac" -> HMAC;
            default -> throw new IllegalArgumentException("checksum must be crc32 or hmac");
        };
    }
}
