package dev.gatekey.problem;

/**
 * A refusal ready to be written: the outcome plus what the response headers need.
 *
 * @param outcome why
 * @param keyPresent whether the request carried a key (adds {@code error="invalid_token"} to 401s)
 * @param retryAfterSeconds {@code Retry-After} in seconds, or -1 for none
 * @param limit {@code RateLimit-Limit}, or -1 when this is not a rate limit refusal
 * @param remaining {@code RateLimit-Remaining}
 * @param resetSeconds {@code RateLimit-Reset} in seconds
 * @param scope the space-separated scopes of an {@link Outcome#INSUFFICIENT_SCOPE} challenge, else {@code null}
 */
public record Rejection(Outcome outcome, boolean keyPresent, long retryAfterSeconds, long limit, long remaining,
        long resetSeconds, String scope) {

    /** A refusal without a scope challenge. */
    public Rejection(Outcome outcome, boolean keyPresent, long retryAfterSeconds, long limit, long remaining,
            long resetSeconds) {
        this(outcome, keyPresent, retryAfterSeconds, limit, remaining, resetSeconds, null);
    }

    /**
     * A 403 whose {@code WWW-Authenticate} names the scopes needed (RFC 6750 {@code insufficient_scope}).
     *
     * @param scope the required scopes, space separated (scope names need no quoting)
     */
    public static Rejection insufficientScope(String scope) {
        return new Rejection(Outcome.INSUFFICIENT_SCOPE, true, -1, -1, 0, 0, scope);
    }

    /** A 429 for a key without credits, with {@code Retry-After} when {@code retryAfterSeconds >= 0}. */
    public static Rejection usageExceeded(long retryAfterSeconds) {
        return new Rejection(Outcome.USAGE_EXCEEDED, true, retryAfterSeconds, -1, 0, 0);
    }

    /** A 401 or other refusal without timing headers. */
    public static Rejection of(Outcome outcome, boolean keyPresent) {
        return new Rejection(outcome, keyPresent, -1, -1, 0, 0);
    }

    /** A 503 with {@code Retry-After}. */
    public static Rejection retryAfter(Outcome outcome, long retryAfterSeconds) {
        return new Rejection(outcome, true, retryAfterSeconds, -1, 0, 0);
    }

    /** A 429 with {@code Retry-After} and the {@code RateLimit-*} headers. */
    public static Rejection rateLimited(long retryAfterSeconds, long limit, long remaining, long resetSeconds) {
        return new Rejection(Outcome.RATE_LIMITED, true, retryAfterSeconds, limit, remaining, resetSeconds);
    }
}
