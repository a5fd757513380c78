package dev.gatekey.filter;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatekey.problem.Outcome;
import dev.gatekey.store.StoredKey;
import dev.gatekey.store.UsageCount;
import dev.gatekey.testing.TestTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class UsageCounterTest {

    private static final StoredKey ALICE = new StoredKey("key_a", "demo-live", "alice", Map.of(), null, null, true);
    private static final StoredKey BOB = new StoredKey("key_b", "demo-live", "bob", Map.of(), null, null, true);

    private final TestTime time = new TestTime();
    private final UsageCounter counter = new UsageCounter(time, "demo-live");
    private final long minute = TestTime.START.getEpochSecond() / 60;

    @Test
    void drainWhenRequestsCountedThenOneCountPerKeyMinuteAndOutcome() {
        counter.count(ALICE, Outcome.VALID);
        counter.count(ALICE, Outcome.VALID);
        counter.count(ALICE, Outcome.RATE_LIMITED);
        counter.count(BOB, Outcome.REVOKED);

        assertThat(counter.drain()).containsExactly(
                new UsageCount("demo-live", "key_a", minute, "rate_limited", 1),
                new UsageCount("demo-live", "key_a", minute, "valid", 2),
                new UsageCount("demo-live", "key_b", minute, "revoked", 1));
    }

    @Test
    void drainWhenRefusedWithoutKeyThenCountedForTheBucket() {
        counter.count(null, Outcome.BAD_CHECKSUM);
        counter.count(null, Outcome.BAD_CHECKSUM);
        counter.count(null, Outcome.MISSING);

        assertThat(counter.drain()).containsExactly(
                new UsageCount("demo-live", null, minute, "bad_checksum", 2),
                new UsageCount("demo-live", null, minute, "missing", 1));
    }

    @Test
    void drainWhenMinuteTurnsThenCountsKeptApartByMinute() {
        time.advance(Duration.ofSeconds(59));
        counter.count(ALICE, Outcome.VALID);
        time.advance(Duration.ofSeconds(1));
        counter.count(ALICE, Outcome.VALID);
        counter.count(ALICE, Outcome.VALID);

        assertThat(counter.drain()).containsExactly(
                new UsageCount("demo-live", "key_a", minute, "valid", 1),
                new UsageCount("demo-live", "key_a", minute + 1, "valid", 2));
    }

    @Test
    void drainWhenDrainedTwiceThenSecondDrainHasOnlyNewCounts() {
        counter.count(ALICE, Outcome.VALID);
        counter.drain();
        counter.count(ALICE, Outcome.VALID);

        assertThat(counter.drain()).containsExactly(new UsageCount("demo-live", "key_a", minute, "valid", 1));
        assertThat(counter.drain()).isEmpty();
    }

    @Test
    void drainWhenWindowsEndedThenForgottenAfterThreeDrains() {
        counter.count(ALICE, Outcome.VALID);
        time.advance(Duration.ofMinutes(1));
        counter.count(ALICE, Outcome.VALID);
        assertThat(counter.windowCount()).isEqualTo(2);

        counter.drain();
        counter.drain();
        assertThat(counter.windowCount()).isEqualTo(2);
        counter.drain();

        assertThat(counter.windowCount()).isEqualTo(1);
    }

    @Test
    void drainWhenClockStepsBackThenCountedInTheCurrentMinute() {
        time.advance(Duration.ofMinutes(2));
        counter.count(ALICE, Outcome.VALID);
        TestTime earlier = new TestTime();
        UsageCounter late = new UsageCounter(earlier, "demo-live");
        earlier.advance(Duration.ofMinutes(2));
        late.count(ALICE, Outcome.VALID);
        earlier.advance(Duration.ofMinutes(-1));
        late.count(ALICE, Outcome.VALID);

        assertThat(late.drain()).containsExactly(new UsageCount("demo-live", "key_a", minute + 2, "valid", 2));
    }

    @Test
    void drainWhenCountedConcurrentlyWithDrainsThenNothingLostOrCountedTwice() throws Exception {
        int threads = 4;
        int perThread = 200_000;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                done.add(pool.submit(() -> {
                    for (int i = 0; i < perThread; i++) {
                        counter.count(i % 2 == 0 ? ALICE : BOB, Outcome.VALID);
                    }
                }));
            }
            long total = 0;
            while (!done.stream().allMatch(Future::isDone)) {
                total += counter.drain().stream().mapToLong(UsageCount::count).sum();
            }
            for (Future<?> f : done) {
                f.get(30, TimeUnit.SECONDS);
            }
            total += counter.drain().stream().mapToLong(UsageCount::count).sum();

            assertThat(total).isEqualTo((long) threads * perThread);
        } finally {
            pool.shutdownNow();
        }
    }
}
