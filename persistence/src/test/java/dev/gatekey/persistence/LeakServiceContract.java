package dev.gatekey.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatekey.store.Change;
import dev.gatekey.store.KeyHashes;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;

/** {@link LeakService}: lookups by hash, leak records and their pages, on one database. */
abstract class LeakServiceContract extends DatabaseTestBase {

    private static final String SCANNER = "github-secret-scanning";

    private record Issued(Bucket bucket, Consumer consumer, ApiKey key) {
        String hash() {
            return KeyHashes.sha256Hex(key.key());
        }
    }

    private Issued issue() {
        Bucket bucket = newBucket(false);
        Consumer consumer = km.consumers().create(ACTOR, bucket.name(), NewConsumer.named(unique("user")), true);
        return new Issued(bucket, consumer, consumer.apiKeys().get(0));
    }

    private static LeakReport report(String url) {
        return new LeakReport("gatekey_key", url, "content");
    }

    private long auditCount(String action, String keyId) {
        return km.audit().list(1000, null).data().stream()
                .filter(e -> e.action().equals(action) && keyId.equals(e.targetId())).count();
    }

    private List<Change> changesAfter(long position) {
        return new JpaKeyStore(db.database).changesAfter(position, 1000);
    }

    private long position() {
        return new JpaKeyStore(db.database).latestPosition();
    }

    /** An active and a revoked key (of two buckets), looked up with an unknown hash and a repeated one. */
    private record Lookup(Issued active, Issued revoked, Map<String, KeyOwner> found) {
    }

    private Lookup lookUpActiveRevokedAndUnknown() {
        Issued active = issue();
        Issued revoked = issue();
        km.keys().revoke(ACTOR, revoked.bucket().name(), revoked.consumer().name(), revoked.key().id());
        String unknown = KeyHashes.sha256Hex("nobody_" + "0".repeat(40) + "_000000");
        return new Lookup(active, revoked,
                km.leaks().findKeysByHash(List.of(active.hash(), revoked.hash(), unknown, active.hash())));
    }

    @Test
    void findKeysByHashWhenSomeHashesUnknownThenOnlyTheKnownKeysOfAnyBucket() {
        Lookup lookup = lookUpActiveRevokedAndUnknown();
        assertThat(lookup.found()).containsOnlyKeys(lookup.active().hash(), lookup.revoked().hash());
    }

    @Test
    void findKeysByHashWhenKeyActiveThenItsOwnerAndActive() {
        Lookup lookup = lookUpActiveRevokedAndUnknown();
        Issued active = lookup.active();
        assertThat(lookup.found().get(active.hash())).isEqualTo(new KeyOwner(active.key().id(), active.bucket().name(),
                active.consumer().name(), true));
    }

    @Test
    void findKeysByHashWhenKeyRevokedThenInactive() {
        Lookup lookup = lookUpActiveRevokedAndUnknown();
        assertThat(lookup.found().get(lookup.revoked().hash()).active()).isFalse();
    }

    @Test
    void findKeysByHashWhenKeyExpiredThenInactive() {
        Issued expiring = issue();
        ApiKey key = km.keys().create(ACTOR, expiring.bucket().name(), expiring.consumer().name(), null,
                clock.instant().plus(Duration.ofMinutes(1)));
        clock.advance(Duration.ofMinutes(2));

        Map<String, KeyOwner> found = km.leaks().findKeysByHash(List.of(KeyHashes.sha256Hex(key.key())));

        assertThat(found.values()).extracting(KeyOwner::active).containsExactly(false);
    }

    @Test
    void findKeysByHashWhenConsumerDeletedThenInactive() {
        Issued deleted = issue();
        km.consumers().delete(ACTOR, deleted.bucket().name(), deleted.consumer().name());
        clock.advance(Duration.ofMinutes(2));

        Map<String, KeyOwner> found = km.leaks().findKeysByHash(List.of(deleted.hash()));

        assertThat(found.values()).extracting(KeyOwner::active).containsExactly(false);
    }

    @Test
    void findKeysByHashWhenBatchLargerThanAChunkThenFindsTheKey() {
        Issued issued = issue();
        List<String> hashes = new ArrayList<>();
        for (int i = 0; i < 1200; i++) {
            hashes.add(KeyHashes.sha256Hex("absent" + i));
        }
        hashes.add(issued.hash());

        assertThat(km.leaks().findKeysByHash(hashes)).containsOnlyKeys(issued.hash());
    }

    private Optional<Leak> notify(Issued issued) {
        return km.leaks().record(SCANNER, issued.hash(), report("https://github.com/o/r/blob/x/a.env"),
                LeakAction.NOTIFY);
    }

    @Test
    void recordLeakWhenNotifyThenLeakRecorded() {
        Issued issued = issue();

        Optional<Leak> leak = notify(issued);

        assertThat(leak).get().satisfies(l -> {
            assertThat(l.keyId()).isEqualTo(issued.key().id());
            assertThat(l.bucket()).isEqualTo(issued.bucket().name());
            assertThat(l.consumer()).isEqualTo(issued.consumer().name());
            assertThat(l.tokenType()).isEqualTo("gatekey_key");
            assertThat(l.url()).isEqualTo("https://github.com/o/r/blob/x/a.env");
            assertThat(l.source()).isEqualTo("content");
            assertThat(l.action()).isEqualTo("notify");
            assertThat(l.foundOn()).isEqualTo(clock.instant().truncatedTo(ChronoUnit.MICROS));
        });
    }

    @Test
    void recordLeakWhenNotifyThenTheKeyStaysActive() {
        Issued issued = issue();
        long before = position();

        notify(issued);

        assertThat(km.leaks().findKeysByHash(List.of(issued.hash())).get(issued.hash()).active()).isTrue();
        assertThat(changesAfter(before)).isEmpty();
    }

    @Test
    void recordLeakWhenNotifyThenAuditedWithoutKeyMaterial() {
        Issued issued = issue();

        notify(issued);

        assertThat(auditCount("key.leaked", issued.key().id())).isEqualTo(1);
        assertThat(km.audit().list(1, null).data().get(0).detail()).doesNotContain(issued.key().key())
                .contains("action=notify");
    }

    private Optional<Leak> revoke(Issued issued) {
        return km.leaks().record(SCANNER, issued.hash(), report("https://gist.github.com/x"), LeakAction.REVOKE);
    }

    @Test
    void recordLeakWhenRevokeThenTheKeyRevokedWithAChangeRow() {
        Issued issued = issue();
        long before = position();

        Optional<Leak> leak = revoke(issued);

        assertThat(leak).get().extracting(Leak::action).isEqualTo("revoke");
        assertThat(km.keys().get(issued.bucket().name(), issued.consumer().name(), issued.key().id(), KeyFormat.NONE)
                .revokedOn()).isNotNull();
        assertThat(changesAfter(before)).extracting(Change::keyHash).containsExactly(issued.hash());
    }

    @Test
    void recordLeakWhenRevokeThenLeakAndRevocationAudited() {
        Issued issued = issue();

        revoke(issued);

        assertThat(auditCount("key.leaked", issued.key().id())).isEqualTo(1);
        assertThat(auditCount("key.revoke", issued.key().id())).isEqualTo(1);
    }

    @Test
    void recordLeakWhenReplayedThenRecordedOnce() {
        Issued issued = issue();
        LeakReport report = report("https://github.com/o/r/commit/1");
        km.leaks().record(SCANNER, issued.hash(), report, LeakAction.NOTIFY);
        long leaks = db.count("gk_leak");

        assertThat(km.leaks().record(SCANNER, issued.hash(), report, LeakAction.NOTIFY)).isEmpty();

        assertThat(db.count("gk_leak")).isEqualTo(leaks);
        assertThat(auditCount("key.leaked", issued.key().id())).isEqualTo(1);
    }

    @Test
    void recordLeakWhenSameReportArrivesConcurrentlyThenOneRecordOneAuditOneRevocation() throws Exception {
        Issued issued = issue();
        LeakReport report = report("https://github.com/o/r/pull/7");
        int threads = 4;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<CompletableFuture<Optional<Leak>>> results = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                results.add(CompletableFuture.supplyAsync(() -> {
                    try {
                        start.await();
                    } catch (InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                    return km.leaks().record(SCANNER, issued.hash(), report, LeakAction.REVOKE);
                }, pool));
            }
            start.countDown();

            long recorded = 0;
            for (CompletableFuture<Optional<Leak>> result : results) {
                recorded += result.get().isPresent() ? 1 : 0;
            }
            assertThat(recorded).isEqualTo(1);
        } finally {
            pool.shutdownNow();
        }
        assertThat(km.leaks().list(1000, null).data()).filteredOn(l -> l.keyId().equals(issued.key().id())).hasSize(1);
        assertThat(auditCount("key.leaked", issued.key().id())).isEqualTo(1);
        assertThat(auditCount("key.revoke", issued.key().id())).isEqualTo(1);
    }

    @Test
    void recordLeakWhenSameKeyAtAnotherUrlThenANewRecord() {
        Issued issued = issue();
        km.leaks().record(SCANNER, issued.hash(), report("https://github.com/a"), LeakAction.NOTIFY);

        assertThat(km.leaks().record(SCANNER, issued.hash(), report("https://github.com/b"), LeakAction.NOTIFY))
                .isPresent();
    }

    @Test
    void recordLeakWhenSameKeyAndUrlFromAnotherSourceThenANewRecord() {
        Issued issued = issue();
        km.leaks().record(SCANNER, issued.hash(), report("https://github.com/b"), LeakAction.NOTIFY);

        assertThat(km.leaks().record(SCANNER, issued.hash(), new LeakReport("gatekey_key", "https://github.com/b",
                "commit"), LeakAction.NOTIFY)).isPresent();
    }

    @Test
    void recordLeakWhenReplayedAfterRevokeThenNothingMoreHappens() {
        Issued issued = issue();
        LeakReport report = report("https://github.com/o/r/issues/2");
        km.leaks().record(SCANNER, issued.hash(), report, LeakAction.REVOKE);
        long before = position();

        assertThat(km.leaks().record(SCANNER, issued.hash(), report, LeakAction.REVOKE)).isEmpty();

        assertThat(changesAfter(before)).isEmpty();
        assertThat(auditCount("key.revoke", issued.key().id())).isEqualTo(1);
    }

    @Test
    void recordLeakWhenKeyRevokedThenNothingRecorded() {
        Issued revoked = issue();
        km.keys().revoke(ACTOR, revoked.bucket().name(), revoked.consumer().name(), revoked.key().id());
        long leaks = db.count("gk_leak");

        assertThat(km.leaks().record(SCANNER, revoked.hash(), report("https://x"), LeakAction.REVOKE)).isEmpty();
        assertThat(db.count("gk_leak")).isEqualTo(leaks);
    }

    @Test
    void recordLeakWhenKeyUnknownThenNothingRecorded() {
        long leaks = db.count("gk_leak");

        assertThat(km.leaks().record(SCANNER, KeyHashes.sha256Hex("unknown"), report("https://x"), LeakAction.NOTIFY))
                .isEmpty();
        assertThat(db.count("gk_leak")).isEqualTo(leaks);
    }

    private static final String OVERLONG_URL = "https://github.com/" + "x".repeat(LeakService.MAX_LEAK_URL_LENGTH);

    @Test
    void recordLeakWhenUrlOverlongThenStoredCut() {
        Issued issued = issue();

        Leak first = km.leaks().record(SCANNER, issued.hash(), report(OVERLONG_URL + "1"), LeakAction.NOTIFY)
                .orElseThrow();

        assertThat(first.url()).hasSize(LeakService.MAX_LEAK_URL_LENGTH).endsWith("…");
    }

    @Test
    void recordLeakWhenOverlongUrlsDifferPastTheCutThenBothRecorded() {
        Issued issued = issue();
        km.leaks().record(SCANNER, issued.hash(), report(OVERLONG_URL + "1"), LeakAction.NOTIFY);

        assertThat(km.leaks().record(SCANNER, issued.hash(), report(OVERLONG_URL + "2"), LeakAction.NOTIFY))
                .isPresent();
    }

    @Test
    void listLeaksWhenPagedThenNewestFirstWithoutGapsOrDuplicates() {
        Issued issued = issue();
        List<Long> recorded = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            recorded.add(0, km.leaks().record(SCANNER, issued.hash(), report("https://github.com/page/" + i),
                    LeakAction.NOTIFY).orElseThrow().id());
        }

        List<Long> listed = new ArrayList<>();
        String cursor = null;
        do {
            Page<Leak> page = km.leaks().list(2, cursor);
            assertThat(page.data()).hasSizeLessThanOrEqualTo(2);
            page.data().forEach(l -> listed.add(l.id()));
            cursor = page.nextCursor();
        } while (cursor != null);

        assertThat(listed).containsSubsequence(recorded).doesNotHaveDuplicates();
        assertThat(listed).isSortedAccordingTo((a, b) -> Long.compare(b, a));
    }

    @Test
    void listLeaksWhenCursorIsGarbageThenInvalid() {
        assertThatThrownBy(() -> km.leaks().list(10, "garbage")).isInstanceOf(InvalidInputException.class);
    }

    @Test
    void listLeaksWhenLimitIsZeroThenInvalid() {
        assertThatThrownBy(() -> km.leaks().list(0, null)).isInstanceOf(InvalidInputException.class);
    }
}
