package dev.gatekey.filter;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatekey.cache.KeyCache;
import dev.gatekey.metrics.GatekeyMetrics;
import dev.gatekey.store.Change;
import dev.gatekey.store.ChangeFeed;
import dev.gatekey.store.KeyHashes;
import dev.gatekey.testing.InMemoryKeyStore;
import dev.gatekey.testing.TestTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Positions that become visible out of order, as they do when transactions commit out of order. */
class ChangeFeedPollerGapTest {

    private final InMemoryKeyStore store = new InMemoryKeyStore();
    private final TestTime time = new TestTime();
    private final KeyCache cache = new KeyCache(store, Duration.ofSeconds(60), 100, Duration.ofSeconds(300), time,
            GatekeyMetrics.noop());
    private final ScriptedFeed feed = new ScriptedFeed();
    private final ChangeFeedPoller poller = new ChangeFeedPoller(feed, cache, GatekeyMetrics.noop(), time);

    @Test
    void pollOnceWhenSkippedPositionCommitsLaterThenItsKeyIsEvicted() {
        String slow = store.addKey("alice");
        poller.pollOnce();
        feed.commit(2, KeyHashes.sha256Hex(store.addKey("bob")));
        poller.pollOnce();
        cache.find(KeyHashes.sha256Hex(slow));
        assertThat(poller.watchedGaps()).containsOnlyKeys(1L);

        feed.commit(1, KeyHashes.sha256Hex(slow));
        poller.pollOnce();
        cache.find(KeyHashes.sha256Hex(slow));

        assertThat(store.findCalls).hasValue(2);
        assertThat(poller.watchedGaps()).isEmpty();
    }

    @Test
    void pollOnceWhenSkippedPositionNeverCommitsThenForgottenAfterTheWatch() {
        poller.pollOnce();
        feed.commit(3, KeyHashes.sha256Hex(store.addKey("bob")));
        poller.pollOnce();
        assertThat(poller.watchedGaps()).containsOnlyKeys(1L, 2L);

        time.advance(ChangeFeedPoller.GAP_WATCH);
        poller.pollOnce();

        assertThat(poller.watchedGaps()).isEmpty();
        assertThat(feed.lastFrom).isEqualTo(3);
    }

    @Test
    void pollOnceWhenPositionAlreadyAppliedThenNotAppliedTwice() {
        String key = store.addKey("alice");
        poller.pollOnce();
        feed.commit(2, KeyHashes.sha256Hex(key));
        poller.pollOnce();
        cache.find(KeyHashes.sha256Hex(key));

        poller.pollOnce();
        cache.find(KeyHashes.sha256Hex(key));

        assertThat(store.findCalls).hasValue(1);
    }

    @Test
    void pollOnceWhenFeedJumpsFarThenTheJumpIsNotWatched() {
        poller.pollOnce();
        feed.commit(ChangeFeedPoller.MAX_GAPS + 10L, KeyHashes.sha256Hex(store.addKey("bob")));

        poller.pollOnce();

        assertThat(poller.watchedGaps()).isEmpty();
    }

    @Test
    void pollOnceWhenAnHourPassedThenChangesOlderThanRetentionArePruned() {
        poller.pollOnce();
        assertThat(feed.prunedBefore).isEmpty();

        time.advance(ChangeFeedPoller.PRUNE_INTERVAL);
        poller.pollOnce();
        poller.pollOnce();

        assertThat(feed.prunedBefore).containsExactly(time.instant().minus(ChangeFeedPoller.RETENTION));
    }

    /** A feed whose rows appear when the test commits them, in any order. */
    private static final class ScriptedFeed implements ChangeFeed {
        private final List<Change> committed = new ArrayList<>();
        private final List<Instant> prunedBefore = new ArrayList<>();
        private long lastFrom = -1;

        void commit(long position, String keyHash) {
            committed.add(new Change(position, Change.Type.KEY, keyHash, Instant.EPOCH));
        }

        @Override
        public long latestPosition() {
            return committed.stream().mapToLong(Change::position).max().orElse(0);
        }

        @Override
        public List<Change> changesAfter(long position, int limit) {
            lastFrom = position;
            return committed.stream().filter(c -> c.position() > position)
                    .sorted(Comparator.comparingLong(Change::position)).limit(limit).toList();
        }

        @Override
        public int pruneBefore(Instant cutoff) {
            prunedBefore.add(cutoff);
            return 0;
        }
    }
}
