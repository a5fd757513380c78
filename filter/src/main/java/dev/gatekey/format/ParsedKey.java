package dev.gatekey.format;

/**
 * A key split into its three segments. Holding one says only that the key is well formed, not that
 * its checksum is right.
 *
 * @param key the whole key
 * @param prefix the bucket's key prefix, e.g. {@code demo_live}
 * @param body 40 base62 characters
 * @param checksum the checksum segment as written in the key
 */
public record ParsedKey(String key, String prefix, String body, String checksum) {

    /** Never shows the key. */
    @Override
    public String toString() {
        return "ParsedKey[prefix=" + prefix + "]";
    }
}
