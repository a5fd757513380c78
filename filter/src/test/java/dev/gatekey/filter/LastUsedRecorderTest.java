package dev.gatekey.filter;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatekey.testing.InMemoryKeyStore;
import dev.gatekey.testing.TestTime;
import dev.gatekey.testsupport.logging.LogCapture;
import java.time.Duration;
import java.util.logging.Level;
import org.junit.jupiter.api.Test;

class LastUsedRecorderTest {

    private final InMemoryKeyStore store = new InMemoryKeyStore();
    private final TestTime time = new TestTime();
    private final LastUsedRecorder recorder = new LastUsedRecorder(store, time);

    @Test
    void flushWhenKeyUsedTwiceThenLatestInstantWrittenOnce() {
        recorder.record("key_1");
        time.advance(Duration.ofSeconds(5));
        recorder.record("key_1");

        recorder.flush();

        assertThat(store.lastUsed).containsExactlyEntriesOf(java.util.Map.of("key_1", time.instant()));
        assertThat(recorder.pendingCount()).isZero();
    }

    @Test
    void flushWhenStoreFailsThenKeptForNextFlushAndLoggedOnce() {
        recorder.record("key_1");
        store.lastUsedDown = true;
        try (LogCapture log = new LogCapture(LastUsedRecorder.class)) {
            recorder.flush();
            recorder.flush();

            assertThat(log.at(Level.WARNING)).hasSize(1);
        }
        store.lastUsedDown = false;

        recorder.flush();

        assertThat(store.lastUsed).containsKey("key_1");
    }
}
