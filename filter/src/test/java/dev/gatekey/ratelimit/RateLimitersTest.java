package dev.gatekey.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatekey.problem.Outcome;
import dev.gatekey.problem.Rejection;
import com.github.benmanes.caffeine.cache.Ticker;
import dev.gatekey.testing.TestTime;
import dev.gatekey.testsupport.logging.LogCapture;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class RateLimitersTest {

    private final TestTime time = new TestTime();

    @Test
    void parseWhenUnitsThenPeriods() {
        assertThat(RateLimit.parse("100/1s")).isEqualTo(new RateLimit(100, Duration.ofSeconds(1)));
        assertThat(RateLimit.parse("30/1m")).isEqualTo(new RateLimit(30, Duration.ofMinutes(1)));
        assertThat(RateLimit.parse("5000/1h")).isEqualTo(new RateLimit(5000, Duration.ofHours(1)));
        assertThat(RateLimit.parse("9/2d")).isEqualTo(new RateLimit(9, Duration.ofDays(2)));
    }

    @Test
    void parseWhenSyntaxWrongThenRefused() {
        for (String bad : new String[] {"", "100", "100/s", "0/1s", "1/0s", "1/1w", "-1/1s", "1/1S"}) {
            assertThatThrownBy(() -> RateLimit.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void parseWhenRateOrPeriodBeyondWhatBucket4jAcceptsThenRefused() {
        for (String tooFast : new String[] {"9999999999/1s", "1000000001/1s", "1/106752d", "1/999999d"}) {
            assertThatThrownBy(() -> RateLimit.parse(tooFast)).as(tooFast)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("outside what the rate-limit library accepts");
        }
        assertThat(RateLimit.parse("1000000000/1s").capacity()).isEqualTo(1_000_000_000L);
        assertThat(RateLimit.parse("9999999999/1d").capacity()).isEqualTo(9_999_999_999L);
        assertThat(RateLimit.parse("1/106751d").period()).isEqualTo(Duration.ofDays(106_751));
    }

    @Test
    void recordFailureAndCheckIpWhenLargestAcceptedLimitThenWork() {
        RateLimiters limiters = new RateLimiters(null, RateLimit.parse("1000000000/1s"), time);

        limiters.recordFailure("192.0.2.1");

        assertThat(limiters.checkIp("192.0.2.1")).isEmpty();
    }

    @Test
    void tryConsumeWhenConsumerLimitAboveWhatBucket4jAcceptsThenDefaultLimitAndNoException() {
        RateLimiters limiters = new RateLimiters(RateLimit.parse("1/1m"), null, time);

        assertThat(limiters.tryConsume("key_1", "9999999999/1s")).isEmpty();
        assertThat(limiters.tryConsume("key_1", "9999999999/1s")).as("the default 1/1m applies").isPresent();
    }

    @Test
    void recordFailureWhenBucketFailsOnEveryRequestThenOneStackTraceAndCountsNotATracePerRequest() {
        Ticker broken = () -> {
            throw new IllegalStateException("clock broken");
        };
        RateLimiters limiters = new RateLimiters(RateLimit.parse("5/1m"), RateLimit.parse("5/1m"), broken);

        try (LogCapture log = new LogCapture(RateLimiters.class)) {
            for (int i = 0; i < 1000; i++) {
                limiters.recordFailure("192.0.2.1");
                assertThat(limiters.tryConsume("key_1", null)).isEmpty();
            }

            List<LogRecord> warnings = log.at(Level.WARNING);
            assertThat(warnings.stream().filter(r -> r.getThrown() != null)).as("one stack trace per kind").hasSize(2);
            assertThat(warnings).as("first, 10th, 100th, 1000th of each kind").hasSize(8);
        }
    }

    @Test
    void tryConsumeWhenNoLimitThenAlwaysAllowed() {
        RateLimiters limiters = new RateLimiters(null, null, time);

        for (int i = 0; i < 1000; i++) {
            assertThat(limiters.tryConsume("key_1", null)).isEmpty();
        }
    }

    @Test
    void tryConsumeWhenOverLimitThenRejectionWithHeaders() {
        RateLimiters limiters = new RateLimiters(RateLimit.parse("10/1s"), null, time);
        for (int i = 0; i < 10; i++) {
            assertThat(limiters.tryConsume("key_1", null)).isEmpty();
        }

        Rejection rejection = limiters.tryConsume("key_1", null).orElseThrow();

        assertThat(rejection.outcome()).isEqualTo(Outcome.RATE_LIMITED);
        assertThat(rejection.retryAfterSeconds()).isEqualTo(1);
        assertThat(rejection.limit()).isEqualTo(10);
        assertThat(rejection.remaining()).isZero();
        assertThat(rejection.resetSeconds()).isEqualTo(1);
        assertThat(limiters.tryConsume("key_2", null)).as("other keys unaffected").isEmpty();
    }

    @Test
    void tryConsumeWhenTimeAdvancesThenRefilled() {
        RateLimiters limiters = new RateLimiters(RateLimit.parse("1/1m"), null, time);
        limiters.tryConsume("key_1", null);
        assertThat(limiters.tryConsume("key_1", null)).isPresent();

        time.advance(Duration.ofMinutes(1));

        assertThat(limiters.tryConsume("key_1", null)).isEmpty();
    }

    @Test
    void tryConsumeWhenConsumerLimitSetThenItWins() {
        RateLimiters limiters = new RateLimiters(null, null, time);
        limiters.tryConsume("key_1", "1/1h");

        assertThat(limiters.tryConsume("key_1", "1/1h")).hasValueSatisfying(r -> {
            assertThat(r.limit()).isEqualTo(1);
            assertThat(r.retryAfterSeconds()).isEqualTo(3600);
        });
    }

    @Test
    void tryConsumeWhenConsumerLimitInvalidThenDefaultApplies() {
        RateLimiters limiters = new RateLimiters(RateLimit.parse("1/1h"), null, time);
        limiters.tryConsume("key_1", "lots");

        assertThat(limiters.tryConsume("key_1", "lots")).isPresent();
    }

    @Test
    void checkIpWhenFailuresBelowLimitThenAllowed() {
        RateLimiters limiters = new RateLimiters(null, RateLimit.parse("3/1m"), time);
        limiters.recordFailure("10.0.0.1");
        limiters.recordFailure("10.0.0.1");

        assertThat(limiters.checkIp("10.0.0.1")).isEmpty();
    }

    @Test
    void checkIpWhenFailuresReachLimitThenTooManyRequests() {
        RateLimiters limiters = new RateLimiters(null, RateLimit.parse("3/1m"), time);
        for (int i = 0; i < 3; i++) {
            limiters.recordFailure("10.0.0.1");
        }

        assertThat(limiters.checkIp("10.0.0.1")).hasValueSatisfying(r -> {
            assertThat(r.retryAfterSeconds()).isEqualTo(20);
            assertThat(r.limit()).isEqualTo(3);
        });
        assertThat(limiters.checkIp("10.0.0.2")).isEmpty();
    }

    @Test
    void recordFailureWhenFloodOfAddressesThenMapsStayBounded() {
        RateLimiters limiters = new RateLimiters(null, RateLimit.parse("3/1m"), time);
        for (int i = 0; i < 200_000; i++) {
            limiters.recordFailure("ip-" + i);
        }

        assertThat(limiters.estimatedSize()).isLessThanOrEqualTo(100_000);
    }

    @Test
    void reserveAttemptWhenTokensUsedUpThenTooManyRequestsWithoutTakingMore() {
        RateLimiters limiters = new RateLimiters(null, RateLimit.parse("3/1m"), time);
        for (int i = 0; i < 3; i++) {
            assertThat(limiters.reserveAttempt("10.0.0.1")).isEmpty();
        }

        assertThat(limiters.reserveAttempt("10.0.0.1")).hasValueSatisfying(r -> {
            assertThat(r.retryAfterSeconds()).isEqualTo(20);
            assertThat(r.limit()).isEqualTo(3);
        });
        time.advance(Duration.ofSeconds(20));
        assertThat(limiters.reserveAttempt("10.0.0.1")).isEmpty();
    }

    @Test
    void refundAttemptWhenReservedThenTheTokenIsBack() {
        RateLimiters limiters = new RateLimiters(null, RateLimit.parse("1/1h"), time);
        assertThat(limiters.reserveAttempt("10.0.0.1")).isEmpty();

        limiters.refundAttempt("10.0.0.1");

        assertThat(limiters.reserveAttempt("10.0.0.1")).isEmpty();
        assertThat(limiters.reserveAttempt("10.0.0.1")).isPresent();
    }

    @Test
    void refundAttemptWhenNothingReservedThenCapacityNotExceeded() {
        RateLimiters limiters = new RateLimiters(null, RateLimit.parse("1/1h"), time);
        limiters.refundAttempt("10.0.0.1");
        assertThat(limiters.reserveAttempt("10.0.0.1")).isEmpty();
        limiters.refundAttempt("10.0.0.1");
        limiters.refundAttempt("10.0.0.1");

        assertThat(limiters.reserveAttempt("10.0.0.1")).isEmpty();
        assertThat(limiters.reserveAttempt("10.0.0.1")).isPresent();
    }
}
