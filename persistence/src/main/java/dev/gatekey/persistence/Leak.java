package dev.gatekey.persistence;

import java.time.Instant;

/**
 * A leaked active key as a secret scanner reported it. Immutable; holds no key material.
 *
 * @param id position in the leak list (newest first)
 * @param keyId public id of the leaked key, safe to log
 * @param tokenType the scanner's token type (GitHub: the pattern's name)
 * @param url where the key was found (as reported, cut to {@value LeakService#MAX_LEAK_URL_LENGTH} characters)
 * @param source the scanner's source, e.g. {@code content}, {@code commit}, {@code gist}
 * @param action {@code notify} or {@code revoke}: what Gatekey did
 */
public record Leak(long id, String keyId, String bucket, String consumer, String tokenType, String url,
        String source, String action, Instant foundOn) {
}
