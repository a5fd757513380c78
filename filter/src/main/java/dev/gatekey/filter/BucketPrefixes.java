package dev.gatekey.filter;

import dev.gatekey.store.KeyStore;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The key prefixes of the filter's buckets, so keys of other buckets are refused by their shape alone.
 *
 * <p>Resolved at start-up and then, while some bucket is not known yet, by the filter's background thread at
 * every change feed poll: a bucket created after the filter started (or while the store was down) is accepted
 * within a poll, and no request ever waits on the store for it, so a flood of foreign keys cannot become a flood
 * of store calls. While a bucket could not be looked up because the store failed, a key with an unknown prefix
 * cannot be decided: {@link #isUndecided()} says so and the filter answers 503 rather than 401.
 */
final class BucketPrefixes {

    private static final Logger LOG = Logger.getLogger(BucketPrefixes.class.getName());

    private final KeyStore store;
    private final List<String> buckets;
    private final Map<String, String> bucketByPrefix = new ConcurrentHashMap<>();
    private volatile boolean complete;
    private volatile boolean undecided = true;

    BucketPrefixes(KeyStore store, List<String> buckets) {
        this.store = store;
        this.buckets = buckets;
    }

    /** True when {@code prefix} is the key prefix of one of the filter's buckets. Never calls the store. */
    boolean isAllowed(String prefix) {
        return bucketByPrefix.containsKey(prefix);
    }

    /** True while some bucket's prefix is unknown because the store could not be asked. */
    boolean isUndecided() {
        return undecided;
    }

    /** True once every bucket's prefix is known. */
    boolean isComplete() {
        return complete;
    }

    /** Looks up the prefixes not known yet; a store failure leaves them for the next call. */
    void resolve() {
        boolean all = true;
        boolean failed = false;
        for (String bucket : buckets) {
            if (bucketByPrefix.containsValue(bucket)) {
                continue;
            }
            try {
                var prefix = store.findKeyPrefix(bucket);
                if (prefix.isPresent()) {
                    bucketByPrefix.put(prefix.get(), bucket);
                    LOG.log(Level.FINE, "Bucket [{0}] has key prefix [{1}]", new Object[] {bucket, prefix.get()});
                } else {
                    all = false;
                    LOG.log(Level.FINE, "Bucket [{0}] not found in the key store (yet)", bucket);
                }
            } catch (RuntimeException e) {
                all = false;
                failed = true;
                LOG.log(Level.FINE, "Could not look up the key prefix of bucket [" + bucket + "]", e);
            }
        }
        undecided = failed;
        complete = all;
    }
}
