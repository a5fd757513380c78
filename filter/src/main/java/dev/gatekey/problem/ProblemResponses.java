package dev.gatekey.problem;

import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * The one place a refusal becomes an HTTP response: status, {@code WWW-Authenticate} (RFC 6750),
 * {@code Retry-After}, {@code RateLimit-*}, {@code Cache-Control: no-store} and an
 * {@code application/problem+json} body (RFC 9457). The body never carries anything from the request.
 */
public final class ProblemResponses {

    /** Media type of every failure body. */
    public static final String PROBLEM_JSON = "application/problem+json";

    private static final String TYPE = "about:blank";

    private ProblemResponses() {
    }

    /**
     * Writes the refusal and commits the response.
     *
     * @param realm realm of the {@code WWW-Authenticate} challenge; validated at start-up to need no escaping
     */
    public static void write(HttpServletResponse response, Rejection rejection, String realm) throws IOException {
        write(response, rejection, realm, null);
    }

    /**
     * Writes the refusal and commits the response; a request without a key is also told how to send one.
     *
     * @param realm realm of the {@code WWW-Authenticate} challenge; validated at start-up to need no escaping
     * @param expected how the filter reads keys, e.g. {@code Authorization: Bearer <key>}, or null
     */
    public static void write(HttpServletResponse response, Rejection rejection, String realm, String expected)
            throws IOException {
        write(response, rejection, List.of("Bearer realm=\"" + realm + "\""), realm, expected);
    }

    /**
     * Writes the refusal with one {@code WWW-Authenticate} challenge per entry of {@code challenges} on a 401 (each
     * given {@code error="invalid_token"} when the request carried a credential): a route that accepts more than one
     * scheme names them all (RFC 9110, section 11.6.1).
     *
     * @param challenges challenges without error, e.g. {@code Bearer realm="api"}; from the configuration, never from
     *     the request
     * @param realm realm of a 403 {@code insufficient_scope} challenge
     * @param expected how keys are read, for the detail of a request without one, or null
     */
    public static void write(HttpServletResponse response, Rejection rejection, List<String> challenges,
            String realm, String expected) throws IOException {
        Outcome outcome = rejection.outcome();
        response.resetBuffer();
        response.setStatus(outcome.status());
        response.setHeader("Cache-Control", "no-store");
        if (outcome.status() == 401) {
            for (String challenge : challenges) {
                response.addHeader("WWW-Authenticate",
                        rejection.keyPresent() ? challenge + ", error=\"invalid_token\"" : challenge);
            }
        } else if (outcome == Outcome.INSUFFICIENT_SCOPE) {
            response.setHeader("WWW-Authenticate", "Bearer realm=\"" + realm + "\", error=\"insufficient_scope\""
                    + (rejection.scope() == null ? "" : ", scope=\"" + rejection.scope() + "\""));
        }
        if (rejection.retryAfterSeconds() >= 0) {
            response.setHeader("Retry-After", Long.toString(rejection.retryAfterSeconds()));
        }
        if (rejection.limit() >= 0) {
            response.setHeader("RateLimit-Limit", Long.toString(rejection.limit()));
            response.setHeader("RateLimit-Remaining", Long.toString(rejection.remaining()));
            response.setHeader("RateLimit-Reset", Long.toString(rejection.resetSeconds()));
        }
        writeBody(response, body(outcome, expected).getBytes(StandardCharsets.UTF_8), true);
        response.flushBuffer();
    }

    /**
     * Writes a problem whose body the caller has serialized (an RFC 9457 object, e.g. with field errors) with
     * {@code Cache-Control: no-store} and the given headers, replacing anything buffered; the response is not
     * flushed. For callers outside the filter, e.g. the admin API.
     */
    public static void write(HttpServletResponse response, int status, Map<String, String> headers, byte[] body)
            throws IOException {
        response.resetBuffer();
        response.setStatus(status);
        response.setHeader("Cache-Control", "no-store");
        headers.forEach(response::setHeader);
        writeBody(response, body, true);
    }

    /** The body as {@value #PROBLEM_JSON} in UTF-8, with its length; {@code send} false (a HEAD request) omits it. */
    static void writeBody(HttpServletResponse response, byte[] body, boolean send) throws IOException {
        response.setContentType(PROBLEM_JSON);
        response.setCharacterEncoding("UTF-8");
        response.setContentLength(body.length);
        if (send) {
            response.getOutputStream().write(body);
        }
    }

    /** Only constant strings go in, so they need no JSON escaping beyond what they are written with. */
    static String body(Outcome outcome) {
        return body(outcome, null);
    }

    /**
     * {@code expected} comes from the configuration (a header name and scheme, validated as HTTP tokens at
     * start-up), never from the request; it is escaped all the same.
     */
    static String body(Outcome outcome, String expected) {
        String detail = outcome.detail();
        if (outcome == Outcome.MISSING && expected != null) {
            // a raw key without "Bearer " lands here too: say what the filter reads
            detail += " Send it as " + expected.replace("\\", "\\\\").replace("\"", "\\\"") + ".";
        }
        return "{\"type\":\"" + TYPE + "\",\"title\":\"" + title(outcome.status()) + "\",\"status\":"
                + outcome.status() + ",\"detail\":\"" + detail + "\"}";
    }

    /** The problem {@code title} of an HTTP status: its reason phrase (RFC 9110), the same wherever Gatekey answers. */
    public static String title(int status) {
        return switch (status) {
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 408 -> "Request Timeout";
            case 409 -> "Conflict";
            case 413 -> "Content Too Large";
            case 414 -> "URI Too Long";
            case 415 -> "Unsupported Media Type";
            case 429 -> "Too Many Requests";
            case 501 -> "Not Implemented";
            case 503 -> "Service Unavailable";
            default -> status >= 500 ? "Internal Server Error" : "Error";
        };
    }
}
