package dev.gatekey.ratelimit;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import java.time.Duration;

/**
 * The Lettuce client options every Gatekey Redis connection uses (rate limits, credits): reconnect in the
 * background, refuse commands at once while disconnected, bound connecting and every command by one time-out.
 * Links Lettuce: load it only with {@code rateLimitStore=redis}.
 */
public final class RedisClientOptions {

    private RedisClientOptions() {
    }

    /** The options, with {@code timeout} for connecting and for every command. */
    public static ClientOptions of(Duration timeout) {
        return ClientOptions.builder()
                .autoReconnect(true)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .socketOptions(SocketOptions.builder().connectTimeout(timeout).build())
                .timeoutOptions(TimeoutOptions.enabled(timeout))
                .build();
    }
}
