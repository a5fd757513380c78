package dev.gatekey.persistence;

import dev.gatekey.store.CreditPolicy.Interval;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;

/**
 * When credits are refilled: daily refills at 00:00 UTC, monthly ones on their refill day (1..28, default 1) at
 * 00:00 UTC. Days 29 to 31 are not allowed, so every month has the refill day.
 */
final class RefillSchedule {

    private RefillSchedule() {
    }

    /**
     * The first refill time strictly after {@code now}.
     *
     * @param refillDay the monthly refill day (null = 1); ignored for daily refills
     */
    static Instant next(Interval interval, Integer refillDay, Instant now) {
        LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
        if (interval == Interval.DAILY) {
            return atMidnight(today.plusDays(1));
        }
        int day = refillDay == null ? 1 : refillDay;
        Instant thisMonth = atMidnight(today.withDayOfMonth(day));
        return thisMonth.isAfter(now) ? thisMonth : atMidnight(today.plusMonths(1).withDayOfMonth(day));
    }

    private static Instant atMidnight(LocalDate day) {
        return day.atStartOfDay(ZoneOffset.UTC).toInstant();
    }
}
