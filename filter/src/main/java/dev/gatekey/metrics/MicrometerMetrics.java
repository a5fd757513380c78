package dev.gatekey.metrics;

import dev.gatekey.problem.Outcome;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Loaded only after {@link GatekeyMetrics#create} found Micrometer. Meters are created once, up front. */
final class MicrometerMetrics implements GatekeyMetrics {

    private final Map<Outcome, Counter> requests = new EnumMap<>(Outcome.class);
    private final Counter cacheHits;
    private final Counter cacheMisses;
    private final Counter storeLookups;
    private final Counter storeErrors;
    private final Counter changesApplied;
    private final Timer validation;

    private MicrometerMetrics(MeterRegistry registry, String buckets) {
        Tags bucket = Tags.of(BUCKET_TAG, buckets);
        for (Outcome outcome : Outcome.values()) {
            requests.put(outcome, Counter.builder(REQUESTS).tags(bucket).tag("outcome", outcome.tag())
                    .description("Requests seen by the Gatekey filter, by outcome").register(registry));
        }
        cacheHits = Counter.builder(CACHE_REQUESTS).tags(bucket).tag("result", "hit").register(registry);
        cacheMisses = Counter.builder(CACHE_REQUESTS).tags(bucket).tag("result", "miss").register(registry);
        storeLookups = Counter.builder(STORE_LOOKUPS).tags(bucket).description("Key store lookups").register(registry);
        storeErrors = Counter.builder(STORE_ERRORS).tags(bucket).description("Failed key store calls")
                .register(registry);
        changesApplied = Counter.builder(CHANGES_APPLIED).tags(bucket).description("Change feed rows applied")
                .register(registry);
        validation = Timer.builder(VALIDATION).tags(bucket).description("Key validation time").register(registry);
    }

    static GatekeyMetrics create(Object registry, String buckets) {
        if (registry != null && !(registry instanceof MeterRegistry)) {
            throw new IllegalArgumentException(METER_REGISTRY_ATTRIBUTE + " must be a MeterRegistry, was "
                    + registry.getClass().getName());
        }
        return new MicrometerMetrics(registry == null ? Metrics.globalRegistry : (MeterRegistry) registry, buckets);
    }

    @Override
    public void request(Outcome outcome) {
        requests.get(outcome).increment();
    }

    @Override
    public void cacheHit() {
        cacheHits.increment();
    }

    @Override
    public void cacheMiss() {
        cacheMisses.increment();
    }

    @Override
    public void storeLookup() {
        storeLookups.increment();
    }

    @Override
    public void storeError() {
        storeErrors.increment();
    }

    @Override
    public void changesApplied(int count) {
        changesApplied.increment(count);
    }

    @Override
    public void validation(long nanos) {
        validation.record(nanos, TimeUnit.NANOSECONDS);
    }
}
