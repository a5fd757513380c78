package dev.gatekey.filter;

import dev.gatekey.cache.KeyCache;
import dev.gatekey.membership.KnownKeys;
import dev.gatekey.metrics.GatekeyMetrics;
import dev.gatekey.store.Change;
import dev.gatekey.store.ChangeFeed;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Applies the change feed to the cache: KEY rows evict one hash, FLUSH rows evict everything. Started at
 * the feed's latest position; if that cannot be read, the next poll tries again. A failing feed is logged
 * once when it starts failing and once when it recovers; meanwhile the cache TTL bounds staleness. A successful
 * read closes the key store's circuit breaker at once ({@link KeyCache#storeAvailable()}), so lookups resume within
 * a poll of the database coming back, right after the changes missed meanwhile were applied.
 *
 * <p>Positions become visible out of order (a transaction that took position 7 can commit after the one
 * that took 8), so the poller remembers every position it skipped and reads from the oldest of them for
 * {@link #GAP_WATCH} before giving up on it: a rolled-back change never shows, a slow commit still counts.
 * Once an hour it prunes changes older than {@link #RETENTION}, long past any cache entry's lifetime.
 *
 * <p>With {@link KnownKeys}, every KEY row also adds its hash there (keys are put on the feed when created), and
 * the poller (re)loads them from the store: first once it holds a feed position (so no creation falls between the
 * load and the feed), again when they outgrow their capacity, and every {@link #KNOWN_KEYS_RELOAD} to drop what
 * a missed feed row could have left out.
 *
 * <p>Not thread-safe: run by the filter's single scheduler thread (and by tests, directly).
 */
final class ChangeFeedPoller {

    static final int BATCH_SIZE = 1000;
    /** How long a skipped position is waited for. */
    static final Duration GAP_WATCH = Duration.ofMinutes(1);
    /** Jumps wider than this (a sequence restarted, a bulk rollback) are not tracked position by position. */
    static final int MAX_GAPS = 10_000;
    static final Duration RETENTION = Duration.ofDays(1);
    static final Duration PRUNE_INTERVAL = Duration.ofHours(1);
    static final Duration KNOWN_KEYS_RELOAD = Duration.ofHours(6);
    private static final Logger LOG = Logger.getLogger(ChangeFeedPoller.class.getName());

    private final ChangeFeed feed;
    private final KeyCache cache;
    private final KnownKeys known;
    private final GatekeyMetrics metrics;
    private final Clock clock;
    /** Skipped position → when it was first skipped. */
    private final TreeMap<Long, Instant> gaps = new TreeMap<>();
    private long position = -1;
    private volatile boolean failing;
    private Instant nextPrune;
    private Instant nextKnownKeysLoad = Instant.MIN;
    private boolean knownKeysFailing;

    ChangeFeedPoller(ChangeFeed feed, KeyCache cache, GatekeyMetrics metrics, Clock clock) {
        this(feed, cache, null, metrics, clock);
    }

    /** With {@code known} (or {@code null}) kept current. */
    ChangeFeedPoller(ChangeFeed feed, KeyCache cache, KnownKeys known, GatekeyMetrics metrics, Clock clock) {
        this.feed = feed;
        this.cache = cache;
        this.known = known;
        this.metrics = metrics;
        this.clock = clock;
        this.nextPrune = clock.instant().plus(PRUNE_INTERVAL);
    }

    /** Reads and applies every change since the last poll. Never throws. */
    void pollOnce() {
        try {
            if (position < 0) {
                position = feed.latestPosition();
            } else {
                readChanges(clock.instant());
            }
            // the database answered: the key store's breaker need not wait for a probe to close
            cache.storeAvailable();
            if (failing) {
                failing = false;
                LOG.info("Gatekey change feed readable again");
            }
        } catch (RuntimeException e) {
            if (!failing) {
                failing = true;
                // the reason without the stack trace: an outage is not a bug, and its cause is all an operator needs
                LOG.warning("Gatekey change feed cannot be read (" + reason(e) + "); cached keys now stay up to the "
                        + "cache TTL until it recovers");
            }
        }
        loadKnownKeysWhenDue();
        pruneWhenDue();
    }

    private void loadKnownKeysWhenDue() {
        Instant now = clock.instant();
        // Instant.MAX: the store does not list its keys, so there is nothing to load, ever
        if (known == null || position < 0 || Instant.MAX.equals(nextKnownKeysLoad)
                || (known.isReady() && !known.isOverCapacity() && now.isBefore(nextKnownKeysLoad))) {
            return;
        }
        try {
            boolean listed = known.reload();
            nextKnownKeysLoad = listed ? now.plus(KNOWN_KEYS_RELOAD) : Instant.MAX;
            if (knownKeysFailing) {
                knownKeysFailing = false;
                LOG.info("Gatekey loaded the known key hashes: unknown keys are refused without a lookup again");
            }
        } catch (RuntimeException e) {
            if (!knownKeysFailing) {
                knownKeysFailing = true;
                LOG.warning("Gatekey could not load the known key hashes (" + reason(e) + "); "
                        + (known.isReady() ? "the previous set stays in use" : "every unknown key is looked up")
                        + " until it can");
            }
        }
    }

    private static String reason(Throwable e) {
        StringBuilder text = new StringBuilder(String.valueOf(e.getMessage()));
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        if (root != e) {
            text.append(": ").append(root.getClass().getSimpleName()).append(": ").append(root.getMessage());
        }
        return text.toString();
    }

    private void readChanges(Instant now) {
        gaps.values().removeIf(skippedOn -> !skippedOn.plus(GAP_WATCH).isAfter(now));
        long from = gaps.isEmpty() ? position : Math.min(position, gaps.firstKey() - 1);
        List<Change> changes;
        do {
            changes = feed.changesAfter(from, BATCH_SIZE);
            int applied = 0;
            for (Change change : changes) {
                long at = change.position();
                if (at > position) {
                    watchSkippedPositions(at, now);
                    position = at;
                    apply(change);
                    applied++;
                } else if (gaps.remove(at) != null) {
                    apply(change);
                    applied++;
                }
                from = at;
            }
            metrics.changesApplied(applied);
        } while (changes.size() >= BATCH_SIZE);
    }

    private void watchSkippedPositions(long next, Instant now) {
        long skipped = next - position - 1;
        if (skipped > MAX_GAPS - gaps.size()) {
            LOG.log(Level.FINE, "Change feed jumped {0} positions; not watching them", skipped);
            return;
        }
        for (long p = position + 1; p < next; p++) {
            gaps.put(p, now);
        }
    }

    private void apply(Change change) {
        if (change.type() == Change.Type.FLUSH) {
            cache.invalidateAll();
        } else {
            cache.reload(change.keyHash());
            if (known != null) {
                known.add(change.keyHash());
            }
        }
    }

    private void pruneWhenDue() {
        Instant now = clock.instant();
        if (now.isBefore(nextPrune)) {
            return;
        }
        nextPrune = now.plus(PRUNE_INTERVAL);
        try {
            int pruned = feed.pruneBefore(now.minus(RETENTION));
            LOG.log(Level.FINE, "Pruned {0} old changes from the change feed", pruned);
        } catch (RuntimeException e) {
            LOG.log(Level.FINE, "Could not prune the change feed; the next prune is in an hour", e);
        }
    }

    /** True while the feed cannot be read: what this node knows of new keys may then be out of date. */
    boolean isFailing() {
        return failing;
    }

    /** Positions skipped and still waited for (for tests). */
    Map<Long, Instant> watchedGaps() {
        return Map.copyOf(gaps);
    }
}
