package dev.gatekey.ratelimit;

import io.github.bucket4j.Bucket;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.TimeMeter;
import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.distributed.proxy.ProxyManager;
import io.github.bucket4j.redis.lettuce.Bucket4jLettuce;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.lettuce.core.resource.Delay;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Bucket4j buckets in Redis through Lettuce: the only class that links Lettuce or Bucket4j's Redis module, loaded
 * only with {@code rateLimitStore=redis} once {@link RateLimiters#redis} has checked both are present.
 *
 * <p>One connection (Lettuce multiplexes it), compare-and-swap buckets with a client-side clock, every command
 * bounded by {@link #TIMEOUT}, commands refused at once while the connection is down (Lettuce reconnects in the
 * background, every {@link #RECONNECT_MIN_DELAY} to {@link #RECONNECT_MAX_DELAY} instead of Lettuce's default back-off
 * of up to 30 s, so Redis coming back is noticed within about half a second) so an outage costs requests no wait.
 */
final class RedisBuckets implements RemoteBuckets {

    /** Bound of a connection attempt and of every Redis command. */
    static final Duration TIMEOUT = Duration.ofMillis(500);
    static final Duration RECONNECT_MIN_DELAY = Duration.ofMillis(50);
    static final Duration RECONNECT_MAX_DELAY = Duration.ofMillis(400);

    /** How long a full (idle) bucket stays in Redis before it expires: it would be recreated full anyway. */
    private static final Duration KEEP_AFTER_REFILL = Duration.ofSeconds(10);

    private final RedisURI uri;
    private final TimeMeter clock;
    private final String namespace;
    private final ClientResources resources;
    private final RedisClient client;
    private volatile StatefulRedisConnection<String, byte[]> connection;
    private volatile ProxyManager<String> buckets;
    private boolean closed;

    /**
     * @param redisUrl {@code redis://} or {@code rediss://} URL
     * @param clock client-side clock for every bucket: must agree across nodes (wall-clock based)
     * @param namespace prefix of every Redis key
     */
    RedisBuckets(String redisUrl, TimeMeter clock, String namespace) {
        this.uri = RedisURI.create(redisUrl);
        this.uri.setTimeout(TIMEOUT);
        this.clock = clock;
        this.namespace = namespace;
        this.resources = DefaultClientResources.builder().ioThreadPoolSize(2).computationThreadPoolSize(2)
                .reconnectDelay(Delay.exponential(RECONNECT_MIN_DELAY, RECONNECT_MAX_DELAY, 2, TimeUnit.MILLISECONDS))
                .build();
        this.client = RedisClient.create(resources);
        this.client.setOptions(RedisClientOptions.of(TIMEOUT));
    }

    @Override
    public synchronized void connect() {
        if (closed) {
            throw new IllegalStateException("closed");
        }
        if (connection != null) {
            return;
        }
        StatefulRedisConnection<String, byte[]> opened =
                client.connect(RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE), uri);
        buckets = Bucket4jLettuce.casBasedBuilder(opened)
                .expirationAfterWrite(ExpirationAfterWriteStrategy.basedOnTimeForRefillingBucketUpToMax(
                        KEEP_AFTER_REFILL))
                .clientClock(clock)
                .requestTimeout(TIMEOUT)
                .build();
        connection = opened;
    }

    @Override
    public void ping() {
        StatefulRedisConnection<String, byte[]> current = connection;
        if (current == null) {
            throw new IllegalStateException("not connected");
        }
        current.sync().ping();
    }

    @Override
    public Bucket bucket(String id, RateLimit limit) {
        ProxyManager<String> current = buckets;
        if (current == null) {
            throw new IllegalStateException("not connected");
        }
        return current.builder().build(namespace + id, () -> configuration(limit));
    }

    private static BucketConfiguration configuration(RateLimit limit) {
        return BucketConfiguration.builder()
                .addLimit(limit.bandwidth())
                .build();
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        buckets = null;
        if (connection != null) {
            connection.close();
            connection = null;
        }
        client.shutdown(0, 5, TimeUnit.SECONDS);
        resources.shutdown(0, 5, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    }
}
