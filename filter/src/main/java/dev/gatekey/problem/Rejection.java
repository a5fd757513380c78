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
 */
public record Rejection(Outcome outcome, boolean keyPresent, long retryAfterSeconds, long limit, long remaining,
        long resetSeconds) {

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
