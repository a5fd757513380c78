package dev.gatekey.store;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Where the filter looks keys up when its cache misses.
 *
 * <p>Implementations are called concurrently from request threads and must be thread-safe. A key is
 * identified by the lowercase hex SHA-256 of its full text (see {@link KeyHashes#sha256Hex}); a store
 * never sees or keeps the key itself.
 *
 * <p>A store that cannot answer (database down, pool exhausted, timeout) throws
 * {@link KeyStoreException}: the filter then answers 503 and caches nothing. Returning
 * {@link Optional#empty()} means "this key does not exist" and is cached as a negative entry, so it
 * must never stand for a failure.
 */
public interface KeyStore {

    /**
     * Finds the key with this SHA-256 hash, whatever its state (revoked and expired keys are returned
     * too, so the filter can tell the holder why it was refused).
     *
     * @param sha256Hex lowercase hex SHA-256 of the full key, 64 characters
     * @return the key, or empty when no key has this hash
     * @throws KeyStoreException when the store cannot answer
     */
    Optional<StoredKey> findByHash(String sha256Hex);

    /**
     * The key prefix of a bucket, so the filter can reject keys of other buckets by their shape alone.
     * Prefixes never change once a bucket exists.
     *
     * @return the prefix, or empty when no bucket has this name
     * @throws KeyStoreException when the store cannot answer
     */
    Optional<String> findKeyPrefix(String bucket);

    /**
     * Records when keys were last used. Called off the request path, in batches.
     *
     * @param lastUsedByKeyId key id to the latest instant it was used; a stored value later than
     *     the given one is kept
     * @throws KeyStoreException when the store cannot write
     */
    void recordLastUsed(Map<String, Instant> lastUsedByKeyId);

    /**
     * Passes the hash of every key the store has, whatever its state, to {@code sink}, so that the filter can
     * refuse a key it has never heard of without asking the store: a flood of forged keys with valid CRC-32
     * checksums then stops before the database.
     *
     * <p>A store that lists its keys must also put every key it <em>creates</em> on its {@link ChangeFeed}, as a
     * {@link Change.Type#KEY} change written in the same transaction as the key: that is how the other nodes
     * learn of a new key. (A key whose creation the feed missed is still found, at the pace of the filter's
     * small budget of lookups for unheard-of keys.)
     *
     * @return true when every key was listed; false, the default, when this store does not list its keys: the
     *     filter then asks the store about every key it has not cached
     * @throws KeyStoreException when the store cannot answer
     */
    default boolean forEachKeyHash(Consumer<String> sink) {
        return false;
    }

    /**
     * Takes up to {@code want} credits of key {@code keyId}: refills first when a refill is due at {@code now}
     * (one conditional UPDATE: nodes racing for the same refill apply it once), then decrements the remaining credits
     * by what it grants, atomically, never below zero. What is granted is spent by the calling node; nothing else
     * sees it again.
     *
     * @return the lease; {@code granted} is 0 when no credits are left
     * @throws UnsupportedOperationException (the default) when this store keeps no credits
     * @throws KeyStoreException when the store cannot answer
     */
    default CreditLease leaseCredits(String keyId, long want, Instant now) {
        throw new UnsupportedOperationException(getClass().getName() + " keeps no credits");
    }

    /**
     * Gives back credits leased from {@code generation} and not spent (a node stopping); ignored when the credits
     * have since been set, adjusted or refilled (another generation).
     *
     * @throws KeyStoreException when the store cannot answer
     */
    default void returnCredits(String keyId, long amount, long generation) {
    }

    /**
     * Adds per-minute request counts to the stored totals: counts of the same key (or bucket), minute and outcome
     * reported by several nodes, or by one node several times, add up. Called off the request path, by the filter's
     * background thread, with batches of at most a few thousand counts; a batch is written whole or not at all, so
     * the filter can retry a failed one without counting twice.
     *
     * <p>Counts of keys the store does not know (deleted since) are dropped.
     *
     * @throws KeyStoreException when the store cannot write; nothing of the batch was written
     */
    default void recordUsage(List<UsageCount> counts) {
    }

    /**
     * Rolls closed minutes up into hours and closed hours into days, then deletes counts older than
     * {@code retention} allows (but never counts not rolled up yet). Safe to call from several nodes at once and
     * repeatedly: each period is rolled up exactly once. The filter calls it every few minutes, after a flush.
     *
     * @param now the current time (periods ending before it, less a grace period for late flushes, are closed)
     * @throws KeyStoreException when the store cannot write
     */
    default void rollUpUsage(Instant now, UsageRetention retention) {
    }
}
