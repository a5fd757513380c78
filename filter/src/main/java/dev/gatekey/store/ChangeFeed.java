package dev.gatekey.store;

import java.util.List;

/**
 * The database-backed feed of changes that affect validation (revocations, expiry and metadata
 * changes, consumer deletes, cache flushes). Each filter polls it and evicts what changed, so a
 * revocation reaches every node within about one poll interval.
 *
 * <p>Positions are increasing but not necessarily contiguous. Implementations are thread-safe.
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
}
