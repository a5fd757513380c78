package dev.gatekey.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatekey.testing.TestTime;
import dev.gatekey.testsupport.logging.LogCapture;
import io.github.bucket4j.Bucket;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import org.junit.jupiter.api.Test;

/** The outage logic of shared buckets, with a remote store that tests switch off and on and probe by hand. */
class SharedBucketsTest {

    private final TestTime time = new TestTime();
    private final FakeRemote remote = new FakeRemote();

    private SharedBuckets shared() {
        return new SharedBuckets(remote, time, "redis://host", "pw", false);
    }

    @Test
    void applyWhenRemoteFailsThenLocalBucketsAndWarnedOnceThenInfoOnceWhenProbeFindsItBack() {
        try (LogCapture log = new LogCapture(RateLimiters.class)) {
            RateLimiters a = new RateLimiters(RateLimit.parse("2/1m"), null, time, shared());
            SharedBuckets sharedB = shared();
            RateLimiters b = new RateLimiters(RateLimit.parse("2/1m"), null, time, sharedB);
            assertThat(a.tryConsume("key_1", null)).isEmpty();
            assertThat(b.tryConsume("key_1", null)).isEmpty();
            assertThat(a.tryConsume("key_1", null)).as("shared budget used up").isPresent();

            remote.down = true;
            for (int i = 0; i < 2; i++) {
                assertThat(a.tryConsume("key_1", null)).as("local bucket of node a").isEmpty();
            }
            assertThat(a.tryConsume("key_1", null)).isPresent();
            assertThat(log.at(Level.WARNING)).hasSize(1).allSatisfy(r -> assertThat(r.getMessage())
                    .isEqualTo("Redis rate-limit store redis://host is unavailable (IllegalStateException: "
                            + "connection to *** refused): rate limits are per node until it is back"));

            remote.down = false;
            assertThat(a.tryConsume("key_2", null)).as("counted locally while open").isEmpty();
            time.advance(SharedBuckets.PROBE_INTERVAL);
            a.shared().probe();
            assertThat(a.tryConsume("key_1", null)).as("shared budget again").isPresent();
            assertThat(log.at(Level.INFO)).hasSize(1).allSatisfy(r -> assertThat(r.getMessage())
                    .startsWith("Redis rate-limit store redis://host is back after ")
                    .endsWith("ms: rate limits are shared again (2 decisions taken locally meanwhile)"));
            assertThat(log.at(Level.WARNING)).hasSize(1);
        }
    }

    @Test
    void applyWhenBreakerOpenThenRedisNotCalledAtAll() {
        SharedBuckets shared = shared();
        RateLimiters limiters = new RateLimiters(RateLimit.parse("5/1m"), null, time, shared);
        remote.down = true;
        for (int i = 0; i < SharedBuckets.FAILURES_TO_OPEN; i++) {
            limiters.tryConsume("key_1", null);
        }
        assertThat(shared.state()).isEqualTo("open");
        int calls = remote.calls.get();

        for (int i = 0; i < 100; i++) {
            limiters.tryConsume("key_" + i, null);
        }

        assertThat(remote.calls).hasValue(calls);
        assertThat(shared.fallbacks()).isEqualTo(SharedBuckets.FAILURES_TO_OPEN + 100);
    }

    @Test
    void applyWhenCallsSlowThenBreakerOpensThoughTheyAnswer() {
        SharedBuckets shared = shared();
        RateLimiters limiters = new RateLimiters(RateLimit.parse("5/1m"), null, time, shared);
        remote.delay = SharedBuckets.SLOW_CALL.plusMillis(1);

        for (int i = 0; i < SharedBuckets.FAILURES_TO_OPEN; i++) {
            limiters.tryConsume("key_1", null);
        }

        assertThat(shared.state()).isEqualTo("open");
    }

    @Test
    void constructWhenConnectFailsThenOpenAndOnlyTheProbeConnects() {
        remote.down = true;
        try (LogCapture log = new LogCapture(RateLimiters.class)) {
            SharedBuckets shared = shared();
            RateLimiters limiters = new RateLimiters(RateLimit.parse("1/1m"), null, time, shared);
            assertThat(remote.connects).hasValue(1);

            for (int i = 0; i < 10; i++) {
                limiters.tryConsume("key_" + i, null);
            }
            assertThat(remote.connects).as("requests never connect").hasValue(1);
            time.advance(SharedBuckets.PROBE_INTERVAL);
            shared.probe();
            assertThat(remote.connects).hasValue(2);

            remote.down = false;
            shared.probe();
            assertThat(remote.connects).hasValue(3);
            assertThat(shared.isDown()).isFalse();
            assertThat(limiters.tryConsume("key_9", null)).as("key_9 was counted locally only").isEmpty();
            assertThat(log.at(Level.WARNING)).hasSize(1);
            assertThat(log.at(Level.INFO)).hasSize(1);
        }
    }

    @Test
    void probeWhenBreakerKeepsReopeningSoonAfterClosingThenProbesLessOften() {
        SharedBuckets shared = shared();
        RateLimiters limiters = new RateLimiters(RateLimit.parse("5/1m"), null, time, shared);
        Duration delay = SharedBuckets.PROBE_INTERVAL;
        for (int flap = 0; flap < 3; flap++) {
            remote.down = true;
            for (int i = 0; i < SharedBuckets.FAILURES_TO_OPEN; i++) {
                limiters.tryConsume("key_1", null);
            }
            assertThat(shared.state()).isEqualTo("open");
            remote.down = false;
            time.advance(delay.minusMillis(1));
            shared.probe();
            assertThat(shared.state()).as("no probe before %s", delay).isEqualTo("open");
            time.advance(Duration.ofMillis(1));
            shared.probe();
            assertThat(shared.state()).isEqualTo("closed");
            delay = delay.multipliedBy(2);
        }
    }

    /** Buckets in a map standing for Redis; down = every call throws; delay = time each call takes. */
    private final class FakeRemote implements RemoteBuckets {
        final Map<String, Bucket> buckets = new ConcurrentHashMap<>();
        final AtomicInteger connects = new AtomicInteger();
        final AtomicInteger calls = new AtomicInteger();
        volatile boolean down;
        volatile Duration delay = Duration.ZERO;

        @Override
        public void connect() {
            connects.incrementAndGet();
            check();
        }

        @Override
        public void ping() {
            check();
        }

        @Override
        public Bucket bucket(String id, RateLimit limit) {
            calls.incrementAndGet();
            time.advance(delay);
            check();
            return buckets.computeIfAbsent(id, k -> Bucket.builder()
                    .addLimit(b -> b.capacity(limit.capacity()).refillGreedy(limit.capacity(), limit.period()))
                    .build());
        }

        private void check() {
            if (down) {
                throw new IllegalStateException("connection to pw refused");
            }
        }

        @Override
        public void close() {
        }
    }
}
