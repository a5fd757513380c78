package dev.gatekey.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatekey.persistence.KeyOwner;
import dev.gatekey.persistence.LeakAction;
import dev.gatekey.persistence.LeakReport;
import dev.gatekey.persistence.NewConsumer;
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

/** Leak lookups and records of {@link KeyManagement} on one database. */
abstract class LeakContract extends DatabaseTestBase {

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

    @Test
    void migrationVersion2CreatesTheLeakTable() {
        assertThat(db.strings("SELECT \"version\" FROM \"gk_schema_history\" WHERE \"success\" = TRUE"))
                .contains("2");
        assertThat(db.count("gk_leak")).isGreaterThanOrEqualTo(0);
    }

    @Test
    void findKeysByHashFindsKeysOfAnyBucketAndTellsWhetherTheyAreActive() {
        Issued active = issue();
        Issued revoked = issue();
        km.keys().revoke(ACTOR, revoked.bucket().name(), revoked.consumer().name(), revoked.key().id());
        String unknown = KeyHashes.sha256Hex("nobody_" + "0".repeat(40) + "_000000");

        Map<String, KeyOwner> found = km.leaks().findKeysByHash(List.of(active.hash(), revoked.hash(), unknown, active.hash()));

        assertThat(found).containsOnlyKeys(active.hash(), revoked.hash());
        assertThat(found.get(active.hash())).isEqualTo(new KeyOwner(active.key().id(), active.bucket().name(),
                active.consumer().name(), true));
        assertThat(found.get(revoked.hash()).active()).isFalse();
    }

    @Test
    void findKeysByHashWhenKeyExpiredOrConsumerDeletedThenInactive() {
        Issued expiring = issue();
        ApiKey key = km.keys().create(ACTOR, expiring.bucket().name(), expiring.consumer().name(), null,
                clock.instant().plus(Duration.ofMinutes(1)));
        Issued deleted = issue();
        km.consumers().delete(ACTOR, deleted.bucket().name(), deleted.consumer().name());
        clock.advance(Duration.ofMinutes(2));

        Map<String, KeyOwner> found = km.leaks().findKeysByHash(List.of(KeyHashes.sha256Hex(key.key()), deleted.hash()));

        assertThat(found.values()).extracting(KeyOwner::active).containsExactly(false, false);
    }

    @Test
    void findKeysByHashLooksUpLargeBatchesInChunks() {
        Issued issued = issue();
        List<String> hashes = new ArrayList<>();
        for (int i = 0; i < 1200; i++) {
            hashes.add(KeyHashes.sha256Hex("absent" + i));
        }
        hashes.add(issued.hash());

        assertThat(km.leaks().findKeysByHash(hashes)).containsOnlyKeys(issued.hash());
    }

    @Test
    void recordLeakWithNotifyRecordsAndAuditsButKeepsTheKey() {
        Issued issued = issue();
        long before = position();

        Optional<Leak> leak = km.leaks().record(SCANNER, issued.hash(), report("https://github.com/o/r/blob/x/a.env"),
                LeakAction.NOTIFY);

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
        assertThat(km.leaks().findKeysByHash(List.of(issued.hash())).get(issued.hash()).active()).isTrue();
        assertThat(changesAfter(before)).isEmpty();
        assertThat(auditCount("key.leaked", issued.key().id())).isEqualTo(1);
        assertThat(km.audit().list(1, null).data().get(0).detail()).doesNotContain(issued.key().key())
                .contains("action=notify");
    }

    @Test
    void recordLeakWithRevokeRevokesWithAChangeRowAndAnAuditEvent() {
        Issued issued = issue();
        long before = position();

        Optional<Leak> leak = km.leaks().record(SCANNER, issued.hash(), report("https://gist.github.com/x"),
                LeakAction.REVOKE);

        assertThat(leak).get().extracting(Leak::action).isEqualTo("revoke");
        assertThat(km.keys().get(issued.bucket().name(), issued.consumer().name(), issued.key().id(), KeyFormat.NONE)
                .revokedOn()).isNotNull();
        assertThat(changesAfter(before)).extracting(Change::keyHash).containsExactly(issued.hash());
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
    void recordLeakWhenTheSameReportArrivesConcurrentlyThenOneRecordOneAuditOneRevocation() throws Exception {
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
    void recordLeakOfTheSameKeyElsewhereIsANewRecord() {
        Issued issued = issue();
        km.leaks().record(SCANNER, issued.hash(), report("https://github.com/a"), LeakAction.NOTIFY);

        assertThat(km.leaks().record(SCANNER, issued.hash(), report("https://github.com/b"), LeakAction.NOTIFY))
                .isPresent();
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
    void recordLeakOfARevokedOrUnknownKeyRecordsNothing() {
        Issued revoked = issue();
        km.keys().revoke(ACTOR, revoked.bucket().name(), revoked.consumer().name(), revoked.key().id());
        long leaks = db.count("gk_leak");

        assertThat(km.leaks().record(SCANNER, revoked.hash(), report("https://x"), LeakAction.REVOKE)).isEmpty();
        assertThat(km.leaks().record(SCANNER, KeyHashes.sha256Hex("unknown"), report("https://x"), LeakAction.NOTIFY))
                .isEmpty();
        assertThat(db.count("gk_leak")).isEqualTo(leaks);
    }

    @Test
    void recordLeakCutsAnOverlongUrlButStillTellsUrlsApart() {
        Issued issued = issue();
        String base = "https://github.com/" + "x".repeat(LeakService.MAX_LEAK_URL_LENGTH);

        Leak first = km.leaks().record(SCANNER, issued.hash(), report(base + "1"), LeakAction.NOTIFY).orElseThrow();

        assertThat(first.url()).hasSize(LeakService.MAX_LEAK_URL_LENGTH).endsWith("…");
        assertThat(km.leaks().record(SCANNER, issued.hash(), report(base + "2"), LeakAction.NOTIFY)).isPresent();
    }

    @Test
    void listLeaksPagesNewestFirstWithoutGapsOrDuplicates() {
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
    void listLeaksWhenCursorIsGarbageThenInvalidCursor() {
        assertThatThrownBy(() -> km.leaks().list(10, "garbage")).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> km.leaks().list(0, null)).isInstanceOf(InvalidInputException.class);
    }
}
