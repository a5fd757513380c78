package dev.gatekey.ratelimit;

import com.github.benmanes.caffeine.cache.Ticker;
import dev.gatekey.cache.TickerClock;
import io.github.bucket4j.Bucket;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.event.CircuitBreakerOnStateTransitionEvent;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Calls {@link RemoteBuckets} through a circuit breaker (Resilience4j) and survives their failures:
 * <ul>
 * <li>A failed call answers {@code null}: the caller then uses its local bucket.</li>
 * <li>After a few failures or slow calls in a row (see {@link #WINDOW}) the breaker opens: requests use the local
 *     buckets without calling Redis at all, so a hung Redis costs them nothing.</li>
 * <li>While it is open, a background thread ({@value #PROBE_THREAD}) connects or pings every {@link #PROBE_INTERVAL}
 *     (never a request thread), and closes it at the first answer: with Lettuce reconnecting every few hundred
 *     milliseconds, sharing resumes well within a second of Redis coming back.</li>
 * </ul>
 * An outage is logged once as a WARNING when it starts and once as an INFO when it ends; the decisions taken
 * locally meanwhile are counted ({@link #fallbacks()}). A Redis that keeps failing soon after each recovery (a
 * starved host, a hot bucket's timeouts) is probed less and less often, from {@link #PROBE_INTERVAL} up to
 * {@link #MAX_PROBE_DELAY}, so a flapping breaker cannot flood the log.
 *
 * <p>No Redis type appears here, so this class loads without Lettuce.
 */
final class SharedBuckets implements AutoCloseable {

    /** How often an open breaker probes Redis. */
    static final Duration PROBE_INTERVAL = Duration.ofMillis(200);
    /** Calls the breaker judges by: it opens when {@value #FAILURES_TO_OPEN} of the last ones failed or were slow. */
    static final int WINDOW = 5;
    static final int FAILURES_TO_OPEN = 3;
    /**
     * A call slower than this counts against Redis even when it succeeds: the command time-out of RedisBuckets (not
     * referenced, so this class loads without Lettuce), so that a hot
     * bucket's compare-and-swap retries under CPU starvation (slow, yet answered) do not make the breaker flap.
     */
    static final Duration SLOW_CALL = Duration.ofMillis(500);
    static final String PROBE_THREAD = "gatekey-redis-probe";
    /** Reopening within this time of closing counts as flapping. */
    static final Duration FLAP_WINDOW = Duration.ofSeconds(30);
    /** The longest an open breaker waits before probing, reached after repeated flapping. */
    static final Duration MAX_PROBE_DELAY = Duration.ofSeconds(15);

    private static final Logger LOG = Logger.getLogger(RateLimiters.class.getName());

    private final RemoteBuckets remote;
    private final Ticker ticker;
    private final String description;
    private final String secret;
    private final CircuitBreaker breaker;
    private final ScheduledExecutorService prober;
    private final AtomicLong fallbacks = new AtomicLong();
    private volatile Runnable fallbackListener = () -> { };
    private volatile boolean connected;
    private volatile boolean closed;
    private volatile String lastFailure = "";
    private volatile long outageStartNanos;
    private volatile long outageStartFallbacks;
    private volatile long lastClosedNanos = Long.MIN_VALUE;
    private volatile long probeDelayNanos = PROBE_INTERVAL.toNanos();

    /**
     * Connects at once; when that fails, the outage is logged and requests use the local buckets until the
     * background probe connects.
     *
     * @param description the store for log lines, e.g. a redacted URL
     * @param secret text never to show in a log line (a password), or {@code null}
     */
    SharedBuckets(RemoteBuckets remote, Ticker ticker, String description, String secret) {
        this(remote, ticker, description, secret, true);
    }

    /** With {@code backgroundProbe=false}, tests call {@link #probe()} themselves. */
    SharedBuckets(RemoteBuckets remote, Ticker ticker, String description, String secret, boolean backgroundProbe) {
        this.remote = remote;
        this.ticker = ticker;
        this.description = description;
        this.secret = secret == null || secret.isEmpty() ? null : secret;
        this.breaker = CircuitBreaker.of("gatekey-redis", CircuitBreakerConfig.custom()
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .slidingWindowSize(WINDOW)
                .minimumNumberOfCalls(FAILURES_TO_OPEN)
                .failureRateThreshold(100f * FAILURES_TO_OPEN / WINDOW)
                .slowCallDurationThreshold(SLOW_CALL)
                .slowCallRateThreshold(100f * FAILURES_TO_OPEN / WINDOW)
                // only the probe closes it: a request must never be the one that waits on a hung Redis
                .waitDurationInOpenState(Duration.ofDays(1))
                .clock(new TickerClock(ticker))
                .currentTimestampFunction(clock -> ticker.read(), TimeUnit.NANOSECONDS)
                .build());
        this.breaker.getEventPublisher().onStateTransition(this::logTransition);
        try {
            remote.connect();
            connected = true;
        } catch (RuntimeException e) {
            lastFailure = reason(e);
            breaker.transitionToOpenState();
        }
        if (backgroundProbe) {
            prober = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread thread = new Thread(r, PROBE_THREAD);
                thread.setDaemon(true);
                return thread;
            });
            long period = PROBE_INTERVAL.toMillis();
            prober.scheduleWithFixedDelay(this::probe, period, period, TimeUnit.MILLISECONDS);
        } else {
            prober = null;
        }
    }

    /**
     * Applies {@code operation} to the shared bucket {@code id}.
     *
     * @return its result, or {@code null} when the store is unavailable (failed now, or breaker open)
     */
    <T> T apply(String id, RateLimit limit, Function<Bucket, T> operation) {
        if (closed || !connected || !breaker.tryAcquirePermission()) {
            fellBack();
            return null;
        }
        long start = ticker.read();
        T result;
        try {
            result = operation.apply(remote.bucket(id, limit));
        } catch (RuntimeException e) {
            lastFailure = reason(e);
            breaker.onError(ticker.read() - start, TimeUnit.NANOSECONDS, e);
            fellBack();
            return null;
        }
        breaker.onSuccess(ticker.read() - start, TimeUnit.NANOSECONDS);
        return result;
    }

    /** When the breaker is open: connects (if never connected) or pings, and closes it when Redis answers. */
    void probe() {
        if (closed || breaker.getState() != CircuitBreaker.State.OPEN
                || ticker.read() - outageStartNanos < probeDelayNanos) {
            return;
        }
        try {
            if (!connected) {
                remote.connect();
                connected = true;
            }
            remote.ping();
        } catch (RuntimeException e) {
            lastFailure = reason(e);
            LOG.log(Level.FINE, "Redis probe failed: {0}", lastFailure);
            return;
        }
        if (!closed) {
            breaker.transitionToClosedState();
        }
    }

    /** True while the breaker is open or probing. */
    boolean isDown() {
        return breaker.getState() != CircuitBreaker.State.CLOSED;
    }

    /** {@code closed}, {@code open} or {@code half_open}. */
    String state() {
        return switch (breaker.getState()) {
            case OPEN, FORCED_OPEN -> "open";
            case HALF_OPEN -> "half_open";
            default -> "closed";
        };
    }

    /** Decisions taken on the local buckets because Redis could not be used. */
    long fallbacks() {
        return fallbacks.get();
    }

    void onFallback(Runnable listener) {
        fallbackListener = listener;
    }

    private void fellBack() {
        fallbacks.incrementAndGet();
        fallbackListener.run();
    }

    private void logTransition(CircuitBreakerOnStateTransitionEvent event) {
        CircuitBreaker.State to = event.getStateTransition().getToState();
        if (to == CircuitBreaker.State.OPEN) {
            long now = ticker.read();
            boolean flapping = lastClosedNanos != Long.MIN_VALUE && now - lastClosedNanos < FLAP_WINDOW.toNanos();
            probeDelayNanos = flapping ? Math.min(probeDelayNanos * 2, MAX_PROBE_DELAY.toNanos())
                    : PROBE_INTERVAL.toNanos();
            outageStartNanos = now;
            outageStartFallbacks = fallbacks.get();
            LOG.warning("Redis rate-limit store " + description + " is unavailable (" + lastFailure
                    + "): rate limits are per node until it is back");
        } else if (to == CircuitBreaker.State.CLOSED) {
            lastClosedNanos = ticker.read();
            LOG.info("Redis rate-limit store " + description + " is back after "
                    + TimeUnit.NANOSECONDS.toMillis(ticker.read() - outageStartNanos) + " ms: rate limits are shared "
                    + "again (" + (fallbacks.get() - outageStartFallbacks) + " decisions taken locally meanwhile)");
        }
    }

    /** The exception's class and message, with the password removed should a message quote it. */
    private String reason(Throwable e) {
        Throwable cause = e;
        while (cause.getCause() != null && cause.getCause() != cause && cause.getMessage() == null) {
            cause = cause.getCause();
        }
        String text = cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": " + cause.getMessage());
        return secret == null ? text : text.replace(secret, "***");
    }

    @Override
    public void close() {
        closed = true;
        if (prober != null) {
            prober.shutdownNow();
            try {
                prober.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        remote.close();
    }

}
