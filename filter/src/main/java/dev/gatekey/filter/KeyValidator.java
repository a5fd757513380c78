package dev.gatekey.filter;

import dev.gatekey.cache.KeyCache;
import dev.gatekey.format.ApiKeyFormat;
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
 * Steps 3 to 7 for one key (or, with {@code legacyKeys=accept}, one credential of another format: {@link LegacyKeys}),
 * without servlet I/O, in two halves so the filter can take the client's failed-attempt
 * token between them: {@link #screen} (format and bucket prefix, checksum, cache: no store access) and
 * {@link #lookUp} (the store, for a key the cache does not have). Dates are checked against the clock on every
 * call, so a key expires on time while cached.
 *
 * <p>The cached path allocates nothing for a key seen before: the key is read where it lies in the header value,
 * its checksum is computed in place, and the cache finds it by a keyed 128-bit tag of its text
 * ({@link KeyCache#recent}) rather than by its SHA-256, which is computed only when the cache has not seen the
 * text yet.
 */
final class KeyValidator {

    private static final Logger LOG = Logger.getLogger(KeyValidator.class.getName());

    private final ApiKeyFormat format;
    private final BucketPrefixes prefixes;
    private final KeyCache cache;
    private final Set<String> buckets;
    private final Clock clock;
    private final UnknownKeys unknownKeys;
    private final boolean legacyKeys;

    /** Asks the store about every key it has not cached. */
    KeyValidator(ApiKeyFormat format, BucketPrefixes prefixes, KeyCache cache, Set<String> buckets, Clock clock) {
        this(format, prefixes, cache, buckets, clock, null);
    }

    /** With {@code unknownKeys} (or {@code null}) deciding whether keys the node never heard of are looked up. */
    KeyValidator(ApiKeyFormat format, BucketPrefixes prefixes, KeyCache cache, Set<String> buckets, Clock clock,
            UnknownKeys unknownKeys) {
        this(format, prefixes, cache, buckets, clock, unknownKeys, false);
    }

    /** With {@code legacyKeys}: credentials not in Gatekey's format are screened as {@link LegacyKeys}. */
    KeyValidator(ApiKeyFormat format, BucketPrefixes prefixes, KeyCache cache, Set<String> buckets, Clock clock,
            UnknownKeys unknownKeys, boolean legacyKeys) {
        this.legacyKeys = legacyKeys;
        this.format = format;
        this.prefixes = prefixes;
        this.cache = cache;
        this.buckets = buckets;
        this.clock = clock;
        this.unknownKeys = unknownKeys;
    }

    /** Both halves in one call, for a key on its own. */
    Verdict validate(String key) {
        Verdict verdict = screen(key, 0, key.length());
        return verdict.needsLookup() ? lookUp(verdict.hash(), System.nanoTime()) : verdict;
    }

    /**
     * Steps 3 to 5 on the key {@code text[from, to)}: a verdict from its shape, its checksum or the cache, or
     * {@linkplain Verdict#needsLookup() a miss} carrying the key's hash for {@link #lookUp}.
     */
    Verdict screen(String text, int from, int to) {
        int screened = format.screen(text, from, to);
        if (screened == ApiKeyFormat.MALFORMED) {
            if (!legacyKeys || !LegacyKeys.isCandidate(text, from, to)) {
                return Verdict.MALFORMED;
            }
            KeyCache.Entry seen = cache.recent(text, from, to);
            return seen != null ? fromCache(seen) : byHash(text, from, to);
        }
        boolean checksumRight = screened >= 0;
        if (!prefixes.isAllowed(text, from, checksumRight ? screened : ~screened)) {
            // a bucket the store could not be asked about yet may be this key's: undecidable, not malformed
            return prefixes.isUndecided() && checksumRight ? Verdict.STORE_ERROR : Verdict.MALFORMED;
        }
        if (!checksumRight) {
            return Verdict.BAD_CHECKSUM; // before the cache: garbage costs the shape and checksum checks alone
        }
        // a key this node has answered before: found by its keyed tag, without its SHA-256 (see KeyCache#recent)
        KeyCache.Entry seen = cache.recent(text, from, to);
        return seen != null ? fromCache(seen) : byHash(text, from, to);
    }

    /**
     * Step 5 for a key this node has not answered by its text yet: the cache by the key's SHA-256 (remembering the
     * entry under the text's tag for the next request), or a miss carrying the hash.
     */
    private Verdict byHash(String text, int from, int to) {
        String hash = KeyHashes.sha256Hex(text, from, to);
        KeyCache.Entry cached = cache.cached(hash);
        if (cached == null) {
            return Verdict.miss(hash);
        }
        cache.remember(text, from, to, cached);
        return fromCache(cached);
    }

    /**
     * The verdict on a cached answer of the store; a valid one is kept with the entry and reused, without the date
     * checks, while the clock's millisecond is before the key's earliest expiry or revocation date.
     */
    private Verdict fromCache(KeyCache.Entry cached) {
        Object earlier = cached.derived();
        // the clock is read here, not for every request: garbage never pays for it
        if (earlier instanceof Verdict valid && valid.holdsAt(clock.millis())) {
            return valid;
        }
        Optional<StoredKey> key = cached.key();
        if (key.isEmpty()) {
            return Verdict.UNKNOWN;
        }
        Verdict verdict = verdict(key.get(), clock.instant(), earlier);
        if (verdict.isValid()) {
            cached.derive(verdict);
        }
        return verdict;
    }

    /**
     * Steps 5 to 7 for a key the cache did not have: unless the node has never heard of it (see
     * {@link UnknownKeys}), the store, then the verdict.
     *
     * @param arrivalNanos {@link System#nanoTime()} when the request arrived
     */
    Verdict lookUp(String hash, long arrivalNanos) {
        if (unknownKeys != null && !unknownKeys.shouldLookUp(hash, arrivalNanos)) {
            return Verdict.UNKNOWN;
        }
        Optional<StoredKey> found;
        try {
            found = cache.find(hash);
        } catch (KeyStoreException e) {
            LOG.log(Level.FINE, "Key store failed: {0}", e.getMessage());
            return Verdict.STORE_ERROR;
        }
        if (found.isEmpty()) {
            return Verdict.UNKNOWN;
        }
        if (unknownKeys != null) {
            unknownKeys.found(hash);
        }
        return verdict(found.get(), clock.instant());
    }

    Verdict verdict(StoredKey key, Instant now) {
        return verdict(key, now, null);
    }

    /**
     * Foreign and disabled keys come first: their holders must not learn whether they expired. A valid verdict
     * made earlier for the same cached key ({@code earlier}) is returned instead of a new one, principal included:
     * the cached path then allocates nothing for it.
     */
    private Verdict verdict(StoredKey key, Instant now, Object earlier) {
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
            return new Verdict(outcome, key);
        }
        if (earlier instanceof Verdict valid && valid.key() == key) {
            return valid;
        }
        return Verdict.valid(key);
    }
}
