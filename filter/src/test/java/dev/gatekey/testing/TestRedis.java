package dev.gatekey.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

/** The Redis of {@code GATEKEY_TEST_REDIS_URL}; tests needing it are skipped when it is unset. */
public final class TestRedis {

    public static final String URL_ENV = "GATEKEY_TEST_REDIS_URL";
    public static final String SKIPPED = URL_ENV + " is not set: Redis tests skipped";
    /** Nothing listens there: connections are refused at once. */
    public static final String UNREACHABLE_URL = "redis://127.0.0.1:1";

    private TestRedis() {
    }

    /** The URL, or skips the calling test with {@link #SKIPPED}. */
    public static String url() {
        String url = System.getenv(URL_ENV);
        assumeTrue(url != null && !url.isBlank(), SKIPPED);
        return url;
    }

    /** A key namespace no other test or run uses. */
    public static String uniqueNamespace() {
        return "gatekey-test:" + UUID.randomUUID() + ":";
    }

    /** Deletes the keys matching {@code pattern} when a Redis is configured, so tests leave nothing behind. */
    public static void deleteKeys(String pattern) {
        String url = System.getenv(URL_ENV);
        if (url == null || url.isBlank()) {
            return;
        }
        RedisClient client = RedisClient.create(url);
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            List<String> keys = connection.sync().keys(pattern);
            if (!keys.isEmpty()) {
                connection.sync().del(keys.toArray(String[]::new));
            }
        } finally {
            client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        }
    }

    /** Joins Lettuce's threads after a shutdown and says whether any is left. */
    public static boolean lettuceThreadsLeft() throws InterruptedException {
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().startsWith("lettuce-")) {
                t.join(5000);
                if (t.isAlive()) {
                    return true;
                }
            }
        }
        return false;
    }
}
