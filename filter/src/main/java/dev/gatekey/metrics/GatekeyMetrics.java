package dev.gatekey.metrics;

import dev.gatekey.problem.Outcome;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The filter's meters. Micrometer is optional at runtime: {@link #create} returns a no-op when it is not
 * on the classpath, and the filter never links a Micrometer class otherwise.
 *
 * <p>Names: {@value #REQUESTS}{@code {outcome}} (see {@link Outcome#tag()}), {@value #CACHE_REQUESTS}
 * {@code {result=hit|miss}}, {@value #STORE_LOOKUPS}, {@value #STORE_ERRORS}, {@value #CHANGES_APPLIED}
 * and the timer {@value #VALIDATION}. Every meter carries the tag {@value #BUCKET_TAG}: the filter's bucket
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
    String BUCKET_TAG = "bucket";

    void request(Outcome outcome);

    void cacheHit();

    void cacheMiss();

    void storeLookup();

    void storeError();

    void changesApplied(int count);

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
