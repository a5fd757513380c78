package dev.gatekey.filter;

import dev.gatekey.credits.CreditCheck;
import dev.gatekey.credits.CreditSpender;
import dev.gatekey.problem.Outcome;
import dev.gatekey.problem.Rejection;
import dev.gatekey.store.CreditPolicy;
import dev.gatekey.store.KeyStoreException;
import dev.gatekey.store.StoredKey;
import java.time.Clock;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The key-policy steps after the verdict: {@link #access} (the key's IP allowlist, then the filter's
 * {@code requiredScopes}; from the cached key, no store access) before the per-key rate limit, and {@link #spend}
 * (the key's credits, {@code creditCost} a request) after it, for requests that would otherwise be accepted. A key
 * without policies, behind a filter without {@code requiredScopes}, costs two field reads here.
 */
final class KeyPolicyGate {

    private static final Logger LOG = Logger.getLogger(KeyPolicyGate.class.getName());

    private final Set<String> requiredScopes;
    private final String challengeScope;
    private final long creditCost;
    private final CreditSpender credits;
    private final Clock clock;

    KeyPolicyGate(Set<String> requiredScopes, long creditCost, CreditSpender credits, Clock clock) {
        this.requiredScopes = Set.copyOf(requiredScopes);
        this.challengeScope = String.join(" ", requiredScopes);
        this.creditCost = creditCost;
        this.credits = credits;
        this.clock = clock;
    }

    /** The allowlist, then the required scopes: a refusal, or {@code null} to go on. */
    Rejection access(Verdict verdict, String remoteAddr) {
        if (verdict.allowlist() != null && !verdict.allowlist().allows(remoteAddr)) {
            LOG.log(Level.FINE, "Key {0} refused from an address outside its allowlist", verdict.key().keyId());
            return Rejection.of(Outcome.IP_DENIED, true);
        }
        if (!requiredScopes.isEmpty() && !verdict.key().policy().scopes().containsAll(requiredScopes)) {
            LOG.log(Level.FINE, "Key {0} lacks a required scope", verdict.key().keyId());
            return Rejection.insufficientScope(challengeScope);
        }
        return null;
    }

    /** Spends {@code creditCost} of a key with credits: a refusal (429, or 503 on a store failure), or {@code null}. */
    Rejection spend(StoredKey key) {
        CreditPolicy policy = key.policy().credits();
        if (policy == null || creditCost == 0) {
            return null;
        }
        CreditCheck check;
        try {
            check = credits.spend(key.keyId(), policy, creditCost);
        } catch (KeyStoreException | UnsupportedOperationException e) {
            LOG.log(Level.FINE, "Credits of key {0} could not be leased: {1}", new Object[] {key.keyId(),
                e.getMessage()});
            return Rejection.retryAfter(Outcome.STORE_ERROR, ApiKeyFilter.STORE_ERROR_RETRY_AFTER_SECONDS);
        }
        if (check.spent()) {
            return null;
        }
        LOG.log(Level.FINE, "Key {0} has no credits left", key.keyId());
        return Rejection.usageExceeded(check.retryAfterSeconds(clock));
    }
}
