package dev.gatekey.filter;

import dev.gatekey.store.KeyStore;
import dev.gatekey.store.UsageCount;
import dev.gatekey.store.UsageRetention;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Writes what {@link UsageCounter} counted to the store, from the filter's background thread every
 * {@code usageFlushSeconds} and once more when the filter stops; every {@link #ROLL_UP_INTERVAL} it also asks the
 * store to roll minutes up into hours and days and to apply the retention.
 *
 * <p>Counts go out in batches of at most {@link #BATCH_SIZE}, each written whole or not at all: a batch that fails
 * is kept and written at the next flush (up to {@link #MAX_PENDING} counts; beyond that the oldest are dropped and
 * said so), and the failure is logged once per outage. Never throws.
 */
final class UsageFlusher {

    /** Counts per {@link KeyStore#recordUsage} call: one transaction each, short enough for a statement time-out. */
    static final int BATCH_SIZE = 5_000;
    /** Counts kept while the store cannot write: about a quarter of an hour of 100,000 busy keys. */
    static final int MAX_PENDING = 2_000_000;
    /** How often roll-ups and retention run. */
    static final Duration ROLL_UP_INTERVAL = Duration.ofMinutes(5);
    private static final Logger LOG = Logger.getLogger(UsageFlusher.class.getName());

    private final UsageCounter counter;
    private final KeyStore store;
    private final Clock clock;
    private final UsageRetention retention;
    private final List<UsageCount> pending = new ArrayList<>();
    private Instant nextRollUp = Instant.MIN;
    private boolean failing;

    UsageFlusher(UsageCounter counter, KeyStore store, Clock clock, UsageRetention retention) {
        this.counter = counter;
        this.store = store;
        this.clock = clock;
        this.retention = retention;
    }

    /** Drains the counter and writes everything pending; rolls up when due. */
    synchronized void flush() {
        pending.addAll(counter.drain());
        if (pending.size() > MAX_PENDING) {
            int dropped = pending.size() - MAX_PENDING;
            pending.subList(0, dropped).clear();
            LOG.warning("Dropped " + dropped + " usage counts the key store could not take");
        }
        int written = 0;
        try {
            while (written < pending.size()) {
                int end = Math.min(pending.size(), written + BATCH_SIZE);
                store.recordUsage(List.copyOf(pending.subList(written, end)));
                written = end;
            }
            Instant now = clock.instant();
            if (!now.isBefore(nextRollUp)) {
                store.rollUpUsage(now, retention);
                nextRollUp = now.plus(ROLL_UP_INTERVAL);
            }
        } catch (RuntimeException e) {
            if (!failing) {
                failing = true;
                LOG.log(Level.WARNING, "Could not record usage counts; will retry", e);
            }
            return;
        } finally {
            pending.subList(0, written).clear();
        }
        if (failing) {
            failing = false;
            LOG.info("Recording usage counts works again");
        }
    }

    /** Counts drained but not written yet (for tests). */
    synchronized int pendingCount() {
        return pending.size();
    }
}
