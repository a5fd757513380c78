package dev.gatekey.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatekey.testing.TestRedis;
import dev.gatekey.testing.TestTime;
import dev.gatekey.testsupport.logging.LogCapture;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Buckets shared through a real Redis ({@code GATEKEY_TEST_REDIS_URL}), and the fallback when it is unreachable. */
class RedisRateLimitersTest {

    private final TestTime time = new TestTime();
    private final List<RateLimiters> nodes = new ArrayList<>();
    private final String namespace = TestRedis.uniqueNamespace();

    @AfterEach
    void close() {
        nodes.forEach(RateLimiters::close);
        TestRedis.deleteKeys(namespace + "*");
    }

    private RateLimiters node(String url, String perKey, String failedPerIp) {
        RateLimiters node = RateLimiters.redis(perKey == null ? null : RateLimit.parse(perKey),
                failedPerIp == null ? null : RateLimit.parse(failedPerIp), time, time, url, namespace);
        nodes.add(node);
        return node;
    }

    @Test
    void tryConsumeWhenTwoNodesThenTheyShareOneBudget() {
        String url = TestRedis.url();
        RateLimiters a = node(url, "3/1m", null);
        RateLimiters b = node(url, "3/1m", null);

        assertThat(a.tryConsume("key_1", null)).isEmpty();
        assertThat(b.tryConsume("key_1", null)).isEmpty();
        assertThat(a.tryConsume("key_1", null)).isEmpty();

        assertThat(b.tryConsume("key_1", null)).hasValueSatisfying(r -> {
            assertThat(r.retryAfterSeconds()).isGreaterThanOrEqualTo(1).isEqualTo(20);
            assertThat(r.limit()).isEqualTo(3);
            assertThat(r.remaining()).isZero();
        });
        assertThat(a.tryConsume("key_1", null)).isPresent();
        assertThat(a.tryConsume("key_2", null)).as("other keys unaffected").isEmpty();

        time.advance(Duration.ofSeconds(20));
        assertThat(b.tryConsume("key_1", null)).as("one token refilled").isEmpty();
        assertThat(a.tryConsume("key_1", null)).isPresent();

        time.advance(Duration.ofMinutes(1));
        for (int i = 0; i < 3; i++) {
            assertThat((i % 2 == 0 ? a : b).tryConsume("key_1", null)).as("refilled " + i).isEmpty();
        }
        assertThat(a.shared().isDown()).isFalse();
    }

    @Test
    void reserveAttemptWhenTwoNodesThenOneBudgetAndRefundsGoBackToIt() {
        String url = TestRedis.url();
        RateLimiters a = node(url, null, "2/1h");
        RateLimiters b = node(url, null, "2/1h");

        assertThat(a.reserveAttempt("10.0.0.1")).isEmpty();
        assertThat(b.reserveAttempt("10.0.0.1")).isEmpty();
        assertThat(a.reserveAttempt("10.0.0.1")).isPresent();
        b.refundAttempt("10.0.0.1");

        assertThat(a.reserveAttempt("10.0.0.1")).isEmpty();
        assertThat(b.reserveAttempt("10.0.0.1")).isPresent();
        assertThat(a.shared().isDown()).isFalse();
    }

    @Test
    void recordFailureWhenTwoNodesThenFailedAttemptsShared() {
        String url = TestRedis.url();
        RateLimiters a = node(url, null, "3/1m");
        RateLimiters b = node(url, null, "3/1m");
        a.recordFailure("10.0.0.1");
        b.recordFailure("10.0.0.1");
        assertThat(a.checkIp("10.0.0.1")).isEmpty();

        a.recordFailure("10.0.0.1");

        assertThat(b.checkIp("10.0.0.1")).hasValueSatisfying(r -> {
            assertThat(r.retryAfterSeconds()).isEqualTo(20);
            assertThat(r.limit()).isEqualTo(3);
        });
        assertThat(a.checkIp("10.0.0.1")).isPresent();
        assertThat(b.checkIp("10.0.0.2")).isEmpty();

        time.advance(Duration.ofSeconds(20));
        assertThat(a.checkIp("10.0.0.1")).isEmpty();
    }

    @Test
    void tryConsumeWhenConsumerLimitThenOwnBucketAndKeysExpire() {
        String url = TestRedis.url();
        RateLimiters a = node(url, "3/1m", null);
        RateLimiters b = node(url, "3/1m", null);

        assertThat(a.tryConsume("key_1", "1/1h")).isEmpty();
        assertThat(b.tryConsume("key_1", "1/1h")).hasValueSatisfying(r -> {
            assertThat(r.limit()).isEqualTo(1);
            assertThat(r.retryAfterSeconds()).isEqualTo(3600);
        });
        assertThat(b.tryConsume("key_1", null)).as("the default limit is another bucket").isEmpty();

        RedisClient client = RedisClient.create(url);
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            RedisCommands<String, String> redis = connection.sync();
            assertThat(redis.keys(namespace + "*")).containsExactlyInAnyOrder(
                    namespace + "key:key_1:1/3600s", namespace + "key:key_1:3/60s");
            assertThat(redis.pttl(namespace + "key:key_1:1/3600s")).as("expires once it would be full")
                    .isBetween(1L, Duration.ofHours(1).plusSeconds(10).toMillis());
            assertThat(redis.pttl(namespace + "key:key_1:3/60s"))
                    .isBetween(1L, Duration.ofSeconds(20 + 10).toMillis());
            redis.del(namespace + "key:key_1:1/3600s", namespace + "key:key_1:3/60s");
        } finally {
            client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        }
    }

    @Test
    void redisWhenDefaultNamespaceThenKeysUnderGatekeyRatelimit() {
        String url = TestRedis.url();
        String keyId = "key_" + UUID.randomUUID();
        RateLimiters a = RateLimiters.redis(RateLimit.parse("3/1m"), null, time, time, url);
        nodes.add(a);

        assertThat(a.tryConsume(keyId, null)).isEmpty();

        RedisClient client = RedisClient.create(url);
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            String redisKey = "gatekey:ratelimit:key:" + keyId + ":3/60s";
            assertThat(connection.sync().exists(redisKey)).isEqualTo(1);
            connection.sync().del(redisKey);
        } finally {
            client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        }
    }

    @Test
    void closeWhenConnectedThenNoLettuceThreadLeft() throws Exception {
        RateLimiters a = node(TestRedis.url(), "3/1m", null);
        a.tryConsume("key_1", null);

        a.close();

        assertThat(TestRedis.lettuceThreadsLeft()).isFalse();
        assertThat(a.tryConsume("key_1", null)).as("local buckets after close").isEmpty();
    }

    @Test
    void redisWhenUnreachableThenLimitedLocallyAndWarnedOnce() throws Exception {
        try (LogCapture log = new LogCapture(RateLimiters.class)) {
            RateLimiters a = node("redis://gatekey:hunter2@127.0.0.1:1", "3/1m", "2/1m");

            for (int i = 0; i < 3; i++) {
                assertThat(a.tryConsume("key_1", null)).isEmpty();
            }
            assertThat(a.tryConsume("key_1", null)).hasValueSatisfying(
                    r -> assertThat(r.retryAfterSeconds()).isEqualTo(20));
            a.recordFailure("10.0.0.1");
            a.recordFailure("10.0.0.1");
            assertThat(a.checkIp("10.0.0.1")).isPresent();
            for (int i = 0; i < 3; i++) {
                a.shared().probe();
                assertThat(a.checkIp("10.0.0.2")).isEmpty();
            }

            List<LogRecord> warnings = log.at(Level.WARNING);
            assertThat(warnings).hasSize(1);
            assertThat(warnings.get(0).getMessage())
                    .startsWith("Redis rate-limit store redis://gatekey:***@127.0.0.1:1 is unavailable (")
                    .endsWith("): rate limits are per node until it is back")
                    .doesNotContain("hunter2");
            assertThat(log.records).allSatisfy(r -> assertThat(r.getMessage()).doesNotContain("hunter2"));
            assertThat(a.shared().isDown()).isTrue();
        }
        nodes.forEach(RateLimiters::close);
        assertThat(TestRedis.lettuceThreadsLeft()).isFalse();
    }

    @Test
    void requireRedisClassesWhenLettuceMissingThenNamesBothArtifacts() {
        ClassLoader hiding = new ClassLoader(getClass().getClassLoader()) {
            @Override
            protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
                if (name.startsWith("io.lettuce.") || name.startsWith("io.github.bucket4j.redis.")) {
                    throw new ClassNotFoundException(name);
                }
                return super.loadClass(name, resolve);
            }
        };

        assertThatThrownBy(() -> RateLimiters.requireRedisClasses(hiding))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("Redis rate limits need com.bucket4j:bucket4j_jdk17-lettuce and "
                        + "io.lettuce:lettuce-core on the application's classpath");
        RateLimiters.requireRedisClasses(getClass().getClassLoader());
    }

    @Test
    void redactWhenPasswordThenMasked() {
        assertThat(RateLimiters.redact("redis://user:s3cret@host:6379/0")).isEqualTo("redis://user:***@host:6379/0");
        assertThat(RateLimiters.redact("rediss://s3cret@host")).isEqualTo("rediss://***@host");
        assertThat(RateLimiters.redact("redis://:s3cret@host")).isEqualTo("redis://:***@host");
        assertThat(RateLimiters.redact("redis://host?password=s3cret&db=1")).isEqualTo("redis://host?password=***&db=1");
        assertThat(RateLimiters.redact("redis://host:6379")).isEqualTo("redis://host:6379");
    }
}
