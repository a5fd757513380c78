package dev.gatekey.filter;

import com.github.benmanes.caffeine.cache.Ticker;
import dev.gatekey.problem.Rejection;
import dev.gatekey.ratelimit.RateLimit;
import dev.gatekey.ratelimit.RateLimiters;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The per-key rate limit of a cached valid request whose consumer sets {@code rateLimit} in its metadata: parsed on
 * every request (the path before) and parsed once per cached key (now), side by side; and the filter's default limit
 * alone. Local buckets, single thread, a limit no request reaches.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class RateLimitBenchmark {

    private static final String CONSUMER_LIMIT = "1000000000/1d";

    private RateLimiters limiters;
    private RateLimit parsed;

    @Setup
    public void setUp() {
        limiters = new RateLimiters(RateLimit.parse("1000000000/1s"), RateLimit.parse("5/1m"), Ticker.systemTicker());
        parsed = RateLimiters.consumerLimit("key_bench", CONSUMER_LIMIT);
    }

    @Benchmark
    public Optional<Rejection> consumerLimitParsedPerRequest() {
        return limiters.tryConsume("key_bench", CONSUMER_LIMIT);
    }

    @Benchmark
    public Optional<Rejection> consumerLimitParsedOnce() {
        return limiters.tryConsumeParsed("key_bench", parsed);
    }

    @Benchmark
    public Optional<Rejection> defaultLimit() {
        return limiters.tryConsumeParsed("key_default", null);
    }
}
