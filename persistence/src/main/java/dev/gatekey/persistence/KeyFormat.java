package dev.gatekey.persistence;

/** How {@link ApiKey#key()} is filled when keys are read back. */
public enum KeyFormat {
    /** No key text (the default in lists). */
    NONE,
    /** The masked hint: prefix, first 4 body characters, {@code …}, last 4 characters. */
    MASKED,
    /** The full key, decrypted; only for retrievable buckets, else {@link ConflictException}. */
    VISIBLE
}
