package dev.gatekey.filter;

import dev.gatekey.store.KeyStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The key prefixes of the filter's buckets, so keys of other buckets are refused by their shape alone.
 * Resolved at start-up; a bucket not found yet (created later, or the store was down) is retried at most
 * every {@link #RETRY_INTERVAL}, so a flood of foreign keys cannot turn into a flood of store calls.
 */
final class BucketPrefixes {

    static final Duration RETRY_INTERVAL = Duration.ofSeconds(10);
    private static final Logger LOG = Logger.getLogger(BucketPrefixes.class.getName());

    private final KeyStore store;
    private final Clock clock;
    private final List<String> buckets;
    private final Map<String, String> bucketByPrefix = new ConcurrentHashMap<>();
    private volatile boolean complete;
    /** The prefixes found so far, as an array: iterating it allocates nothing. */
    private volatile String[] resolved = new String[0];
    private volatile Instant nextRetry = Instant.MIN;

    BucketPrefixes(KeyStore store, Clock clock, List<String> buckets) {
        this.store = store;
        this.clock = clock;
        this.buckets = buckets;
    }

    /**
     * {@link #isAllowed(String)} of {@code text[from, prefixEnd)}: no substring once every prefix is known (the
     * request path; a filter has a handful of buckets, so a scan of them is cheaper than a hash lookup).
     */
    boolean isAllowed(String text, int from, int prefixEnd) {
        if (complete) {
            int length = prefixEnd - from;
            for (String prefix : resolved) {
                if (prefix.length() == length && text.startsWith(prefix, from)) {
                    return true;
                }
            }
            return false;
        }
        return isAllowed(text.substring(from, prefixEnd));
    }

    /** True when {@code prefix} is the key prefix of one of the filter's buckets. */
    boolean isAllowed(String prefix) {
        if (bucketByPrefix.containsKey(prefix)) {
            return true;
        }
        if (complete) {
            return false;
        }
        Instant now = clock.instant();
        if (now.isBefore(nextRetry)) {
            return false;
        }
        nextRetry = now.plus(RETRY_INTERVAL);
        resolve();
        return bucketByPrefix.containsKey(prefix);
    }

    /** Looks up the prefixes not known yet; store failures are logged and retried later. */
    void resolve() {
        boolean all = true;
        for (String bucket : buckets) {
            if (bucketByPrefix.containsValue(bucket)) {
                continue;
            }
            try {
                var prefix = store.findKeyPrefix(bucket);
                if (prefix.isPresent()) {
                    bucketByPrefix.put(prefix.get(), bucket);
                } else {
                    all = false;
                    LOG.log(Level.FINE, "Bucket [{0}] not found in the key store (yet)", bucket);
                }
            } catch (RuntimeException e) {
                all = false;
                LOG.log(Level.FINE, "Could not look up the key prefix of bucket [" + bucket + "]", e);
            }
        }
        resolved = bucketByPrefix.keySet().toArray(String[]::new);
        complete = all;
    }
}
