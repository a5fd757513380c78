package dev.gatekey.filter;

import jakarta.servlet.http.HttpServletRequest;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Enumeration;

/**
 * Step 1: finds the key on the request. The query parameter is read from the raw query string, so a
 * form body is never consumed on the application's behalf.
 */
final class CredentialExtractor {

    /** What the request carries. */
    record Credential(Kind kind, String key) {
        static final Credential NONE = new Credential(Kind.NONE, null);
        static final Credential AMBIGUOUS = new Credential(Kind.AMBIGUOUS, null);
    }

    enum Kind {
        NONE, ONE, AMBIGUOUS
    }

    private final String header;
    private final String scheme;
    private final String queryParam;

    CredentialExtractor(String header, String scheme, String queryParam) {
        this.header = header;
        this.scheme = scheme;
        this.queryParam = queryParam;
    }

    Credential extract(HttpServletRequest request) {
        String found = null;
        int count = 0;
        Enumeration<String> values = request.getHeaders(header);
        while (values != null && values.hasMoreElements()) {
            String key = fromHeader(values.nextElement());
            if (key != null) {
                found = key;
                count++;
            }
        }
        if (queryParam != null) {
            String query = request.getQueryString();
            if (query != null) {
                for (String pair : query.split("&")) {
                    int eq = pair.indexOf('=');
                    String name = decode(eq < 0 ? pair : pair.substring(0, eq));
                    if (queryParam.equals(name)) {
                        found = eq < 0 ? "" : decode(pair.substring(eq + 1));
                        count++;
                    }
                }
            }
        }
        if (count == 0) {
            return Credential.NONE;
        }
        return count == 1 ? new Credential(Kind.ONE, found) : Credential.AMBIGUOUS;
    }

    /** The key in a header value, or {@code null} when the value uses another scheme. */
    private String fromHeader(String value) {
        if (scheme.isEmpty()) {
            return value.trim();
        }
        int length = scheme.length();
        if (value.length() < length || !value.regionMatches(true, 0, scheme, 0, length)) {
            return null;
        }
        if (value.length() == length) {
            return "";
        }
        if (value.charAt(length) != ' ') {
            return null;
        }
        return value.substring(length + 1).trim();
    }

    private static String decode(String s) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return s;
        }
    }
}
