package dev.gatekey.ratelimit;

import com.github.benmanes.caffeine.cache.Ticker;
import io.github.bucket4j.Bucket;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.logging.Logger;

/**
 * Calls {@link RemoteBuckets} and survives their failures: a failed call answers {@code null} (the caller then
 * uses its local bucket), a failed connection is retried at most every {@link #RECONNECT_INTERVAL} by one
 * request, and an outage is logged once as a WARNING when it starts and once as an INFO when it ends.
 *
 * <p>No Redis type appears here, so this class loads without Lettuce.
 */
final class SharedBuckets implements AutoCloseable {

    /** The least time between two connection attempts after the first failed. */
    static final Duration RECONNECT_INTERVAL = Duration.ofSeconds(5);

    private static final Logger LOG = Logger.getLogger(RateLimiters.class.getName());

    private final RemoteBuckets remote;
    private final Ticker ticker;
    private final String description;
    private final String secret;
    private final AtomicBoolean connecting = new AtomicBoolean();
    private final AtomicBoolean down = new AtomicBoolean();
    private volatile boolean connected;
    private volatile boolean closed;
    private volatile long nextConnectNanos;

    /**
     * Connects at once; when that fails, the outage is logged and requests use the local buckets.
     *
     * @param description the store for log lines, e.g. a redacted URL
     * @param secret text never to show in a log line (a password), or {@code null}
     */
    SharedBuckets(RemoteBuckets remote, Ticker ticker, String description, String secret) {
        this.remote = remote;
        this.ticker = ticker;
        this.description = description;
        this.secret = secret == null || secret.isEmpty() ? null : secret;
        this.nextConnectNanos = ticker.read();
        connectIfDue();
    }

    /**
     * Applies {@code operation} to the shared bucket {@code id}.
     *
     * @return its result, or {@code null} when the store is unavailable
     */
    <T> T apply(String id, RateLimit limit, Function<Bucket, T> operation) {
        if (closed || (!connected && !connectIfDue())) {
            return null;
        }
        T result;
        try {
            result = operation.apply(remote.bucket(id, limit));
        } catch (RuntimeException e) {
            failed(e);
            return null;
        }
        if (down.get() && down.compareAndSet(true, false)) {
            LOG.info("Redis rate-limit store " + description + " is back: rate limits are shared again");
        }
        return result;
    }

    /** True while the last call or connection attempt failed. */
    boolean isDown() {
        return down.get();
    }

    private boolean connectIfDue() {
        if (ticker.read() - nextConnectNanos < 0 || !connecting.compareAndSet(false, true)) {
            return false;
        }
        try {
            if (!connected && !closed) {
                remote.connect();
                connected = true;
            }
            return connected;
        } catch (RuntimeException e) {
            nextConnectNanos = ticker.read() + RECONNECT_INTERVAL.toNanos();
            failed(e);
            return false;
        } finally {
            connecting.set(false);
        }
    }

    private void failed(RuntimeException e) {
        if (down.compareAndSet(false, true)) {
            LOG.warning("Redis rate-limit store " + description + " is unavailable (" + reason(e)
                    + "): rate limits are per node until it is back");
        }
    }

    /** The exception's class and message, with the password removed should a message quote it. */
    private String reason(Throwable e) {
        Throwable cause = e;
        while (cause.getCause() != null && cause.getCause() != cause && cause.getMessage() == null) {
            cause = cause.getCause();
        }
        String text = cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": " + cause.getMessage());
        return secret == null ? text : text.replace(secret, "***");
    }

    @Override
    public void close() {
        closed = true;
        remote.close();
    }
}
