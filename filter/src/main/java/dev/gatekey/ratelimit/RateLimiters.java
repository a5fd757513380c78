package dev.gatekey.ratelimit;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import dev.gatekey.config.Redaction;
import dev.gatekey.problem.FailureLog;
import dev.gatekey.problem.Rejection;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.EstimationProbe;
import io.github.bucket4j.TimeMeter;
import io.github.bucket4j.local.SynchronizationStrategy;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Bucket4j limits: requests per key (after a successful verdict) and failed attempts per client IP (anti brute
 * force).
 *
 * <p>Local buckets live in bounded Caffeine maps, so a flood of addresses or keys cannot grow memory; a bucket
 * idle for longer than its period is dropped, which loses nothing since it would be full. With {@link #redis}
 * the buckets live in Redis instead, shared by every node, under {@value #REDIS_NAMESPACE}{@code key:<keyId>:<limit>}
 * and {@value #REDIS_NAMESPACE}{@code ip:<address>}, expiring once idle long enough to be full again. When a Redis
 * call fails, that request is limited by the local buckets; after a few failures a circuit breaker stops calling
 * Redis until a background probe finds it back (see {@link #sharedStoreState()}).
 *
 * <p>Time comes from the injected {@link Ticker} (and, for Redis, {@link Clock}), so tests advance it instead of
 * sleeping. {@link #close()} releases the Redis connection and its threads.
 */
public final class RateLimiters implements AutoCloseable {

    /** Consumer metadata entry overriding the per-key limit, same syntax as {@link RateLimit#parse}. */
    public static final String METADATA_RATE_LIMIT = "rateLimit";

    /** Prefix of every Redis key written by {@link #redis}. */
    public static final String REDIS_NAMESPACE = "gatekey:ratelimit:";

    /** The artifacts {@link #redis} needs on the application's classpath. */
    static final List<String> REDIS_ARTIFACTS = List.of("com.bucket4j:bucket4j_jdk17-lettuce",
            "io.lettuce:lettuce-core");

    private static final Logger LOG = Logger.getLogger(RateLimiters.class.getName());
    static final String IP_LIMIT_FAILED = "Failed-attempt limit of a client address failed; the request goes unlimited";
    static final String KEY_LIMIT_FAILED = "Rate limit of a key failed; the request goes unlimited";
    private static final long MAX_ENTRIES = 100_000;
    private static final long NANOS_PER_SECOND = TimeUnit.SECONDS.toNanos(1);
    private static final Pattern USER_INFO = Pattern.compile("^([A-Za-z][A-Za-z0-9+.-]*://)([^@/?#]*)@");

    private final RateLimit perKey;
    private final RateLimit failedPerIp;
    private final TimeMeter timeMeter;
    private final Cache<KeyBucketId, Bucket> keyBuckets;
    private final Cache<String, Bucket> ipBuckets;
    private final SharedBuckets shared;
    /** Per-request failures: one stack trace, then counts (a broken limit must not write a trace per request). */
    private final FailureLog failures = new FailureLog(LOG);

    /**
     * Local buckets only: each node counts for itself.
     *
     * @param perKey default per-key limit, or {@code null} for unlimited (consumers may still set one)
     * @param failedPerIp failed attempts allowed per client IP, or {@code null} for unlimited
     */
    public RateLimiters(RateLimit perKey, RateLimit failedPerIp, Ticker ticker) {
        this(perKey, failedPerIp, ticker, null);
    }

    /** With {@code shared} buckets tried first, when not {@code null}. */
    RateLimiters(RateLimit perKey, RateLimit failedPerIp, Ticker ticker, SharedBuckets shared) {
        this.perKey = perKey;
        this.failedPerIp = failedPerIp;
        this.timeMeter = new TickerTimeMeter(ticker);
        this.keyBuckets = Caffeine.newBuilder().maximumSize(MAX_ENTRIES).ticker(ticker)
                .expireAfterAccess(Duration.ofDays(1)).build();
        Duration ipIdle = failedPerIp == null ? Duration.ofMinutes(1) : failedPerIp.period();
        this.ipBuckets = Caffeine.newBuilder().maximumSize(MAX_ENTRIES).ticker(ticker)
                .expireAfterAccess(ipIdle).build();
        this.shared = shared;
    }

    /**
     * Buckets in the Redis of {@code redisUrl}, shared with every node using it, the local buckets standing in
     * while Redis is unreachable. Connects before returning (at most about half a second); an unreachable Redis
     * is logged, not thrown.
     *
     * @param ticker time of the local buckets
     * @param clock time of the Redis buckets: a wall clock, since every node's must agree
     * @param redisUrl {@code redis://} or {@code rediss://} URL, possibly with a password
     * @throws IllegalStateException when Lettuce or Bucket4j's Lettuce module is not on the classpath
     */
    public static RateLimiters redis(RateLimit perKey, RateLimit failedPerIp, Ticker ticker, Clock clock,
            String redisUrl) {
        requireRedisClasses(RateLimiters.class.getClassLoader());
        return redis(perKey, failedPerIp, ticker, clock, redisUrl, REDIS_NAMESPACE);
    }

    /** {@link #redis} with another key prefix. */
    static RateLimiters redis(RateLimit perKey, RateLimit failedPerIp, Ticker ticker, Clock clock,
            String redisUrl, String namespace) {
        Objects.requireNonNull(clock, "clock");
        RemoteBuckets remote = new RedisBuckets(redisUrl, new ClockTimeMeter(clock), namespace);
        return new RateLimiters(perKey, failedPerIp, ticker,
                new SharedBuckets(remote, ticker, redact(redisUrl), password(redisUrl)));
    }

    /** Throws naming the missing artifacts unless the Redis classes load from {@code loader}. */
    static void requireRedisClasses(ClassLoader loader) {
        try {
            Class.forName("io.github.bucket4j.redis.lettuce.Bucket4jLettuce", false, loader);
            Class.forName("io.lettuce.core.RedisClient", false, loader);
        } catch (ClassNotFoundException | LinkageError e) {
            throw new IllegalStateException("Redis rate limits need " + String.join(" and ", REDIS_ARTIFACTS)
                    + " on the application's classpath (missing class " + e.getMessage() + ")");
        }
    }

    /**
     * A Redis URL fit for logs and messages: the password of its user info (or all of a user info without
     * {@code :}, which Lettuce takes as the password) and of any {@code password=} parameter is masked (see
     * {@link Redaction#url}).
     */
    public static String redact(String redisUrl) {
        return Redaction.url(redisUrl);
    }

    private static String password(String redisUrl) {
        Matcher m = USER_INFO.matcher(redisUrl);
        if (!m.find()) {
            return null;
        }
        String userInfo = m.group(2);
        int colon = userInfo.indexOf(':');
        return colon < 0 ? userInfo : userInfo.substring(colon + 1);
    }

    /**
     * A 429 when {@code ip} has used up its failed attempts; no token is taken. A failing bucket does not fail
     * the request (it goes unlimited, logged through {@link FailureLog}).
     */
    public Optional<Rejection> checkIp(String ip) {
        if (failedPerIp == null || ip == null) {
            return Optional.empty();
        }
        try {
            return estimateIp(ip);
        } catch (RuntimeException e) {
            failures.failed(IP_LIMIT_FAILED, e);
            return Optional.empty();
        }
    }

    private Optional<Rejection> estimateIp(String ip) {
        EstimationProbe probe = shared == null ? null
                : shared.apply(ipId(ip), failedPerIp, bucket -> bucket.estimateAbilityToConsume(1));
        if (probe == null) {
            Bucket bucket = ipBuckets.getIfPresent(ip);
            if (bucket == null) {
                return Optional.empty();
            }
            probe = bucket.estimateAbilityToConsume(1);
        }
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
        try {
            Boolean counted = shared == null ? null
                    : shared.apply(ipId(ip), failedPerIp, bucket -> bucket.tryConsume(1));
            if (counted == null) {
                ipBuckets.get(ip, k -> newBucket(failedPerIp)).tryConsume(1);
            }
        } catch (RuntimeException e) {
            failures.failed(IP_LIMIT_FAILED, e);
        }
    }

    /**
     * Takes one failed-attempt token from {@code ip} <em>before</em> an attempt is judged, so that concurrent
     * attempts cannot all pass a check made before any of them was counted. Give the token back with
     * {@link #refundAttempt} when the attempt turns out valid (or could not be judged).
     *
     * @return a 429 when {@code ip} has no token left (nothing was taken)
     */
    public Optional<Rejection> reserveAttempt(String ip) {
        if (failedPerIp == null || ip == null) {
            return Optional.empty();
        }
        ConsumptionProbe probe = shared == null ? null
                : shared.apply(ipId(ip), failedPerIp, bucket -> bucket.tryConsumeAndReturnRemaining(1));
        if (probe == null) {
            probe = ipBuckets.get(ip, k -> newBucket(failedPerIp)).tryConsumeAndReturnRemaining(1);
        }
        if (probe.isConsumed()) {
            return Optional.empty();
        }
        long wait = seconds(probe.getNanosToWaitForRefill());
        return Optional.of(Rejection.rateLimited(wait, failedPerIp.capacity(), 0, wait));
    }

    /**
     * Gives back a token taken by {@link #reserveAttempt} (never more than the limit's capacity). When Redis
     * failed between the two calls the token goes to the local bucket, which at worst lets one more attempt
     * through there.
     */
    public void refundAttempt(String ip) {
        if (failedPerIp == null || ip == null) {
            return;
        }
        Boolean refunded = shared == null ? null : shared.apply(ipId(ip), failedPerIp, bucket -> {
            bucket.addTokens(1);
            return Boolean.TRUE;
        });
        if (refunded == null) {
            Bucket bucket = ipBuckets.getIfPresent(ip);
            if (bucket != null) {
                bucket.addTokens(1);
            }
        }
    }

    /**
     * Takes one token for the key: its consumer's {@value #METADATA_RATE_LIMIT} when set and valid, else
     * the filter's default.
     *
     * @return a 429 when the key is over its limit
     */
    public Optional<Rejection> tryConsume(String keyId, Object consumerLimit) {
        return tryConsumeParsed(keyId, consumerLimit(keyId, consumerLimit));
    }

    /**
     * {@link #tryConsume(String, Object)} with the consumer's limit parsed beforehand, once per cached key (the
     * request path parses nothing).
     *
     * @param consumerLimit the consumer's limit ({@link #consumerLimit}), or {@code null} for the filter's default
     * @return a 429 when the key is over its limit
     */
    public Optional<Rejection> tryConsumeParsed(String keyId, RateLimit consumerLimit) {
        RateLimit limit = consumerLimit != null ? consumerLimit : perKey;
        if (limit == null) {
            return Optional.empty();
        }
        try {
            return consume(keyId, limit);
        } catch (RuntimeException e) {
            failures.failed(KEY_LIMIT_FAILED, e);
            return Optional.empty();
        }
    }

    /**
     * A consumer's {@value #METADATA_RATE_LIMIT} metadata value, parsed; {@code null} when it has none or an invalid
     * one (then the filter's default applies).
     */
    public static RateLimit consumerLimit(String keyId, Object value) {
        if (value instanceof String text) {
            try {
                return RateLimit.parse(text);
            } catch (IllegalArgumentException e) {
                LOG.log(Level.FINE, "Ignoring invalid consumer rate limit of key {0}", keyId);
            }
        }
        return null;
    }

    private Optional<Rejection> consume(String keyId, RateLimit chosen) {
        ConsumptionProbe probe = shared == null ? null : shared.apply(keyId(keyId, chosen), chosen,
                bucket -> bucket.tryConsumeAndReturnRemaining(1));
        if (probe == null) {
            Bucket bucket = keyBuckets.get(new KeyBucketId(keyId, chosen), k -> newBucket(chosen));
            if (bucket.tryConsume(1)) {
                return Optional.empty(); // the common case, without a probe object
            }
            // refused: once more for the 429's figures (should a token have come meanwhile, it is taken)
            probe = bucket.tryConsumeAndReturnRemaining(1);
        }
        if (probe.isConsumed()) {
            return Optional.empty();
        }
        return Optional.of(Rejection.rateLimited(seconds(probe.getNanosToWaitForRefill()), chosen.capacity(),
                probe.getRemainingTokens(), seconds(probe.getNanosToWaitForReset())));
    }

    /** True when the buckets are shared through Redis (even while it is unavailable). */
    public boolean isShared() {
        return shared != null;
    }

    /**
     * The state of the Redis circuit breaker: {@code closed} (shared), {@code open} (local buckets, Redis probed
     * in the background) or {@code half_open}; {@code null} for local rate limits.
     */
    public String sharedStoreState() {
        return shared == null ? null : shared.state();
    }

    /** Runs {@code listener} (cheap, thread-safe) for each decision taken locally because Redis was unusable. */
    public void onSharedStoreFallback(Runnable listener) {
        if (shared != null) {
            shared.onFallback(listener);
        }
    }

    /** Closes the Redis connection, if any, and stops its threads; the local buckets keep working. */
    @Override
    public void close() {
        if (shared != null) {
            shared.close();
        }
    }

    /** For tests: the bounded maps can be cleaned up and sized. */
    long estimatedSize() {
        ipBuckets.cleanUp();
        keyBuckets.cleanUp();
        return ipBuckets.estimatedSize() + keyBuckets.estimatedSize();
    }

    /** For tests: the outage state of the shared buckets. */
    SharedBuckets shared() {
        return shared;
    }

    /** Redis key (after the namespace) of a key's bucket: a changed limit gets a fresh bucket. */
    static String keyId(String keyId, RateLimit limit) {
        return "key:" + keyId + ":" + limit;
    }

    /** Redis key (after the namespace) of a client address's failed attempts. */
    static String ipId(String ip) {
        return "ip:" + ip;
    }

    /**
     * A local bucket. Synchronized rather than lock-free: the lock-free bucket copies its state on every call (about
     * 150 bytes per request), the synchronized one updates it in place under a lock held for a few arithmetic steps.
     */
    private Bucket newBucket(RateLimit limit) {
        return Bucket.builder()
                .addLimit(limit.bandwidth())
                .withCustomTimePrecision(timeMeter)
                .withSynchronizationStrategy(SynchronizationStrategy.SYNCHRONIZED)
                .build();
    }

    /** Whole seconds, rounded up, at least 1: clients retrying after it will find a token. */
    private static long seconds(long nanos) {
        return Math.max(1, (nanos + NANOS_PER_SECOND - 1) / NANOS_PER_SECOND);
    }

    /** A consumer's limit may change with its metadata: the new one gets a fresh bucket. */
    private record KeyBucketId(String keyId, RateLimit limit) {
    }

    /** Nanoseconds since the epoch: comparable across nodes, unlike a ticker. */
    private record ClockTimeMeter(Clock clock) implements TimeMeter {
        @Override
        public long currentTimeNanos() {
            Instant now = clock.instant();
            return now.getEpochSecond() * NANOS_PER_SECOND + now.getNano();
        }

        @Override
        public boolean isWallClockBased() {
            return true;
        }
    }
}
