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
     * Decrements the counter by the cost when enough is left (an absent counter holds 0): the new value, or -1.
     * KEYS[1] counter; ARGV cost.
     */
    static final String SPEND = "local left = tonumber(redis.call('GET', KEYS[1]) or '0')\n"
            + "local cost = tonumber(ARGV[1])\n"
            + "if left >= cost then return redis.call('DECRBY', KEYS[1], cost) end\n"
            + "return -1";

    /**
     * Adds leased credits to the counter, renews its time to live, then spends the cost as {@link #SPEND} does.
     * KEYS[1] counter; ARGV credits added, cost, seconds to live.
     */
    static final String ADD_AND_SPEND = "local left = redis.call('INCRBY', KEYS[1], ARGV[1])\n"
            + "redis.call('EXPIRE', KEYS[1], ARGV[3])\n"
            + "local cost = tonumber(ARGV[2])\n"
            + "if left >= cost then return redis.call('DECRBY', KEYS[1], cost) end\n"
            + "return -1";

    /** Empties the counter (GET and DEL in one step): what it held, 0 when absent. KEYS[1] counter. */
    static final String TAKE_ALL = "local left = tonumber(redis.call('GET', KEYS[1]) or '0')\n"
            + "redis.call('DEL', KEYS[1])\n"
            + "return left";

    private final RedisURI uri;
    private final RedisClient client;
    private volatile StatefulRedisConnection<String, String> connection;

    RedisCounters(String redisUrl) {
        this.uri = RedisURI.create(redisUrl);
        this.uri.setTimeout(TIMEOUT);
        this.client = RedisClient.create();
        this.client.setOptions(RedisClientOptions.of(TIMEOUT));
    }

    /** Spends {@code cost} from the counter: what is left, or -1 when too little. */
    long spend(String counter, long cost) {
        return eval(SPEND, counter, Long.toString(cost));
    }

    /** Adds {@code added} credits to the counter (its TTL renewed), then spends {@code cost} as {@link #spend}. */
    long addAndSpend(String counter, long added, long cost, long ttlSeconds) {
        return eval(ADD_AND_SPEND, counter, Long.toString(added), Long.toString(cost),
                Long.toString(Math.max(1, ttlSeconds)));
    }

    /** Empties the counter atomically: what it held. */
    long takeAll(String counter) {
        long left = eval(TAKE_ALL, counter);
        return Math.max(0, left);
    }

    private long eval(String script, String counter, String... args) {
        Long result = connection().sync().eval(script, ScriptOutputType.INTEGER, new String[] {counter}, args);
        return result == null ? -1 : result;
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
