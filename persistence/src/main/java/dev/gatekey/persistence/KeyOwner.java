package dev.gatekey.persistence;

/**
 * Whose a key is, found by its hash in any bucket ({@link LeakService#findKeysByHash}); no key material.
 *
 * @param active neither revoked nor expired now, and its consumer not deleted
 */
public record KeyOwner(String keyId, String bucket, String consumer, boolean active) {
}
