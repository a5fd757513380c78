package dev.gatekey.persistence;

import java.util.Objects;

/**
 * One consumer's valid requests over a range, a line of {@link UsageService#top}.
 *
 * @param consumer the consumer's name
 * @param count valid requests in the range
 */
public record ConsumerUsage(String consumer, long count) {

    public ConsumerUsage {
        Objects.requireNonNull(consumer, "consumer");
    }
}
