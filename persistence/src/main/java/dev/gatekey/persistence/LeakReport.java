package dev.gatekey.persistence;

import java.util.Objects;

/**
 * Where a scanner found a key ({@link LeakService#record}).
 *
 * @param tokenType the scanner's name for the pattern that matched
 * @param url where the key was found
 * @param source the scanner's kind of place, e.g. {@code content}, {@code commit}
 */
public record LeakReport(String tokenType, String url, String source) {

    public LeakReport {
        Objects.requireNonNull(tokenType, "tokenType");
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(source, "source");
    }
}
