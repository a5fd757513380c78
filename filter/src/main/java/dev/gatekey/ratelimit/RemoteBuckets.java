package dev.gatekey.ratelimit;

import io.github.bucket4j.Bucket;

/**
 * Buckets kept outside this JVM, shared by every node that names the same store. Implementations may throw
 * any {@link RuntimeException} when the store cannot be reached; {@link SharedBuckets} then falls back to the
 * local buckets.
 */
interface RemoteBuckets extends AutoCloseable {

    /** Opens the connection; throws when the store cannot be reached. Called again after a failure. */
    void connect();

    /** Checks the store answers (a Redis PING), within the store's time-out; throws when it does not. */
    void ping();

    /** The bucket stored under {@code id} (without namespace), created with {@code limit} when absent. */
    Bucket bucket(String id, RateLimit limit);

    /** Closes the connection and releases every thread; idempotent. */
    @Override
    void close();
}
