package dev.gatekey.filter;

import com.github.benmanes.caffeine.cache.Ticker;
import dev.gatekey.membership.KnownKeys;
import dev.gatekey.ratelimit.TickerTimeMeter;
import io.github.bucket4j.Bucket;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.function.BooleanSupplier;

/**
 * Decides whether a key that is neither cached nor in the node's {@link KnownKeys} is worth a store lookup.
 *
 * <p>A key nobody created is refused without one; but a key created a moment ago on another node is not in this
 * node's filter until the change feed brings it (within {@code changePollMillis}). So such a key is looked up
 * while a small budget lasts ({@value #LOOKUPS_PER_SECOND} per second per node, as many in a burst); once a flood
 * of forged keys has used the budget up, the request waits (at most {@link #MAX_WAIT}, at most
 * {@value #MAX_WAITERS} requests at a time) for a change-feed poll that started after it arrived, and is looked
 * up only if that poll brought its key. A brand-new key is therefore accepted at once, and a forged one costs the
 * database nothing beyond the few demanded feed polls per second ({@link FeedPolls#MIN_SPACING}).
 *
 * <p>While the change feed cannot be read, the node cannot know of new keys: every key is then looked up, so a
 * database outage answers 503 (as without this filter), never a 401 for a key that may exist.
 */
final class UnknownKeys {

    /** Store lookups per second, per node, for keys the node has not heard of. */
    static final int LOOKUPS_PER_SECOND = 20;
    /** Requests that may wait for a demanded poll at the same time; more are refused at once. */
    static final int MAX_WAITERS = 16;
    /** The longest a request waits for a demanded poll. */
    static final Duration MAX_WAIT = Duration.ofMillis(250);

    private final KnownKeys known;
    private final FeedPolls polls;
    private final Bucket budget;
    private final Semaphore waiters = new Semaphore(MAX_WAITERS);
    private final BooleanSupplier feedFailing;

    UnknownKeys(KnownKeys known, FeedPolls polls, Ticker ticker, BooleanSupplier feedFailing) {
        this.known = known;
        this.polls = polls;
        this.feedFailing = feedFailing;
        this.budget = Bucket.builder()
                .addLimit(limit -> limit.capacity(LOOKUPS_PER_SECOND)
                        .refillGreedy(LOOKUPS_PER_SECOND, Duration.ofSeconds(1)))
                .withCustomTimePrecision(new TickerTimeMeter(ticker))
                .build();
    }

    /** True when the store should be asked about this uncached hash. */
    boolean shouldLookUp(String sha256Hex, long arrivalNanos) {
        if (known.mightContain(sha256Hex) || feedFailing.getAsBoolean() || budget.tryConsume(1)) {
            return true;
        }
        if (!waiters.tryAcquire()) {
            return false;
        }
        try {
            if (!polls.awaitPollStartedAfter(arrivalNanos, MAX_WAIT)) {
                return false;
            }
        } finally {
            waiters.release();
        }
        return known.mightContain(sha256Hex) || feedFailing.getAsBoolean();
    }

    /** The store had the key: it exists, whatever the filter thought. */
    void found(String sha256Hex) {
        known.add(sha256Hex);
    }
}
