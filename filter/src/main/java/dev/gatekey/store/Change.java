package dev.gatekey.store;

import java.time.Instant;
import java.util.Objects;

/**
 * One row of the change feed.
 *
 * @param position the row's position in the feed
 * @param type what to evict
 * @param keyHash SHA-256 hex of the affected key for {@link Type#KEY}; {@code null} for
 *     {@link Type#FLUSH}
 * @param createdOn when the change was written
 */
public record Change(long position, Type type, String keyHash, Instant createdOn) {

    /** What a change asks the caches to evict. */
    public enum Type {
        /**
         * One key was created or changed (revoked, expiry or metadata changed, consumer deleted): evict its entry,
         * and know that it exists (see {@link KeyStore#forEachKeyHash}).
         */
        KEY,
        /** The kill switch: evict everything. */
        FLUSH
    }

    public Change {
        Objects.requireNonNull(type, "type");
        if (type == Type.KEY) {
            Objects.requireNonNull(keyHash, "keyHash is required for a KEY change");
        }
    }
}
