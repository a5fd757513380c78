package dev.gatekey.store;

import java.time.Instant;
import java.util.List;

/**
 * The database-backed feed of changes that affect validation (key creations, revocations, expiry and
 * metadata changes, consumer deletes, cache flushes). Each filter polls it and evicts what changed, so a
 * revocation reaches every node within about one poll interval, and learns of new keys (see
 * {@link KeyStore#forEachKeyHash}).
 *
 * <p>Positions grow with each change but need not be contiguous, nor become visible in order: a
 * transaction that took position 7 may commit after the one that took 8. Pollers therefore watch the
 * holes they skip for a while (see the filter's poller). Implementations are thread-safe.
 */
public interface ChangeFeed {

    /**
     * The position of the newest change, or 0 when the feed is empty. A poller starts here: changes
     * older than its start cannot concern entries it has not cached yet.
     *
     * @throws KeyStoreException when the feed cannot be read
     */
    long latestPosition();

    /**
     * Changes strictly after {@code position}, oldest first, at most {@code limit} of them.
     *
     * @throws KeyStoreException when the feed cannot be read
     */
    List<Change> changesAfter(long position, int limit);

    /**
     * Deletes changes written before {@code cutoff}. Every poller calls it now and then with a cutoff far
     * older than any cache entry can be, so concurrent calls from many nodes are harmless. The default
     * keeps everything.
     *
     * @return the number of changes deleted
     * @throws KeyStoreException when the feed cannot be written
     */
    default int pruneBefore(Instant cutoff) {
        return 0;
    }
}
