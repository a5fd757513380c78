package dev.gatekey.persistence;

/**
 * Size limits of consumer data.
 *
 * @param metadataMaxBytes largest serialized metadata (compact JSON, UTF-8), default 1024
 * @param maxTags most tags per consumer, default 10
 */
public record Limits(int metadataMaxBytes, int maxTags) {

    public static final Limits DEFAULT = new Limits(1024, 10);

    public Limits {
        if (metadataMaxBytes < 2) {
            throw new IllegalArgumentException("metadataMaxBytes must be at least 2");
        }
        if (maxTags < 0) {
            throw new IllegalArgumentException("maxTags must not be negative");
        }
    }
}
