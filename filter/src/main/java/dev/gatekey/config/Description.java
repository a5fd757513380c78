package dev.gatekey.config;

import java.util.StringJoiner;

/**
 * The one way settings describe themselves in {@code toString()} (their start-up log line):
 * {@code name=value, name=value}. Secrets are never added; URLs that may carry a password go through
 * {@link #url}, which shows them {@linkplain Redaction#url redacted}.
 */
public final class Description {

    private final StringJoiner parts = new StringJoiner(", ");

    /** Adds {@code name=value}; never give it a secret. */
    public Description add(String name, Object value) {
        parts.add(name + "=" + value);
        return this;
    }

    /** Adds {@code name=url} with the URL's passwords masked. */
    public Description url(String name, String url) {
        return add(name, Redaction.url(url));
    }

    /** Adds a part already described, e.g. a nested settings' own {@code toString()}. */
    public Description part(String text) {
        parts.add(text);
        return this;
    }

    @Override
    public String toString() {
        return parts.toString();
    }
}
