package dev.gatekey.filter;

import com.github.benmanes.caffeine.cache.Ticker;
import dev.gatekey.cache.KeyCache;
import dev.gatekey.format.ApiKeyFormat;
import dev.gatekey.metrics.GatekeyMetrics;
import dev.gatekey.problem.Outcome;
import dev.gatekey.store.KeyHashes;
import dev.gatekey.store.KeyStore;
import dev.gatekey.store.StoredKey;
import dev.gatekey.store.UsageCount;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What usage counting costs (issue 20): a cached valid key validated with counting off ({@link #countingOff}, what
 * the filter does with {@code usageCounting=false}) and on ({@link #countingOn}), side by side in one run; the
 * count alone, from one thread and from two threads on one key; and draining the counts of 100,000 active keys into
 * the batch the flush writes ({@link #drain100kKeys}, single shot: each invocation counts the keys again first).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class UsageCountingBenchmark {

    private static final String BUCKET = "demo-live";
    private static final String PREFIX = "demo_live";
    static final int ACTIVE_KEYS = 100_000;

    private KeyValidator validator;
    private String validKey;
    private UsageCounter counter;
    private StoredKey stored;

    @Setup
    public void setUp() {
        ApiKeyFormat format = ApiKeyFormat.crc32();
        validKey = format.generate(PREFIX);
        stored = new StoredKey("key_bench", BUCKET, "bench", Map.of(), Instant.now().plus(Duration.ofDays(365)), null,
                true);
        String validHash = KeyHashes.sha256Hex(validKey);
        KeyStore store = new KeyStore() {
            @Override
            public Optional<StoredKey> findByHash(String sha256Hex) {
                return sha256Hex.equals(validHash) ? Optional.of(stored) : Optional.empty();
            }

            @Override
            public Optional<String> findKeyPrefix(String bucket) {
                return BUCKET.equals(bucket) ? Optional.of(PREFIX) : Optional.empty();
            }

            @Override
            public void recordLastUsed(Map<String, Instant> lastUsedByKeyId) {
            }
        };
        Clock clock = Clock.systemUTC();
        BucketPrefixes prefixes = new BucketPrefixes(store, clock, List.of(BUCKET));
        prefixes.resolve();
        KeyCache cache = new KeyCache(store, Duration.ofHours(1), 100_000, Duration.ofMinutes(5),
                Ticker.systemTicker(), GatekeyMetrics.noop());
        validator = new KeyValidator(format, prefixes, cache, Set.of(BUCKET), clock);
        counter = new UsageCounter(clock, BUCKET);
        if (!validator.validate(validKey).isValid()) {
            throw new IllegalStateException("benchmark fixture is wrong");
        }
    }

    /** Drains now and then so the windows do not grow without bound over a long run. */
    @Setup(Level.Iteration)
    public void drainBetweenIterations() {
        counter.drain();
    }

    @Benchmark
    public Verdict countingOff() {
        return validator.validate(validKey);
    }

    @Benchmark
    public Verdict countingOn() {
        Verdict verdict = validator.validate(validKey);
        counter.count(verdict.key(), Outcome.VALID);
        return verdict;
    }

    @Benchmark
    public void countOnly() {
        counter.count(stored, Outcome.VALID);
    }

    @Benchmark
    @Threads(2)
    public void countOnlyTwoThreadsOneKey() {
        counter.count(stored, Outcome.VALID);
    }

    /** 100,000 active keys' counts of one minute, drained into the flush's batch. */
    @State(Scope.Thread)
    public static class ActiveKeys {
        final UsageCounter counter = new UsageCounter(Clock.systemUTC(), BUCKET);
        final StoredKey[] keys = new StoredKey[ACTIVE_KEYS];

        @Setup(Level.Trial)
        public void keys() {
            for (int i = 0; i < keys.length; i++) {
                keys[i] = new StoredKey("key_" + i, BUCKET, "c" + i, Map.of(), null, null, true);
            }
        }

        @Setup(Level.Invocation)
        public void count() {
            for (StoredKey key : keys) {
                counter.count(key, Outcome.VALID);
            }
        }
    }

    @Benchmark
    @BenchmarkMode(Mode.SingleShotTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    @Warmup(iterations = 5)
    @Measurement(iterations = 20)
    public List<UsageCount> drain100kKeys(ActiveKeys active) {
        List<UsageCount> batch = active.counter.drain();
        if (batch.size() != ACTIVE_KEYS) {
            throw new IllegalStateException("drained " + batch.size());
        }
        return batch;
    }
}
