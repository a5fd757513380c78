package dev.gatekey.store;

import java.time.Duration;
import java.util.Objects;

/**
 * How long stored usage counts are kept at each granularity (see {@link KeyStore#rollUpUsage}). A count is only
 * deleted at a granularity once it has been rolled up into the next coarser one.
 *
 * @param minutes how long per-minute counts are kept
 * @param hours how long per-hour counts are kept
 * @param days how long per-day counts are kept
 */
public record UsageRetention(Duration minutes, Duration hours, Duration days) {

    /** 48 hours of minutes, 90 days of hours, 400 days of days: what the admin API can ask for at each granularity. */
    public static final UsageRetention DEFAULT = new UsageRetention(Duration.ofHours(48), Duration.ofDays(90),
            Duration.ofDays(400));

    public UsageRetention {
        Objects.requireNonNull(minutes, "minutes");
        Objects.requireNonNull(hours, "hours");
        Objects.requireNonNull(days, "days");
        if (minutes.isNegative() || minutes.isZero() || hours.isNegative() || hours.isZero() || days.isNegative()
                || days.isZero()) {
            throw new IllegalArgumentException("retention must be positive");
        }
    }
}
