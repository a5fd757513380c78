package dev.gatekey.filter;

import dev.gatekey.principal.QueryStrings;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Enumeration;

/**
 * Step 1: finds the key on the request. The query parameter is read from the raw query string, so a
 * form body is never consumed on the application's behalf.
 */
final class CredentialExtractor {

    /**
     * What {@link #extract} answers for a request with more than one key; compared by identity, so no header value
     * can be mistaken for it.
     */
    @SuppressWarnings("StringOperationCanBeSimplified")
    static final String AMBIGUOUS = new String("more than one key");

    private final String header;
    private final String scheme;
    private final String queryParam;

    CredentialExtractor(String header, String scheme, String queryParam) {
        this.header = header;
        this.scheme = scheme;
        this.queryParam = queryParam;
    }

    /**
     * The request's credential text: {@code null} when it carries no key, {@link #AMBIGUOUS} when it carries more
     * than one, else a text whose key is {@code text[keyStart(text), keyEnd(text))}. For a key in a header that text
     * is the header value itself, so the request path makes no substring of it (and no object to carry offsets).
     * A key in the query parameter is given the same shape, surrounding blanks ignored as in a header.
     */
    String extract(HttpServletRequest request) {
        String found = null;
        int count = 0;
        Enumeration<String> values = request.getHeaders(header);
        while (values != null && values.hasMoreElements()) {
            String candidate = values.nextElement();
            if (keyStart(candidate) >= 0) {
                found = candidate;
                count++;
            }
        }
        if (queryParam != null) {
            String query = request.getQueryString();
            if (query != null) {
                for (String pair : query.split("&")) {
                    int eq = pair.indexOf('=');
                    String name = QueryStrings.decode(eq < 0 ? pair : pair.substring(0, eq));
                    if (queryParam.equals(name)) {
                        String key = eq < 0 ? "" : QueryStrings.decode(pair.substring(eq + 1));
                        found = scheme.isEmpty() ? key : scheme + " " + key;
                        count++;
                    }
                }
            }
        }
        if (count == 0) {
            return null;
        }
        return count == 1 ? found : AMBIGUOUS;
    }

    /**
     * Where the key that starts at {@code start} ({@link #keyStart}) ends in a text from {@link #extract}: trailing
     * blanks skipped.
     */
    int keyEnd(String text, int start) {
        int end = text.length();
        while (end > start && text.charAt(end - 1) <= ' ') {
            end--;
        }
        return end;
    }

    /**
     * Where the key starts in a header value (or a text from {@link #extract}), leading blanks skipped (as
     * {@link String#trim()} does), or -1 when the value uses another scheme.
     */
    int keyStart(String value) {
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
}
