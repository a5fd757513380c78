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

    /**
     * What the request carries: for {@link Kind#ONE}, the key is {@code text[from, to)} (a header value read in
     * place, so the request path makes no substring of it).
     */
    record Credential(Kind kind, String text, int from, int to) {
        static final Credential NONE = new Credential(Kind.NONE, null, 0, 0);
        static final Credential AMBIGUOUS = new Credential(Kind.AMBIGUOUS, null, 0, 0);

        /** The key as a string of its own, or {@code null}. */
        String key() {
            return text == null ? null : text.substring(from, to);
        }
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
        String value = null;
        int count = 0;
        Enumeration<String> values = request.getHeaders(header);
        while (values != null && values.hasMoreElements()) {
            String candidate = values.nextElement();
            if (keyStart(candidate) >= 0) {
                value = candidate;
                count++;
            }
        }
        Credential found = null;
        if (value != null) {
            int start = keyStart(value);
            int end = value.length();
            while (end > start && value.charAt(end - 1) <= ' ') {
                end--;
            }
            found = new Credential(Kind.ONE, value, start, end);
        }
        if (queryParam != null) {
            String query = request.getQueryString();
            if (query != null) {
                for (String pair : query.split("&")) {
                    int eq = pair.indexOf('=');
                    String name = decode(eq < 0 ? pair : pair.substring(0, eq));
                    if (queryParam.equals(name)) {
                        String key = eq < 0 ? "" : decode(pair.substring(eq + 1));
                        found = new Credential(Kind.ONE, key, 0, key.length());
                        count++;
                    }
                }
            }
        }
        if (count == 0) {
            return Credential.NONE;
        }
        return count == 1 ? found : Credential.AMBIGUOUS;
    }

    /**
     * Where the key starts in a header value, leading blanks skipped (as {@link String#trim()} does), or -1 when
     * the value uses another scheme.
     */
    private int keyStart(String value) {
        int start;
        if (scheme.isEmpty()) {
            start = 0;
        } else {
            int length = scheme.length();
            if (value.length() < length || !value.regionMatches(true, 0, scheme, 0, length)) {
                return -1;
            }
            if (value.length() == length) {
                return length;
            }
            if (value.charAt(length) != ' ') {
                return -1;
            }
            start = length + 1;
        }
        while (start < value.length() && value.charAt(start) <= ' ') {
            start++;
        }
        return start;
    }

    private static String decode(String s) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return s;
        }
    }
}
