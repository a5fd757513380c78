package dev.gatekey.principal;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/**
 * How Gatekey reads a name or value of a raw query string: URL-decoded as UTF-8, and kept as written when it is not
 * valid URL encoding. One reading for the filter, which finds the key's query parameter, and for
 * {@link AuthenticatedRequest}, which hides it, so that both always agree on which parameter that is. Public only
 * because the filter lives in another package; applications have no use for it.
 */
public final class QueryStrings {

    private QueryStrings() {
    }

    /** {@code component} URL-decoded as UTF-8, or {@code component} itself when it is malformed. */
    public static String decode(String component) {
        try {
            return URLDecoder.decode(component, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return component;
        }
    }
}
