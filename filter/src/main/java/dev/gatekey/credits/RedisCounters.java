package dev.gatekey.credits;

import dev.gatekey.ratelimit.RedisClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.StringCodec;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The credit counters in Redis through Lettuce: the only credits class that links Lettuce. One connection, every
 * command bounded by {@link #TIMEOUT}, commands refused at once while disconnected (Lettuce reconnects in the
 * background).
 */
final class RedisCounters implements AutoCloseable {

    static final Duration TIMEOUT = Duration.ofMillis(500);

    /**
     * Seeds the counter once (SET NX), then decrements it by the cost when enough is left: the new value, or -1.
     * KEYS[1] counter; ARGV cost, seed, seconds to live.
     */
    static final String SPEND = "redis.call('SET', KEYS[1], ARGV[2], 'NX', 'EX', ARGV[3])\n"
            + "local left = tonumber(redis.call('GET', KEYS[1]))\n"
            + "local cost = tonumber(ARGV[1])\n"
            + "if left >= cost then return redis.call('DECRBY', KEYS[1], cost) end\n"
            + "return -1";

    private final RedisURI uri;
    private final RedisClient client;
    private volatile StatefulRedisConnection<String, String> connection;

    RedisCounters(String redisUrl) {
        this.uri = RedisURI.create(redisUrl);
        this.uri.setTimeout(TIMEOUT);
        this.client = RedisClient.create();
        this.client.setOptions(RedisClientOptions.of(TIMEOUT));
    }

    /** Spends {@code cost} from the counter (seeded with {@code seed} if absent): what is left, or -1 when too little. */
    long spend(String counter, long cost, long seed, long ttlSeconds) {
        Long left = connection().sync().eval(SPEND, ScriptOutputType.INTEGER, new String[] {counter},
                Long.toString(cost), Long.toString(seed), Long.toString(Math.max(1, ttlSeconds)));
        return left == null ? -1 : left;
    }

    private StatefulRedisConnection<String, String> connection() {
        StatefulRedisConnection<String, String> current = connection;
        if (current != null) {
            return current;
        }
        synchronized (this) {
            if (connection == null) {
                connection = client.connect(StringCodec.UTF8, uri);
            }
            return connection;
        }
    }

    @Override
    public synchronized void close() {
        if (connection != null) {
            connection.close();
            connection = null;
        }
        client.shutdown(0, 5, TimeUnit.SECONDS);
    }
}
