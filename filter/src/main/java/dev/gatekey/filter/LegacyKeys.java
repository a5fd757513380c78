package dev.gatekey.filter;

/**
 * Step 3 for {@code legacyKeys=accept}: which credentials that are not in Gatekey's format may still be keys
 * imported from another system (by their SHA-256, through the admin API's import). Such a credential is hashed
 * like a Gatekey key (SHA-256 of its UTF-8 bytes) and goes on to the cache and, on a miss, to the failed-attempt
 * token and the store, exactly as a Gatekey key does; so an unknown one is a failed attempt of its client address.
 *
 * <p>The bound keeps hashing cheap and the cache's keys small whatever a client sends; printable ASCII is what a
 * header carries intact through proxies and what the migration guide's SQL hashes the same way. Gatekey-shaped keys
 * never come here: one with a bad checksum or another bucket's prefix is refused without a lookup, as before.
 */
final class LegacyKeys {

    /** The longest credential looked up as a legacy key. */
    static final int MAX_LENGTH = 512;

    private LegacyKeys() {
    }

    /** True when {@code text[from, to)} is 1 to {@value #MAX_LENGTH} printable ASCII characters (no blank). */
    static boolean isCandidate(String text, int from, int to) {
        int length = to - from;
        if (length < 1 || length > MAX_LENGTH) {
            return false;
        }
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            if (c <= ' ' || c > '~') {
                return false;
            }
        }
        return true;
    }
}
