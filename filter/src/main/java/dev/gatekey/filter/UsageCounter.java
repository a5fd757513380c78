package dev.gatekey.filter;

import dev.gatekey.problem.Outcome;
import dev.gatekey.store.StoredKey;
import dev.gatekey.store.UsageCount;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * Usage counting on the request thread: requests per key, per minute, per outcome (and, for refusals before any key
 * is known, per bucket), held in memory until {@link UsageFlusher} drains them.
 *
 * <p>The counts of one minute live in one {@link Window}: key id → {@link KeyCounts}. A request reads the clock,
 * reads the current window (a volatile read), finds its key's counts (one map lookup on the key id, whose hash the
 * {@code String} caches) and increments a {@link LongAdder} (valid requests, which many threads may count for one
 * key at once) or an {@link AtomicLongArray} slot (refusals). A key's counts are allocated once per minute, not per
 * request.
 *
 * <p>{@link #drain} takes every count with an atomic get-and-reset, so a request counted while a drain runs lands
 * in this drain or the next, never in none or both. A window that has ended is drained twice more (a request thread
 * may still hold it for a moment after the minute turned) and then forgotten.
 */
final class UsageCounter {

    private static final long MILLIS_PER_MINUTE = 60_000;
    private static final Outcome[] OUTCOMES = Outcome.values();

    private final Clock clock;
    private final String bucket;
    private volatile Window current;
    /** Windows still to drain, the current one included; written under {@code this}, read by the drain. */
    private final List<Window> windows = new CopyOnWriteArrayList<>();

    /**
     * @param bucket where refusals before any key was known are counted: the filter's first bucket
     */
    UsageCounter(Clock clock, String bucket) {
        this.clock = clock;
        this.bucket = bucket;
        this.current = new Window(clock.millis() / MILLIS_PER_MINUTE);
        windows.add(current);
    }

    /**
     * Counts one request: {@code key} is the key the request carried when it was found (in the cache or the store),
     * else {@code null}.
     */
    void count(StoredKey key, Outcome outcome) {
        count(key, outcome, clock.millis());
    }

    /** {@link #count(StoredKey, Outcome)} at {@code nowMillis}, the clock's milliseconds read for this request. */
    void count(StoredKey key, Outcome outcome, long nowMillis) {
        long minute = nowMillis / MILLIS_PER_MINUTE;
        Window window = current;
        if (window.minute != minute) {
            window = windowOf(minute);
        }
        if (key == null) {
            window.keyless.incrementAndGet(outcome.ordinal());
            return;
        }
        KeyCounts counts = window.keys.get(key.keyId());
        if (counts == null) {
            counts = window.keys.computeIfAbsent(key.keyId(), id -> new KeyCounts(key.bucket()));
        }
        if (outcome == Outcome.VALID) {
            counts.valid.increment();
        } else {
            counts.refused.incrementAndGet(outcome.ordinal());
        }
    }

    /** The window of {@code minute}, opened when the minute is new; a clock stepping back counts in the current. */
    private synchronized Window windowOf(long minute) {
        Window window = current;
        if (minute > window.minute) {
            window = new Window(minute);
            windows.add(window);
            current = window;
        }
        return window;
    }

    /** Takes every count since the last drain, ordered by minute, bucket, key and outcome. */
    List<UsageCount> drain() {
        List<UsageCount> counts = new ArrayList<>();
        Window now = current;
        for (Window window : windows) {
            window.drainInto(counts, bucket);
            if (window != now && ++window.drainsSinceEnd > 2) {
                windows.remove(window);
            }
        }
        counts.sort(ORDER);
        return counts;
    }

    /** Windows held in memory (for tests). */
    int windowCount() {
        return windows.size();
    }

    /** The order in which counts are written, so that nodes writing the same rows take their locks in one order. */
    static final Comparator<UsageCount> ORDER = Comparator.comparingLong(UsageCount::minute)
            .thenComparing(UsageCount::bucket)
            .thenComparing(UsageCount::keyId, Comparator.nullsFirst(Comparator.naturalOrder()))
            .thenComparing(UsageCount::outcome);

    /** The counts of one minute. */
    private static final class Window {
        final long minute;
        final Map<String, KeyCounts> keys = new ConcurrentHashMap<>();
        final AtomicLongArray keyless = new AtomicLongArray(OUTCOMES.length);
        /** Drains since this window stopped being the current one (drain thread only). */
        int drainsSinceEnd;

        Window(long minute) {
            this.minute = minute;
        }

        void drainInto(List<UsageCount> out, String bucket) {
            for (int i = 0; i < OUTCOMES.length; i++) {
                long n = keyless.getAndSet(i, 0);
                if (n > 0) {
                    out.add(new UsageCount(bucket, null, minute, OUTCOMES[i].tag(), n));
                }
            }
            keys.forEach((keyId, counts) -> {
                long valid = counts.valid.sumThenReset();
                if (valid > 0) {
                    out.add(new UsageCount(counts.bucket, keyId, minute, Outcome.VALID.tag(), valid));
                }
                for (int i = 0; i < OUTCOMES.length; i++) {
                    long n = counts.refused.getAndSet(i, 0);
                    if (n > 0) {
                        out.add(new UsageCount(counts.bucket, keyId, minute, OUTCOMES[i].tag(), n));
                    }
                }
            });
        }
    }

    /** One key's counts in one minute. */
    private static final class KeyCounts {
        final String bucket;
        final LongAdder valid = new LongAdder();
        final AtomicLongArray refused = new AtomicLongArray(OUTCOMES.length);

        KeyCounts(String bucket) {
            this.bucket = bucket;
        }
    }
}
