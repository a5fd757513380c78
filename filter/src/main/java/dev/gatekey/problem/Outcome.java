package dev.gatekey.problem;

/**
 * How the filter decided one request. Every refusal is one of these; {@link ProblemResponses#write}
 * turns it into status, headers and body.
 *
 * <p>Only {@link #EXPIRED} and {@link #REVOKED} have their own {@code detail}: the key holder may learn
 * why, but a prober must not tell unknown keys from keys of another bucket or of a disabled consumer.
 */
public enum Outcome {

    /** A valid key: the request continues with a principal. */
    VALID(200, "valid", null),
    /** No key and anonymous requests are allowed: the request continues without a principal. */
    ANONYMOUS(200, "anonymous", null),
    /** No key and anonymous requests are not allowed. */
    MISSING(401, "missing", "An API key is required."),
    /** Not a key of this filter's buckets by its shape, or more than one key on the request. */
    MALFORMED(401, "malformed", Outcome.INVALID_DETAIL),
    /** Well formed but with a wrong checksum. */
    BAD_CHECKSUM(401, "bad_checksum", Outcome.INVALID_DETAIL),
    /** No such key in the store. */
    UNKNOWN(401, "unknown", Outcome.INVALID_DETAIL),
    /** The key belongs to a bucket this filter does not accept. */
    WRONG_BUCKET(401, "wrong_bucket", Outcome.INVALID_DETAIL),
    /** The key's consumer is disabled or deleted. */
    DISABLED(401, "disabled", Outcome.INVALID_DETAIL),
    /** The key has expired. */
    EXPIRED(401, "expired", "The API key has expired."),
    /** The key has been revoked. */
    REVOKED(401, "revoked", "The API key has been revoked."),
    /**
     * A credential that is not one of the filter's keys ({@code foreignCredentials=pass}), which no other
     * authentication on the route accepted either: refused once, at the end, as a failed attempt.
     */
    UNACCEPTED(401, "unaccepted", Outcome.INVALID_DETAIL),
    /** A valid key without every scope the filter's {@code requiredScopes} names. */
    INSUFFICIENT_SCOPE(403, "insufficient_scope", "The API key lacks a required scope."),
    /** A valid key used from an address its allowlist does not contain. */
    IP_DENIED(403, "ip_denied", "The API key may not be used from this address."),
    /** A valid key with no credits left for this request. */
    USAGE_EXCEEDED(429, "usage_exceeded", "The API key has no credits left."),
    /** Per-key limit, or per-IP limit of failed attempts, exceeded. */
    RATE_LIMITED(429, "rate_limited", "Too many requests; retry later."),
    /** The key store could not answer and no recent good entry could stand in. */
    STORE_ERROR(503, "store_error", "The API key could not be checked; retry later.");

    private static final String INVALID_DETAIL = "The API key is not valid.";

    private final int status;
    private final String tag;
    private final String detail;

    Outcome(int status, String tag, String detail) {
        this.status = status;
        this.tag = tag;
        this.detail = detail;
    }

    /** HTTP status of the response; 200 for outcomes that let the request through. */
    public int status() {
        return status;
    }

    /** Value of the {@code outcome} metric tag. */
    public String tag() {
        return tag;
    }

    /** The problem {@code detail}; {@code null} for outcomes that let the request through. */
    public String detail() {
        return detail;
    }

    /** True for a refused authentication attempt with a key, counted against the client IP. */
    public boolean isFailedAttempt() {
        return status == 401 && this != MISSING;
    }
}
