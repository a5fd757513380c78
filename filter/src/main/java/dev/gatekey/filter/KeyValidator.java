package dev.gatekey.filter;

import dev.gatekey.cache.KeyCache;
import dev.gatekey.format.ApiKeyFormat;
import dev.gatekey.format.ParsedKey;
import dev.gatekey.problem.Outcome;
import dev.gatekey.store.KeyHashes;
import dev.gatekey.store.KeyStoreException;
import dev.gatekey.store.StoredKey;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Steps 3 to 7 for one key, without servlet I/O: format and bucket prefix, checksum (neither touches
 * cache or store), cache or store, verdict. Dates are checked against the clock on every call, so a key
 * expires on time while cached.
 */
final class KeyValidator {

    private static final Logger LOG = Logger.getLogger(KeyValidator.class.getName());

    private final ApiKeyFormat format;
    private final BucketPrefixes prefixes;
    private final KeyCache cache;
    private final Set<String> buckets;
    private final Clock clock;

    KeyValidator(ApiKeyFormat format, BucketPrefixes prefixes, KeyCache cache, Set<String> buckets, Clock clock) {
        this.format = format;
        this.prefixes = prefixes;
        this.cache = cache;
        this.buckets = buckets;
        this.clock = clock;
    }

    Verdict validate(String key) {
        Optional<ParsedKey> parsed = format.parse(key);
        if (parsed.isEmpty()) {
            return Verdict.MALFORMED;
        }
        if (!prefixes.isAllowed(parsed.get().prefix())) {
            // a bucket the store could not be asked about yet may be this key's: undecidable, not malformed
            return prefixes.isUndecided() && format.hasValidChecksum(parsed.get()) ? Verdict.STORE_ERROR
                    : Verdict.MALFORMED;
        }
        if (!format.hasValidChecksum(parsed.get())) {
            return Verdict.BAD_CHECKSUM;
        }
        Optional<StoredKey> found;
        try {
            found = cache.find(KeyHashes.sha256Hex(key));
        } catch (KeyStoreException e) {
            LOG.log(Level.FINE, "Key store failed", e);
            return Verdict.STORE_ERROR;
        }
        if (found.isEmpty()) {
            return Verdict.UNKNOWN;
        }
        return verdict(found.get(), clock.instant());
    }

    /** Foreign and disabled keys come first: their holders must not learn whether they expired. */
    Verdict verdict(StoredKey key, Instant now) {
        Outcome outcome;
        if (!buckets.contains(key.bucket())) {
            outcome = Outcome.WRONG_BUCKET;
        } else if (!key.consumerEnabled()) {
            outcome = Outcome.DISABLED;
        } else if (key.isRevokedAt(now)) {
            outcome = Outcome.REVOKED;
        } else if (key.isExpiredAt(now)) {
            outcome = Outcome.EXPIRED;
        } else {
            outcome = Outcome.VALID;
        }
        if (outcome != Outcome.VALID) {
            LOG.log(Level.FINE, "Key {0} refused: {1}", new Object[] {key.keyId(), outcome.tag()});
        }
        return new Verdict(outcome, key);
    }
}
