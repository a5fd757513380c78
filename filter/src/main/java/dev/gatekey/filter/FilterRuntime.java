package dev.gatekey.filter;

import com.github.benmanes.caffeine.cache.Ticker;
import dev.gatekey.cache.KeyCache;
import dev.gatekey.credits.CreditSpender;
import dev.gatekey.credits.LeasedCredits;
import dev.gatekey.credits.RedisCredits;
import dev.gatekey.format.ApiKeyFormat;
import dev.gatekey.membership.KnownKeys;
import dev.gatekey.metrics.GatekeyMetrics;
import dev.gatekey.ratelimit.RateLimiters;
import dev.gatekey.store.ChangeFeed;
import dev.gatekey.store.KeyStore;
import dev.gatekey.store.KeyStoreBackend;
import dev.gatekey.store.KeyStoreProvider;
import jakarta.servlet.ServletException;
import java.time.Clock;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The running parts of one {@link ApiKeyFilter}, built from its settings when it starts and closed when it stops:
 * the key store (given, or opened through {@link KeyStoreProvider}), metrics, rate limits, cache, known-key
 * filter, validator, last-used recorder, and the one background thread that polls the change feed and writes
 * last-used times. The filter itself only coordinates a request's steps over these parts.
 */
final class FilterRuntime implements AutoCloseable {

    /** The filter's logger: operators configure one name for what a filter says. */
    private static final Logger LOG = Logger.getLogger(ApiKeyFilter.class.getName());

    private final FilterSettings settings;
    final Clock clock;
    private final Ticker ticker;

    GatekeyMetrics metrics;
    RateLimiters rateLimiters;
    CredentialExtractor extractor;
    KeyValidator validator;
    KeyCache cache;
    LastUsedRecorder lastUsed;
    KeyPolicyGate policies;
    /** Null when {@code usageCounting} is off. */
    UsageCounter usage;
    private UsageFlusher usageFlusher;
    private CreditSpender credits;
    private BucketPrefixes prefixes;
    private ChangeFeedPoller poller;
    private KeyStoreBackend openedBackend;
    private ScheduledExecutorService scheduler;
    private volatile Thread backgroundThread;

    FilterRuntime(FilterSettings settings, Clock clock, Ticker ticker) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.ticker = Objects.requireNonNull(ticker, "ticker");
    }

    /**
     * Builds and starts every part; on failure closes what was built and throws a {@link ServletException}
     * naming the filter.
     *
     * @param meterRegistry the servlet context's {@link GatekeyMetrics#METER_REGISTRY_ATTRIBUTE}, or null
     * @param injectedStore the store given to the filter's constructor, or null to open one
     * @param paramsNameStore whether the init-params named a store (ignored, with a warning, beside an injected one)
     */
    void start(String filterName, Object meterRegistry, KeyStore injectedStore, ChangeFeed injectedFeed,
            boolean paramsNameStore) throws ServletException {
        try {
            metrics = GatekeyMetrics.create(meterRegistry, String.join(",", settings.buckets()));
        } catch (IllegalArgumentException e) {
            throw new ServletException(e.getMessage(), e);
        }
        try {
            rateLimiters = settings.redisUrl() == null
                    ? new RateLimiters(settings.rateLimitPerKey(), settings.failedAttemptsPerIp(), ticker)
                    : RateLimiters.redis(settings.rateLimitPerKey(), settings.failedAttemptsPerIp(), ticker, clock,
                            settings.redisUrl());
        } catch (IllegalStateException e) {
            throw new ServletException("Gatekey filter [" + filterName + "] could not start: " + e.getMessage(), e);
        }
        KeyStore store;
        ChangeFeed feed;
        if (injectedStore != null) {
            store = injectedStore;
            feed = injectedFeed;
            if (paramsNameStore) {
                LOG.warning("Gatekey filter [" + filterName + "] was given a key store: ignoring its "
                        + "dataSource/jdbcUrl parameters");
            }
        } else {
            try {
                openedBackend = openBackend();
            } catch (ServletException e) {
                close();
                throw e;
            }
            store = openedBackend.keyStore();
            feed = openedBackend.changeFeed();
        }
        try {
            startParts(store, feed);
        } catch (RuntimeException e) {
            close();
            throw new ServletException("Gatekey filter [" + filterName + "] could not start: " + e.getMessage(), e);
        }
        String storeInUse = injectedStore != null ? "store=" + injectedStore.getClass().getName() : "";
        LOG.info("Gatekey filter [" + filterName + "] started: " + settings.describe(storeInUse));
    }

    private void startParts(KeyStore store, ChangeFeed feed) {
        Set<String> buckets = Set.copyOf(new LinkedHashSet<>(settings.buckets()));
        prefixes = new BucketPrefixes(store, clock, settings.buckets());
        prefixes.resolve();
        // a lookup waits for a connection, then for its statement: together, the longest it may take
        cache = new KeyCache(store, settings.cacheTtl(), settings.cacheMaximumSize(), settings.staleIfError(),
                settings.store().connectionTimeout().plus(settings.store().statementTimeout()),
                settings.storeMaxConcurrentLookups(), ticker, metrics);
        metrics.dependency(GatekeyMetrics.DATABASE, cache::storeState);
        if (rateLimiters.isShared()) {
            metrics.dependency(GatekeyMetrics.REDIS, rateLimiters::sharedStoreState);
            rateLimiters.onSharedStoreFallback(metrics::redisFallback);
        }
        extractor = new CredentialExtractor(settings.authHeader(), settings.authScheme(), settings.queryParam());
        lastUsed = new LastUsedRecorder(store, clock);
        // leases behind the lookups' breaker and bulkhead: a failing database costs no waiting request
        KeyStore leases = new GuardedCredits(store, cache);
        credits = settings.redisUrl() == null ? new LeasedCredits(leases, clock)
                : RedisCredits.open(settings.redisUrl(), leases, clock);
        policies = new KeyPolicyGate(settings.requiredScopes(), settings.creditCost(), credits, clock);
        KnownKeys known = new KnownKeys(store);
        poller = new ChangeFeedPoller(feed, cache, known, metrics, clock);
        poller.pollOnce();
        scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, ApiKeyFilter.THREAD_NAME);
            thread.setDaemon(true);
            backgroundThread = thread;
            return thread;
        });
        FeedPolls polls = new FeedPolls(this::pollOnce, scheduler);
        validator = new KeyValidator(ApiKeyFormat.of(settings.checksum(), settings.checksumSecret()), prefixes, cache,
                buckets, clock, new UnknownKeys(known, polls, ticker, poller::isFailing), settings.legacyKeys());
        long period = settings.changePoll().toMillis();
        scheduler.scheduleWithFixedDelay(polls::run, period, period, TimeUnit.MILLISECONDS);
        scheduler.scheduleWithFixedDelay(lastUsed::flush, LastUsedRecorder.FLUSH_INTERVAL_SECONDS,
                LastUsedRecorder.FLUSH_INTERVAL_SECONDS, TimeUnit.SECONDS);
        if (settings.usageCounting()) {
            usage = new UsageCounter(clock, settings.buckets().get(0));
            usageFlusher = new UsageFlusher(usage, store, clock, settings.usageRetention());
            long flush = settings.usageFlush().toMillis();
            scheduler.scheduleWithFixedDelay(usageFlusher::flush, flush, flush, TimeUnit.MILLISECONDS);
        }
    }

    private KeyStoreBackend openBackend() throws ServletException {
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        Iterator<KeyStoreProvider> providers = ServiceLoader.load(KeyStoreProvider.class,
                loader != null ? loader : ApiKeyFilter.class.getClassLoader()).iterator();
        try {
            if (!providers.hasNext()) {
                throw new ServletException("No " + KeyStoreProvider.class.getName() + " found on the classpath: "
                        + "add gatekey-persistence (or your own provider) to the application, or construct "
                        + "ApiKeyFilter with a KeyStore and ChangeFeed");
            }
            KeyStoreProvider provider = providers.next();
            return provider.open(settings.store());
        } catch (ServiceConfigurationError | RuntimeException e) {
            throw new ServletException("Could not open the Gatekey key store (" + settings.store() + "): "
                    + e.getMessage(), e);
        }
    }

    /**
     * Applies the change feed now (the background thread does it every {@code changePollMillis}), after looking up
     * the prefixes of buckets not found yet, so a bucket created after start is accepted within a poll.
     */
    synchronized void pollOnce() {
        if (!prefixes.isComplete()) {
            prefixes.resolve();
        }
        poller.pollOnce();
    }

    /** Writes the usage counts now (the background thread does it every {@code usageFlushSeconds}). */
    void flushUsage() {
        if (usageFlusher != null) {
            usageFlusher.flush();
        }
    }

    /** Stops the background thread, writes pending last-used times and usage counts, closes an opened store and Redis. */
    @Override
    public void close() {
        if (scheduler != null) {
            scheduler.shutdownNow();
            try {
                scheduler.awaitTermination(5, TimeUnit.SECONDS);
                // the executor terminates before its worker thread has quite ended: wait for that too, so no
                // thread of this filter outlives destroy()
                Thread thread = backgroundThread;
                if (thread != null) {
                    thread.join(TimeUnit.SECONDS.toMillis(5));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            scheduler = null;
        }
        if (lastUsed != null) {
            lastUsed.flush();
        }
        if (usageFlusher != null) {
            usageFlusher.flush();
        }
        if (credits != null) {
            credits.close();
        }
        if (openedBackend != null) {
            try {
                openedBackend.close();
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "Could not close the Gatekey key store", e);
            }
            openedBackend = null;
        }
        if (rateLimiters != null) {
            try {
                rateLimiters.close();
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "Could not close the Redis connection of the Gatekey rate limits: "
                        + e.getClass().getName());
            }
        }
    }
}
