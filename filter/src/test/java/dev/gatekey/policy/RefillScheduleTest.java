package dev.gatekey.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatekey.store.CreditPolicy.Interval;
import dev.gatekey.store.CreditPolicy.Refill;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RefillScheduleTest {

    private static final Refill DAILY = new Refill(Interval.DAILY, 10, null);

    @Test
    void nextAfterWhenDailyThenNextMidnightUtc() {
        assertThat(RefillSchedule.nextAfter(DAILY, Instant.parse("2030-01-31T13:05:00Z")))
                .isEqualTo(Instant.parse("2030-02-01T00:00:00Z"));
    }

    @Test
    void nextAfterWhenDailyAtMidnightThenTheFollowingOne() {
        assertThat(RefillSchedule.nextAfter(DAILY, Instant.parse("2030-01-31T00:00:00Z")))
                .isEqualTo(Instant.parse("2030-02-01T00:00:00Z"));
    }

    @Test
    void nextAfterWhenMonthlyWithoutDayThenFirstOfNextMonth() {
        assertThat(RefillSchedule.nextAfter(new Refill(Interval.MONTHLY, 10, null),
                Instant.parse("2030-12-15T08:00:00Z"))).isEqualTo(Instant.parse("2031-01-01T00:00:00Z"));
    }

    @Test
    void nextAfterWhenMonthlyDayStillAheadThenThisMonth() {
        assertThat(RefillSchedule.nextAfter(new Refill(Interval.MONTHLY, 10, 28),
                Instant.parse("2030-02-27T23:59:59Z"))).isEqualTo(Instant.parse("2030-02-28T00:00:00Z"));
    }

    @Test
    void nextAfterWhenMonthlyDayReachedThenNextMonth() {
        assertThat(RefillSchedule.nextAfter(new Refill(Interval.MONTHLY, 10, 15),
                Instant.parse("2030-01-15T00:00:00Z"))).isEqualTo(Instant.parse("2030-02-15T00:00:00Z"));
    }
}
