package dev.gatekey.filter;

import dev.gatekey.cache.KeyCache;
import dev.gatekey.metrics.GatekeyMetrics;
import dev.gatekey.store.Change;
import dev.gatekey.store.ChangeFeed;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Applies the change feed to the cache: KEY rows evict one hash, FLUSH rows evict everything. Started at
 * the feed's latest position; if that cannot be read, the next poll tries again. A failing feed is logged
 * once when it starts failing and once when it recovers; meanwhile the cache TTL bounds staleness.
 *
 * <p>Not thread-safe: run by the filter's single scheduler thread (and by tests, directly).
 */
final class ChangeFeedPoller {

    static final int BATCH_SIZE = 1000;
    private static final Logger LOG = Logger.getLogger(ChangeFeedPoller.class.getName());

    private final ChangeFeed feed;
    private final KeyCache cache;
    private final GatekeyMetrics metrics;
    private long position = -1;
    private boolean failing;

    ChangeFeedPoller(ChangeFeed feed, KeyCache cache, GatekeyMetrics metrics) {
        this.feed = feed;
        this.cache = cache;
        this.metrics = metrics;
    }

    /** Reads and applies every change since the last poll. Never throws. */
    void pollOnce() {
        try {
            if (position < 0) {
                position = feed.latestPosition();
            } else {
                List<Change> changes;
                do {
                    changes = feed.changesAfter(position, BATCH_SIZE);
                    for (Change change : changes) {
                        apply(change);
                        position = Math.max(position, change.position());
                    }
                    metrics.changesApplied(changes.size());
                } while (changes.size() >= BATCH_SIZE);
            }
            if (failing) {
                failing = false;
                LOG.info("Gatekey change feed readable again");
            }
        } catch (RuntimeException e) {
            if (!failing) {
                failing = true;
                LOG.log(Level.WARNING, "Gatekey change feed cannot be read; cached keys now stay up to the cache "
                        + "TTL until it recovers", e);
            }
        }
    }

    private void apply(Change change) {
        if (change.type() == Change.Type.FLUSH) {
            cache.invalidateAll();
        } else {
            cache.invalidate(change.keyHash());
        }
    }
}
