package dev.gatekey.admin.http;

import dev.gatekey.persistence.ConflictException;
import dev.gatekey.persistence.DatabaseUnavailableException;
import dev.gatekey.persistence.FieldError;
import dev.gatekey.persistence.GatekeyException;
import dev.gatekey.persistence.InvalidInputException;
import dev.gatekey.persistence.MasterKeyException;
import dev.gatekey.persistence.NotFoundException;
import dev.gatekey.persistence.PayloadTooLargeException;
import dev.gatekey.problem.ProblemResponses;
import dev.gatekey.store.KeyStoreException;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An RFC 9457 problem of the admin WAR; {@code errors} only for 400. {@link #of} is the one place an exception
 * becomes a status (for the admin API, the sign-in and the leak webhook); {@link #writeTo} writes it through
 * the filter's {@link ProblemResponses}.
 */
public record Problem(int status, String detail, List<FieldError> errors, Map<String, String> headers) {

    /** Seconds a client should wait after a 503. */
    public static final long RETRY_AFTER_SECONDS = 5;

    /** The problem object: {@code type}, {@code title}, {@code status}, {@code detail} and maybe {@code errors}. */
    public Map<String, Object> body() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", "about:blank");
        body.put("title", ProblemResponses.title(status));
        body.put("status", status);
        body.put("detail", detail);
        if (errors != null) {
            body.put("errors", errors);
        }
        return body;
    }

    /** Writes this problem as {@code application/problem+json}, unless the response is already committed. */
    public void writeTo(HttpServletResponse response) throws IOException {
        if (response.isCommitted()) {
            return;
        }
        ProblemResponses.write(response, status, headers, Json.mapper().writeValueAsBytes(body()));
    }

    /**
     * The problem of a failure: typed errors map to 400 (with field errors), 404, 409, 413; database failures to
     * 503 with {@code Retry-After}; anything else to 500. Messages of typed errors carry no key material; no
     * stack trace or SQL reaches a response.
     */
    public static Problem of(Throwable e) {
        if (e instanceof HttpProblem p) {
            return new Problem(p.status(), p.getMessage(), null, p.headers());
        }
        if (e instanceof InvalidInputException invalid) {
            return new Problem(400, "the request is invalid", invalid.errors(), Map.of());
        }
        if (e instanceof NotFoundException) {
            return new Problem(404, e.getMessage(), null, Map.of());
        }
        if (e instanceof ConflictException) {
            return new Problem(409, e.getMessage(), null, Map.of());
        }
        if (e instanceof PayloadTooLargeException) {
            return new Problem(413, e.getMessage(), null, Map.of());
        }
        if (e instanceof MasterKeyException) {
            return new Problem(500, "a stored key cannot be decrypted with the configured master keys", null, Map.of());
        }
        if (isDatabaseFailure(e)) {
            return new Problem(503, "the database is unavailable, try again later", null,
                    Map.of("Retry-After", Long.toString(RETRY_AFTER_SECONDS)));
        }
        if (e instanceof GatekeyException) {
            return new Problem(400, e.getMessage(), null, Map.of());
        }
        return new Problem(500, "internal error", null, Map.of());
    }

    private static boolean isDatabaseFailure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof DatabaseUnavailableException || t instanceof KeyStoreException) {
                return true;
            }
        }
        return false;
    }
}
