package dev.gatekey.cache;

import com.github.benmanes.caffeine.cache.Ticker;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * A {@link Clock} that reads a Caffeine {@link Ticker}: for libraries that measure durations on a clock (Resilience4j's
 * circuit breakers), so that tests advancing the ticker advance them too. Its instants count from the ticker's
 * origin, so they are good for durations only, never for dates.
 */
public final class TickerClock extends Clock {

    private final Ticker ticker;

    public TickerClock(Ticker ticker) {
        this.ticker = ticker;
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }

    @Override
    public Instant instant() {
        return Instant.ofEpochSecond(0, ticker.read());
    }
}
