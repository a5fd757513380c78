package dev.gatekey.metrics;

import dev.gatekey.problem.Outcome;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The filter's meters. Micrometer is optional at runtime: {@link #create} returns a no-op when it is not
 * on the classpath, and the filter never links a Micrometer class otherwise.
 *
 * <p>Names: {@value #REQUESTS}{@code {outcome}} (see {@link Outcome#tag()}), {@value #CACHE_REQUESTS}
 * {@code {result=hit|miss}}, {@value #STORE_LOOKUPS}, {@value #STORE_ERRORS}, {@value #STORE_REJECTED} (lookups not
 * attempted: breaker open or too many running), {@value #CACHE_STALE} (answers served past their TTL while the store
 * failed), {@value #CHANGES_APPLIED}, {@value #REDIS_FALLBACKS} (rate-limit decisions taken locally because Redis
 * failed or its breaker was open), the timer {@value #VALIDATION}, and the gauge {@value #DEPENDENCY_STATE}
 * {@code {dependency=database|redis, state=closed|open|half_open}}: 1 for the dependency's current state, 0 for the
 * others. Every meter carries the tag {@value #BUCKET_TAG}: the filter's bucket
 * names, comma separated, so an admin WAR's key filter and an application's filter in one JVM (the quickstart)
 * count apart.
 */
public interface GatekeyMetrics {

    /** Servlet context attribute holding the {@code MeterRegistry} to use instead of the global one. */
    String METER_REGISTRY_ATTRIBUTE = "dev.gatekey.meterRegistry";

    String REQUESTS = "gatekey.requests";
    String CACHE_REQUESTS = "gatekey.cache.requests";
    String STORE_LOOKUPS = "gatekey.store.lookups";
    String STORE_ERRORS = "gatekey.store.errors";
    String CHANGES_APPLIED = "gatekey.changes.applied";
    String VALIDATION = "gatekey.validation";
    String STORE_REJECTED = "gatekey.store.rejected";
    String CACHE_STALE = "gatekey.cache.stale";
    String REDIS_FALLBACKS = "gatekey.redis.fallbacks";
    String DEPENDENCY_STATE = "gatekey.dependency.state";
    String BUCKET_TAG = "bucket";
    String DEPENDENCY_TAG = "dependency";
    String STATE_TAG = "state";
    /** {@value #DEPENDENCY_TAG} of the key store. */
    String DATABASE = "database";
    /** {@value #DEPENDENCY_TAG} of the shared rate limits. */
    String REDIS = "redis";
    String STATE_CLOSED = "closed";
    String STATE_OPEN = "open";
    String STATE_HALF_OPEN = "half_open";

    void request(Outcome outcome);

    void cacheHit();

    void cacheMiss();

    void storeLookup();

    void storeError();

    void changesApplied(int count);

    /** A lookup not attempted: the store's breaker is open or too many lookups run. */
    void storeRejected();

    /** A key served from its last known good entry while the store could not answer. */
    void staleServed();

    /** A rate-limit decision taken on the local buckets because Redis failed or its breaker was open. */
    void redisFallback();

    /**
     * Publishes a dependency's state ({@value #STATE_CLOSED}, {@value #STATE_OPEN}, {@value #STATE_HALF_OPEN}),
     * read from {@code state} whenever the gauges are read.
     */
    void dependency(String name, Supplier<String> state);

    /** Records one validation that took {@code nanos}. */
    void validation(long nanos);

    /** Meters that record nothing and allocate nothing. */
    static GatekeyMetrics noop() {
        return NoopMetrics.INSTANCE;
    }

    /**
     * Micrometer meters tagged {@code bucket=buckets} in {@code registry} (a {@code MeterRegistry}, or
     * {@code null} for {@code Metrics.globalRegistry}) when Micrometer is on the classpath, otherwise
     * {@link #noop()}.
     */
    static GatekeyMetrics create(Object registry, String buckets) {
        if (!isMicrometerPresent()) {
            return noop();
        }
        return MicrometerMetrics.create(registry, buckets);
    }

    private static boolean isMicrometerPresent() {
        try {
            Class.forName("io.micrometer.core.instrument.MeterRegistry", false, GatekeyMetrics.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            Logger.getLogger(GatekeyMetrics.class.getName()).log(Level.FINE, "Micrometer not found, metrics off");
            return false;
        }
    }
}
