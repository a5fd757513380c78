package dev.gatekey.persistence;

import java.time.Instant;

/** A bucket of keys sharing one key prefix. Immutable. */
public record Bucket(String name, String description, String keyPrefix, boolean retrievable,
        Instant createdOn, Instant updatedOn) {
}
