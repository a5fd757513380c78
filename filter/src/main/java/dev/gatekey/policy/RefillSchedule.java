package dev.gatekey.policy;

import dev.gatekey.store.CreditPolicy;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Objects;

/**
 * When credits are refilled: daily refills are due at 00:00 UTC, monthly ones on their {@code refillDay} (default
 * 1) at 00:00 UTC.
 */
public final class RefillSchedule {

    private RefillSchedule() {
    }

    /**
     * The first refill due strictly after {@code now}.
     *
     * @param refill the rule
     * @param now the instant (a refill applied at {@code now} schedules the next one with this)
     * @return the next due instant
     */
    public static Instant nextAfter(CreditPolicy.Refill refill, Instant now) {
        Objects.requireNonNull(refill, "refill");
        return nextAfter(refill.interval(), refill.refillDay(), now);
    }

    /**
     * The same for a rule given by its parts.
     *
     * @param refillDay the monthly refill day (null = 1); ignored for daily refills
     */
    public static Instant nextAfter(CreditPolicy.Interval interval, Integer refillDay, Instant now) {
        LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
        if (interval == CreditPolicy.Interval.DAILY) {
            return today.plusDays(1).atStartOfDay().toInstant(ZoneOffset.UTC);
        }
        int day = refillDay == null ? 1 : refillDay;
        Instant thisMonth = today.withDayOfMonth(day).atStartOfDay().toInstant(ZoneOffset.UTC);
        return thisMonth.isAfter(now) ? thisMonth
                : today.withDayOfMonth(1).plusMonths(1).withDayOfMonth(day).atStartOfDay().toInstant(ZoneOffset.UTC);
    }
}
