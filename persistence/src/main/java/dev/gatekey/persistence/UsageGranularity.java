package dev.gatekey.persistence;

import java.time.Duration;
import java.util.Locale;

/**
 * The periods usage is counted in, all in UTC: minutes, hours, days. Each has the longest range one query may span
 * (what the default retention keeps) and a default range.
 */
public enum UsageGranularity {

    MINUTE(1, Duration.ofHours(48), Duration.ofHours(1)),
    HOUR(60, Duration.ofDays(90), Duration.ofHours(24)),
    DAY(1440, Duration.ofDays(400), Duration.ofDays(30));

    private final int minutes;
    private final Duration maxRange;
    private final Duration defaultRange;

    UsageGranularity(int minutes, Duration maxRange, Duration defaultRange) {
        this.minutes = minutes;
        this.maxRange = maxRange;
        this.defaultRange = defaultRange;
    }

    /** Minutes in one period. */
    public int minutes() {
        return minutes;
    }

    /** The longest range one query may span at this granularity. */
    public Duration maxRange() {
        return maxRange;
    }

    /** The range of a query that gives no {@code from}: this long before {@code to}. */
    public Duration defaultRange() {
        return defaultRange;
    }

    /** The name as the admin API spells it: {@code minute}, {@code hour}, {@code day}. */
    public String apiName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The granularity named {@code name} ({@code minute}, {@code hour}, {@code day}), or null for another name. */
    static UsageGranularity parse(String name) {
        for (UsageGranularity g : values()) {
            if (g.apiName().equals(name)) {
                return g;
            }
        }
        return null;
    }
}
