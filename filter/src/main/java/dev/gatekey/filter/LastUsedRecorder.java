package dev.gatekey.filter;

import dev.gatekey.store.KeyStore;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
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
    private final Map<String, Instant> pending = new ConcurrentHashMap<>();
    private volatile boolean failing;

    LastUsedRecorder(KeyStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    void record(String keyId) {
        pending.put(keyId, clock.instant());
    }

    /** Writes what is pending. Never throws. */
    void flush() {
        if (pending.isEmpty()) {
            return;
        }
        Map<String, Instant> batch = new HashMap<>(pending);
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
        batch.forEach(pending::remove);
    }

    int pendingCount() {
        return pending.size();
    }
}
