package dev.gatekey.filter;

import dev.gatekey.store.KeyStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The key prefixes of the filter's buckets, so keys of other buckets are refused by their shape alone.
 *
 * <p>Resolved at start-up and then, while some bucket is not known yet, by the filter's background thread at
 * every change feed poll: a bucket created after the filter started (or while the store was down) is accepted
 * within a poll. A request with an unknown prefix may look it up itself, at most once per
 * {@link #REQUEST_RESOLVE_INTERVAL} for all requests together and never while the store is failing, so a key
 * used right after its bucket was created works at once, and a flood of foreign keys cannot become a flood of
 * store calls. While a bucket could not be looked up because the store failed, a key with an unknown prefix
 * cannot be decided: {@link #isUndecided()} says so and the filter answers 503 rather than 401.
 */
final class BucketPrefixes {

    /** Least time between two lookups run by requests (the background thread's are not limited). */
    static final Duration REQUEST_RESOLVE_INTERVAL = Duration.ofSeconds(1);
    private static final Logger LOG = Logger.getLogger(BucketPrefixes.class.getName());

    private final KeyStore store;
    private final Clock clock;
    private final List<String> buckets;
    private final AtomicReference<Instant> nextRequestResolve = new AtomicReference<>(Instant.MIN);
    private final Map<String, String> bucketByPrefix = new ConcurrentHashMap<>();
    private volatile boolean complete;
    /** The prefixes found so far, as an array: iterating it allocates nothing. */
    private volatile String[] resolved = new String[0];
    private volatile boolean undecided = true;

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

    /**
     * True when {@code prefix} is the key prefix of one of the filter's buckets. An unknown prefix is looked up (see
     * the class comment) by at most one request per {@link #REQUEST_RESOLVE_INTERVAL}, never while the store fails.
     */
    boolean isAllowed(String prefix) {
        if (bucketByPrefix.containsKey(prefix)) {
            return true;
        }
        if (complete || undecided) {
            return false;
        }
        Instant now = clock.instant();
        Instant due = nextRequestResolve.get();
        if (now.isBefore(due) || !nextRequestResolve.compareAndSet(due, now.plus(REQUEST_RESOLVE_INTERVAL))) {
            return false;
        }
        resolve();
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
    synchronized void resolve() {
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
                // retried at every poll while the store fails: the reason, not a stack trace each time
                LOG.log(Level.FINE, "Could not look up the key prefix of bucket [{0}]: {1}",
                        new Object[] {bucket, e.getMessage()});
            }
        }
        resolved = bucketByPrefix.keySet().toArray(String[]::new);
        undecided = failed;
        complete = all;
    }
}
