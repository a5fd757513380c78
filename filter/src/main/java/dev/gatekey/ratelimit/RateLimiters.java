package dev.gatekey.ratelimit;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import dev.gatekey.problem.Rejection;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.EstimationProbe;
import io.github.bucket4j.TimeMeter;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Local Bucket4j limits: requests per key (after a successful verdict) and failed attempts per client IP
 * (anti brute force). Both maps are bounded Caffeine caches, so a flood of addresses or keys cannot grow
 * memory; a bucket idle for longer than its period is dropped, which loses nothing since it would be full.
 *
 * <p>Time comes from the injected {@link Ticker}, so tests advance it instead of sleeping.
 */
public final class RateLimiters {

    /** Consumer metadata entry overriding the per-key limit, same syntax as {@link RateLimit#parse}. */
    public static final String METADATA_RATE_LIMIT = "rateLimit";

    private static final Logger LOG = Logger.getLogger(RateLimiters.class.getName());
    private static final long MAX_ENTRIES = 100_000;
    private static final long NANOS_PER_SECOND = TimeUnit.SECONDS.toNanos(1);

    private final RateLimit perKey;
    private final RateLimit failedPerIp;
    private final TimeMeter timeMeter;
    private final Cache<KeyBucketId, Bucket> keyBuckets;
    private final Cache<String, Bucket> ipBuckets;

    /**
     * @param perKey default per-key limit, or {@code null} for unlimited (consumers may still set one)
     * @param failedPerIp failed attempts allowed per client IP, or {@code null} for unlimited
     */
    public RateLimiters(RateLimit perKey, RateLimit failedPerIp, Ticker ticker) {
        this.perKey = perKey;
        this.failedPerIp = failedPerIp;
        this.timeMeter = new TickerTimeMeter(ticker);
        this.keyBuckets = Caffeine.newBuilder().maximumSize(MAX_ENTRIES).ticker(ticker)
                .expireAfterAccess(Duration.ofDays(1)).build();
        Duration ipIdle = failedPerIp == null ? Duration.ofMinutes(1) : failedPerIp.period();
        this.ipBuckets = Caffeine.newBuilder().maximumSize(MAX_ENTRIES).ticker(ticker)
                .expireAfterAccess(ipIdle).build();
    }

    /** A 429 when {@code ip} has used up its failed attempts; no token is taken. */
    public Optional<Rejection> checkIp(String ip) {
        if (failedPerIp == null || ip == null) {
            return Optional.empty();
        }
        Bucket bucket = ipBuckets.getIfPresent(ip);
        if (bucket == null) {
            return Optional.empty();
        }
        EstimationProbe probe = bucket.estimateAbilityToConsume(1);
        if (probe.canBeConsumed()) {
            return Optional.empty();
        }
        long wait = seconds(probe.getNanosToWaitForRefill());
        return Optional.of(Rejection.rateLimited(wait, failedPerIp.capacity(), 0, wait));
    }

    /** Counts one failed authentication against {@code ip}. */
    public void recordFailure(String ip) {
        if (failedPerIp == null || ip == null) {
            return;
        }
        ipBuckets.get(ip, k -> newBucket(failedPerIp)).tryConsume(1);
    }

    /**
     * Takes one token for the key: its consumer's {@value #METADATA_RATE_LIMIT} when set and valid, else
     * the filter's default.
     *
     * @return a 429 when the key is over its limit
     */
    public Optional<Rejection> tryConsume(String keyId, Object consumerLimit) {
        RateLimit limit = perKey;
        if (consumerLimit instanceof String text) {
            try {
                limit = RateLimit.parse(text);
            } catch (IllegalArgumentException e) {
                LOG.log(Level.FINE, "Ignoring invalid consumer rate limit of key {0}", keyId);
            }
        }
        if (limit == null) {
            return Optional.empty();
        }
        RateLimit chosen = limit;
        Bucket bucket = keyBuckets.get(new KeyBucketId(keyId, chosen), k -> newBucket(chosen));
        ConsumptionProbe probe = bucket.tryConsumeAndReturnRemaining(1);
        if (probe.isConsumed()) {
            return Optional.empty();
        }
        return Optional.of(Rejection.rateLimited(seconds(probe.getNanosToWaitForRefill()), chosen.capacity(),
                probe.getRemainingTokens(), seconds(probe.getNanosToWaitForReset())));
    }

    /** For tests: the bounded maps can be cleaned up and sized. */
    long estimatedSize() {
        ipBuckets.cleanUp();
        keyBuckets.cleanUp();
        return ipBuckets.estimatedSize() + keyBuckets.estimatedSize();
    }

    private Bucket newBucket(RateLimit limit) {
        return Bucket.builder()
                .addLimit(b -> b.capacity(limit.capacity()).refillGreedy(limit.capacity(), limit.period()))
                .withCustomTimePrecision(timeMeter)
                .build();
    }

    /** Whole seconds, rounded up, at least 1: clients retrying after it will find a token. */
    private static long seconds(long nanos) {
        return Math.max(1, (nanos + NANOS_PER_SECOND - 1) / NANOS_PER_SECOND);
    }

    /** A consumer's limit may change with its metadata: the new one gets a fresh bucket. */
    private record KeyBucketId(String keyId, RateLimit limit) {
    }

    private record TickerTimeMeter(Ticker ticker) implements TimeMeter {
        @Override
        public long currentTimeNanos() {
            return ticker.read();
        }

        @Override
        public boolean isWallClockBased() {
            return false;
        }
    }
}
