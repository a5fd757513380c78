package dev.gatekey.filter;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatekey.ratelimit.RateLimiters;
import dev.gatekey.testing.TestRedis;
import dev.gatekey.testsupport.logging.LogCapture;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code rateLimitStore=redis} through the filter: start-up, requests, and {@code destroy()}. */
class ApiKeyFilterRedisTest {

    private final FilterServer server = new FilterServer();

    @AfterEach
    void stop() throws Exception {
        server.close();
    }

    @Test
    void doFilterWhenRedisStoreThenKeyLimitedAndConnectionClosedOnDestroy() throws Exception {
        String url = TestRedis.url();
        // a period no other run uses: its Redis key is this test's alone
        long minutes = ThreadLocalRandom.current().nextLong(100_000, 999_999);
        server.start(Map.of("rateLimitPerKey", "3/" + minutes + "m", "rateLimitStore", "redis", "redisUrl", url));
        String key = server.store.addKey("alice");
        assertThat(server.filter.rateLimiters().isShared()).isTrue();
        for (int i = 0; i < 3; i++) {
            assertThat(server.getWithKey(key).statusCode()).isEqualTo(200);
        }

        HttpResponse<String> response = server.getWithKey(key);

        assertThat(response.statusCode()).isEqualTo(429);
        assertThat(Long.parseLong(response.headers().firstValue("Retry-After").orElseThrow()))
                .isGreaterThanOrEqualTo(1);
        server.close();
        assertThat(TestRedis.lettuceThreadsLeft()).isFalse();
        TestRedis.deleteKeys(RateLimiters.REDIS_NAMESPACE + "key:*:3/" + minutes * 60 + "s");
    }

    @Test
    void doFilterWhenRedisUnreachableThenRequestsServedAndLimitedLocally() throws Exception {
        try (LogCapture log = new LogCapture(RateLimiters.class)) {
            server.start(Map.of("rateLimitPerKey", "2/1m", "rateLimitStore", "redis",
                    "redisUrl", "redis://:hunter2@127.0.0.1:1"));
            String key = server.store.addKey("alice");

            assertThat(server.getWithKey(key).statusCode()).isEqualTo(200);
            assertThat(server.getWithKey(key).statusCode()).isEqualTo(200);
            HttpResponse<String> limited = server.getWithKey(key);

            assertThat(limited.statusCode()).isEqualTo(429);
            assertThat(limited.headers().firstValue("Retry-After")).hasValue("30");
            assertThat(log.at(Level.WARNING)).hasSize(1);
            assertThat(log.records).allSatisfy(r -> assertThat(r.getMessage()).doesNotContain("hunter2"));
        }
        server.close();
        assertThat(TestRedis.lettuceThreadsLeft()).isFalse();
    }
}
