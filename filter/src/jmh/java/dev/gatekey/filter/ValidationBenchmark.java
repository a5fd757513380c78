package dev.gatekey.filter;

import com.github.benmanes.caffeine.cache.Ticker;
import dev.gatekey.cache.KeyCache;
import dev.gatekey.format.ApiKeyFormat;
import dev.gatekey.metrics.GatekeyMetrics;
import dev.gatekey.problem.Rejection;
import dev.gatekey.store.KeyHashes;
import dev.gatekey.store.KeyPolicy;
import dev.gatekey.store.KeyStore;
import dev.gatekey.store.StoredKey;
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
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The in-process validation (steps 3 to 7, no servlet I/O) with the production clock, ticker and cache:
 * a cached valid key, a key with a bad checksum, and a well-formed unknown key answered by the negative
 * cache; and a cached valid key with scopes and an IP allowlist through the key-policy checks, next to a key without
 * policies through the same checks; and, side by side, the cache lookup by the key's SHA-256 (the cached path
 * before) and by its keyed tag (now). Single thread, average time per call.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class ValidationBenchmark {

    private static final String BUCKET = "demo-live";
    private static final String PREFIX = "demo_live";

    private KeyValidator validator;
    private KeyCache cache;
    private String validKey;
    private String badChecksumKey;
    private String unknownKey;
    private String policyKey;
    private KeyPolicyGate noScopesRequired;
    private KeyPolicyGate scopesRequired;

    @Setup
    public void setUp() {
        ApiKeyFormat format = ApiKeyFormat.crc32();
        validKey = format.generate(PREFIX);
        String last = validKey.substring(validKey.length() - 1);
        badChecksumKey = validKey.substring(0, validKey.length() - 1) + ("A".equals(last) ? "B" : "A");
        unknownKey = format.generate(PREFIX);
        StoredKey stored = new StoredKey("key_bench", BUCKET, "bench", Map.of("roles", List.of("admin")),
                Instant.now().plus(Duration.ofDays(365)), null, true);
        String validHash = KeyHashes.sha256Hex(validKey);
        policyKey = format.generate(PREFIX);
        String policyHash = KeyHashes.sha256Hex(policyKey);
        StoredKey withPolicies = new StoredKey("key_policies", BUCKET, "bench", Map.of(), null, null, true,
                new KeyPolicy(Set.of("orders:read", "orders:write", "billing"),
                        List.of("10.0.0.0/8", "2001:db8::/32", "192.0.2.0/24"), null));
        KeyStore store = new KeyStore() {
            @Override
            public Optional<StoredKey> findByHash(String sha256Hex) {
                return sha256Hex.equals(validHash) ? Optional.of(stored)
                        : sha256Hex.equals(policyHash) ? Optional.of(withPolicies) : Optional.empty();
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
        cache = new KeyCache(store, Duration.ofHours(1), 100_000, Duration.ofMinutes(5),
                Ticker.systemTicker(), GatekeyMetrics.noop());
        validator = new KeyValidator(format, prefixes, cache, Set.of(BUCKET), clock);
        if (!validator.validate(validKey).isValid() || validator.validate(unknownKey).isValid()) {
            throw new IllegalStateException("benchmark fixture is wrong");
        }
        noScopesRequired = new KeyPolicyGate(Set.of(), 1, null, clock);
        scopesRequired = new KeyPolicyGate(Set.of("orders:read"), 1, null, clock);
        if (cachedValidKeyWithPolicies() == null || cachedValidKeyThroughPolicyChecks() == null) {
            throw new IllegalStateException("benchmark fixture is wrong: policies refused");
        }
    }

    @Benchmark
    public Verdict cachedValidKey() {
        return validator.validate(validKey);
    }

    @Benchmark
    public Verdict badChecksum() {
        return validator.validate(badChecksumKey);
    }

    @Benchmark
    public Verdict unknownKeyFromNegativeCache() {
        return validator.validate(unknownKey);
    }

    /** The cache lookup of the cached path before the index of recent keys: the key's SHA-256, then by hash. */
    @Benchmark
    public KeyCache.Entry cacheLookupByHash() {
        return cache.cached(KeyHashes.sha256Hex(validKey, 0, validKey.length()));
    }

    /** The cache lookup of the cached path now: by the keyed 128-bit tag of the key text. */
    @Benchmark
    public KeyCache.Entry cacheLookupByTag() {
        return cache.recent(validKey, 0, validKey.length());
    }

    /** A key without policies through the same checks: the cost the checks add to every such request. */
    @Benchmark
    public Verdict cachedValidKeyThroughPolicyChecks() {
        Verdict verdict = validator.validate(validKey);
        Rejection refused = noScopesRequired.access(verdict, "192.0.2.10");
        return refused == null ? verdict : null;
    }

    /** Three scopes (one required) and a three-entry allowlist, the client address matching the last entry. */
    @Benchmark
    public Verdict cachedValidKeyWithPolicies() {
        Verdict verdict = validator.validate(policyKey);
        Rejection refused = scopesRequired.access(verdict, "192.0.2.10");
        return refused == null ? verdict : null;
    }
}
