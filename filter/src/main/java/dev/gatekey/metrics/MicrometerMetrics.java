package dev.gatekey.metrics;

import dev.gatekey.problem.Outcome;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/** Loaded only after {@link GatekeyMetrics#create} found Micrometer. Meters are created once, up front. */
final class MicrometerMetrics implements GatekeyMetrics {

    private final Map<Outcome, Counter> requests = new EnumMap<>(Outcome.class);
    private final Counter cacheHits;
    private final Counter cacheMisses;
    private final Counter storeLookups;
    private final Counter storeErrors;
    private final Counter changesApplied;
    private final Timer validation;
    private final Counter storeRejected;
    private final Counter staleServed;
    private final Counter redisFallbacks;
    private final MeterRegistry registry;
    private final Tags bucket;

    private MicrometerMetrics(MeterRegistry registry, String buckets) {
        this.registry = registry;
        this.bucket = Tags.of(BUCKET_TAG, buckets);
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
        storeRejected = Counter.builder(STORE_REJECTED).tags(bucket)
                .description("Key store lookups not attempted: breaker open or too many lookups running")
                .register(registry);
        staleServed = Counter.builder(CACHE_STALE).tags(bucket)
                .description("Keys served past their cache TTL because the key store could not answer")
                .register(registry);
        redisFallbacks = Counter.builder(REDIS_FALLBACKS).tags(bucket)
                .description("Rate-limit decisions taken on local buckets because Redis could not be used")
                .register(registry);
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

    @Override
    public void storeRejected() {
        storeRejected.increment();
    }

    @Override
    public void staleServed() {
        staleServed.increment();
    }

    @Override
    public void redisFallback() {
        redisFallbacks.increment();
    }

    @Override
    public void dependency(String name, Supplier<String> state) {
        for (String s : new String[] {STATE_CLOSED, STATE_OPEN, STATE_HALF_OPEN}) {
            // a filter started again (redeployed) in the same registry replaces its predecessor's gauge
            Gauge previous = registry.find(DEPENDENCY_STATE).tags(bucket).tag(DEPENDENCY_TAG, name)
                    .tag(STATE_TAG, s).gauge();
            if (previous != null) {
                registry.remove(previous);
            }
            // strong reference: the gauge lives as long as the filter that registered it
            Gauge.builder(DEPENDENCY_STATE, state, current -> s.equals(current.get()) ? 1 : 0).strongReference(true)
                    .tags(bucket).tag(DEPENDENCY_TAG, name).tag(STATE_TAG, s)
                    .description("1 when the dependency is in this state (closed: in use; open: not called; "
                            + "half_open: probed)")
                    .register(registry);
        }
    }
}
