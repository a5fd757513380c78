package dev.gatekey.filter;

import dev.gatekey.store.KeyStore;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Step 10: remembers when each key was last used (one map write on the request thread) and writes the
 * batch to the store from the background, once per {@link #FLUSH_INTERVAL_SECONDS} at most. A failed write
 * is kept and retried at the next flush, and logged once per outage.
 */
final class LastUsedRecorder {

    static final long FLUSH_INTERVAL_SECONDS = 60;
    private static final Logger LOG = Logger.getLogger(LastUsedRecorder.class.getName());

    private final KeyStore store;
    private final Clock clock;
    /** Key id → epoch milliseconds of its latest use: a known key's use is one volatile write, no allocation. */
    private final Map<String, AtomicLong> pending = new ConcurrentHashMap<>();
    private volatile boolean failing;

    LastUsedRecorder(KeyStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    void record(String keyId) {
        record(keyId, clock.millis());
    }

    /** {@link #record(String)} at {@code now}, the clock's milliseconds already read for this request. */
    void record(String keyId, long now) {
        AtomicLong latest = pending.get(keyId);
        if (latest == null) {
            latest = pending.computeIfAbsent(keyId, id -> new AtomicLong());
        }
        // most requests land in a millisecond already recorded: reading is enough, and spares the cache line
        if (latest.get() < now) {
            latest.accumulateAndGet(now, Math::max);
        }
    }

    /** Writes what is pending. Never throws. */
    void flush() {
        if (pending.isEmpty()) {
            return;
        }
        Map<String, Long> millis = new HashMap<>();
        pending.forEach((keyId, latest) -> millis.put(keyId, latest.get()));
        Map<String, Instant> batch = new HashMap<>();
        millis.forEach((keyId, at) -> batch.put(keyId, Instant.ofEpochMilli(at)));
        try {
            store.recordLastUsed(batch);
        } catch (RuntimeException e) {
            if (!failing) {
                failing = true;
                LOG.log(Level.WARNING, "Could not record when keys were last used; will retry", e);
            }
            return;
        }
        if (failing) {
            failing = false;
            LOG.info("Recording when keys were last used works again");
        }
        // Entries updated meanwhile stay for the next flush.
        millis.forEach((keyId, at) -> pending.computeIfPresent(keyId, (id, latest) -> latest.get() == at ? null : latest));
    }

    int pendingCount() {
        return pending.size();
    }
}
