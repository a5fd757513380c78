package dev.gatekey.ratelimit;

import io.github.bucket4j.Bandwidth;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A rate: {@code capacity} requests per {@code period}, written {@code N/D} plus a unit {@code s}, {@code m},
 * {@code h} or {@code d}, e.g. {@code 100/1s}, {@code 5000/1h}, {@code 30/1m}.
 *
 * @param capacity requests allowed per period, at least 1
 * @param period the period, at least one second
 */
public record RateLimit(long capacity, Duration period) {

    private static final Pattern SYNTAX = Pattern.compile("([1-9][0-9]{0,9})/([1-9][0-9]{0,5})([smhd])");

    public RateLimit {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be positive");
        }
        if (period.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new IllegalArgumentException("period must be at least one second");
        }
        try {
            // asked of the library itself, so a limit it refuses fails here (start-up, admin write) and never
            // at the first request that builds a bucket
            bandwidth(capacity, period);
        } catch (IllegalArgumentException | ArithmeticException e) {
            // too fast (over a token per nanosecond) or too long (a period past ~292 years overflows nanoseconds)
            throw new IllegalArgumentException("rate limit " + capacity + " per " + period.toSeconds()
                    + "s is outside what the rate-limit library accepts (" + e.getMessage() + ")", e);
        }
    }

    /** The Bucket4j limit of every bucket of this rate: its capacity, refilled greedily over the period. */
    Bandwidth bandwidth() {
        return bandwidth(capacity, period);
    }

    private static Bandwidth bandwidth(long capacity, Duration period) {
        return Bandwidth.builder().capacity(capacity).refillGreedy(capacity, period).build();
    }

    /**
     * Parses {@code N/D(s|m|h|d)}.
     *
     * @throws IllegalArgumentException when the text does not have that syntax, or Bucket4j would refuse the
     *     rate (over one request per nanosecond, or a period past about 292 years)
     */
    public static RateLimit parse(String text) {
        Matcher m = SYNTAX.matcher(text == null ? "" : text.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("rate limit must look like 100/1s, 30/1m, 5000/1h or 100000/1d");
        }
        long amount = Long.parseLong(m.group(2));
        Duration period = switch (m.group(3)) {
            case "s" -> Duration.ofSeconds(amount);
            case "m" -> Duration.ofMinutes(amount);
            case "h" -> Duration.ofHours(amount);
            default -> Duration.ofDays(amount);
        };
        return new RateLimit(Long.parseLong(m.group(1)), period);
    }

    @Override
    public String toString() {
        return capacity + "/" + period.toSeconds() + "s";
    }
}
