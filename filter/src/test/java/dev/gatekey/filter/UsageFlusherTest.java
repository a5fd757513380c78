package dev.gatekey.filter;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatekey.problem.Outcome;
import dev.gatekey.store.StoredKey;
import dev.gatekey.store.UsageRetention;
import dev.gatekey.testing.InMemoryKeyStore;
import dev.gatekey.testing.TestTime;
import dev.gatekey.testsupport.logging.LogCapture;
import java.time.Duration;
import java.util.Map;
import java.util.logging.Level;
import org.junit.jupiter.api.Test;

class UsageFlusherTest {

    private final InMemoryKeyStore store = new InMemoryKeyStore();
    private final TestTime time = new TestTime();
    private final UsageCounter counter = new UsageCounter(time, "demo-live");
    private final UsageFlusher flusher = new UsageFlusher(counter, store, time, UsageRetention.DEFAULT);

    private static StoredKey key(int i) {
        return new StoredKey("key_" + i, "demo-live", "c" + i, Map.of(), null, null, true);
    }

    @Test
    void flushWhenManyKeysThenWrittenInBatchesOfBatchSize() {
        int keys = UsageFlusher.BATCH_SIZE * 2 + 1;
        for (int i = 0; i < keys; i++) {
            counter.count(key(i), Outcome.VALID);
        }

        flusher.flush();

        assertThat(store.usageBatches).extracting(b -> b.size())
                .containsExactly(UsageFlusher.BATCH_SIZE, UsageFlusher.BATCH_SIZE, 1);
        assertThat(flusher.pendingCount()).isZero();
    }

    @Test
    void flushWhenStoreFailsThenKeptForNextFlushAndLoggedOnce() {
        counter.count(key(1), Outcome.VALID);
        store.usageDown = true;
        try (LogCapture log = new LogCapture(UsageFlusher.class)) {
            flusher.flush();
            counter.count(key(1), Outcome.VALID);
            flusher.flush();

            assertThat(log.at(Level.WARNING)).hasSize(1);
        }
        assertThat(flusher.pendingCount()).isEqualTo(2);
        store.usageDown = false;

        flusher.flush();

        assertThat(store.usageTotal("key_1", "valid")).isEqualTo(2);
        assertThat(flusher.pendingCount()).isZero();
    }

    @Test
    void flushWhenRollUpIntervalPassedThenRollsUpAgain() {
        flusher.flush();
        time.advance(UsageFlusher.ROLL_UP_INTERVAL.minusSeconds(1));
        flusher.flush();
        assertThat(store.rollUps).containsExactly(TestTime.START);

        time.advance(Duration.ofSeconds(1));
        flusher.flush();

        assertThat(store.rollUps).containsExactly(TestTime.START, TestTime.START.plus(UsageFlusher.ROLL_UP_INTERVAL));
    }
}
