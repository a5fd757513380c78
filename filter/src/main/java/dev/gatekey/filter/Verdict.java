package dev.gatekey.filter;

import dev.gatekey.policy.IpAllowlist;
import dev.gatekey.principal.ApiKeyPrincipal;
import dev.gatekey.problem.Outcome;
import dev.gatekey.ratelimit.RateLimit;
import dev.gatekey.ratelimit.RateLimiters;
import dev.gatekey.store.StoredKey;
import java.time.Instant;

/**
 * What validation concluded: {@link Outcome#VALID} with the key, or a refusal; or, between the two halves of
 * {@link KeyValidator}, a cache miss that still {@linkplain #needsLookup() needs the store} (its outcome is then
 * {@link Outcome#UNKNOWN}, should anyone read it).
 *
 * @param hash the key's hash when the store must still be asked, else {@code null}
 * @param principal the principal of a valid key, made once per cached key, else {@code null}
 * @param allowlist the allowlist of a valid key that has one, parsed once per cached key, else {@code null}
 * @param admitted what {@link KeyAuthentication#authenticate} answers for a valid key that passes its policies, made
 *     once per cached key (the cached path allocates no result), else {@code null}
 * @param validBeforeMillis for a valid key, an epoch millisecond before which it is still valid (the floor of its
 *     earliest expiry or revocation date; {@link Long#MAX_VALUE} without one): a cached verdict is reused while the
 *     clock reads earlier, without the date checks
 * @param rateLimit for a valid key, its consumer's {@value RateLimiters#METADATA_RATE_LIMIT}, parsed once per cached
 *     key; {@code null} for the filter's default (and for other verdicts)
 */
record Verdict(Outcome outcome, StoredKey key, String hash, ApiKeyPrincipal principal, IpAllowlist allowlist,
        KeyAuthentication.Result admitted, long validBeforeMillis, RateLimit rateLimit) {

    static final Verdict MALFORMED = new Verdict(Outcome.MALFORMED, null);
    static final Verdict BAD_CHECKSUM = new Verdict(Outcome.BAD_CHECKSUM, null);
    static final Verdict UNKNOWN = new Verdict(Outcome.UNKNOWN, null);
    static final Verdict STORE_ERROR = new Verdict(Outcome.STORE_ERROR, null);

    Verdict(Outcome outcome, StoredKey key) {
        this(outcome, key, null, null, null, null, 0, null);
    }

    static Verdict valid(StoredKey key) {
        // the common key has no allowlist: the parser stays off the path the JIT compiles for it; a stored list
        // with an invalid entry (never written by the admin API) allows no address
        ApiKeyPrincipal principal = ApiKeyPrincipal.of(key);
        return new Verdict(Outcome.VALID, key, null, principal,
                key.policy().allowedIps().isEmpty() ? null : IpAllowlist.ofStored(key.policy().allowedIps()),
                new KeyAuthentication.Result(KeyAuthentication.Status.AUTHENTICATED, principal),
                Math.min(floorMillis(key.expiresOn()), floorMillis(key.revokedOn())),
                RateLimiters.consumerLimit(key.keyId(), key.metadata().get(RateLimiters.METADATA_RATE_LIMIT)));
    }

    /** {@code at} in epoch milliseconds, rounded down; {@link Long#MAX_VALUE} for {@code null}, clamped to a long. */
    private static long floorMillis(Instant at) {
        if (at == null || at.getEpochSecond() >= Long.MAX_VALUE / 1000 - 1) {
            return Long.MAX_VALUE;
        }
        if (at.getEpochSecond() <= Long.MIN_VALUE / 1000 + 1) {
            return Long.MIN_VALUE;
        }
        return at.getEpochSecond() * 1000 + at.getNano() / 1_000_000; // the nanos are never negative: a floor
    }

    static Verdict miss(String hash) {
        return new Verdict(Outcome.UNKNOWN, null, hash, null, null, null, 0, null);
    }

    boolean isValid() {
        return outcome == Outcome.VALID;
    }

    /** True for a valid verdict that still holds at {@code nowMillis} (see {@code validBeforeMillis}). */
    boolean holdsAt(long nowMillis) {
        return nowMillis < validBeforeMillis;
    }

    /** True for a cache miss: {@link KeyValidator#lookUp} decides. */
    boolean needsLookup() {
        return hash != null;
    }
}
