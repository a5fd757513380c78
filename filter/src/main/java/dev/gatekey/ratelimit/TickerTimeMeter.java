package dev.gatekey.ratelimit;

import com.github.benmanes.caffeine.cache.Ticker;
import io.github.bucket4j.TimeMeter;

/**
 * A Bucket4j {@link TimeMeter} that reads a Caffeine {@link Ticker}: for buckets local to one node, so that tests
 * advancing the ticker refill them too. Not wall-clock based, so never for buckets shared between nodes.
 *
 * @param ticker the node's ticker ({@link Ticker#systemTicker()} outside tests)
 */
public record TickerTimeMeter(Ticker ticker) implements TimeMeter {

    @Override
    public long currentTimeNanos() {
        return ticker.read();
    }

    @Override
    public boolean isWallClockBased() {
        return false;
    }
}
