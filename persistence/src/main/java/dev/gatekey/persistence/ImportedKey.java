package dev.gatekey.persistence;

import java.time.Instant;
import java.util.Map;

/**
 * One key to import ({@link ImportService#importKeys}): the hash of a key made elsewhere, and the consumer it
 * belongs to.
 *
 * @param consumer the consumer's name; a missing consumer is created
 * @param keyHash {@code sha256:} and the lowercase hex SHA-256 of the key's UTF-8 bytes
 * @param description the key's description, or null
 * @param createdOn when the key was made (not in the future), or null for now
 * @param expiresOn when it expires (in the future), or null for never
 * @param metadata the consumer's metadata if this item creates it, or null; ignored for a consumer that exists
 */
public record ImportedKey(String consumer, String keyHash, String description, Instant createdOn, Instant expiresOn,
        Map<String, Object> metadata) {

    /** A key with no description, dates or metadata. */
    public static ImportedKey of(String consumer, String keyHash) {
        return new ImportedKey(consumer, keyHash, null, null, null, null);
    }
}
