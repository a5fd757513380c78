package dev.gatekey.persistence;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * The retry schedule: after failed attempt {@code n} (1-based) the next one waits
 * {@code min(15 s × 5^(n-1), 14 h)}, times a random jitter factor in [0.9, 1.1) so that endpoints failing together
 * do not retry in lockstep: 15 s, 75 s, ~6 min, ~31 min, ~2.6 h, ~13 h, 14 h. After {@value #MAX_ATTEMPTS} attempts
 * (over 27 h at the least) the delivery has failed.
 */
public final class WebhookRetries {

    /** Attempts before a delivery counts as failed. */
    public static final int MAX_ATTEMPTS = 8;
    static final Duration FIRST_DELAY = Duration.ofSeconds(15);
    static final int FACTOR = 5;
    static final Duration MAX_DELAY = Duration.ofHours(14);
    static final double JITTER = 0.1;

    private WebhookRetries() {
    }

    /** The wait before attempt {@code failedAttempts + 1}, without jitter. */
    public static Duration baseDelay(int failedAttempts) {
        if (failedAttempts < 1) {
            throw new IllegalArgumentException("failedAttempts must be at least 1");
        }
        long seconds = FIRST_DELAY.toSeconds();
        for (int i = 1; i < failedAttempts && seconds < MAX_DELAY.toSeconds(); i++) {
            seconds *= FACTOR;
        }
        return Duration.ofSeconds(Math.min(seconds, MAX_DELAY.toSeconds()));
    }

    /** {@link #baseDelay} times a factor drawn from [1 - 0.1, 1 + 0.1). */
    public static Duration delay(int failedAttempts, RandomGenerator random) {
        double factor = 1 - JITTER + 2 * JITTER * random.nextDouble();
        return Duration.ofMillis(Math.round(baseDelay(failedAttempts).toMillis() * factor));
    }
}
