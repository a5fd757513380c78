package dev.gatekey.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.gatekey.store.Change;
import dev.gatekey.store.KeyHashes;
import dev.gatekey.store.StoredKey;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** {@link ImportService}: created, exists and per-item errors, consumers, the change feed, the audit, and rolls. */
abstract class ImportServiceContract extends DatabaseTestBase {

    private static String hashOf(String legacyKey) {
        return "sha256:" + KeyHashes.sha256Hex(legacyKey);
    }

    private List<ImportResult> importKeys(Bucket bucket, ImportedKey... items) {
        return km.imports().importKeys(ACTOR, bucket.name(), List.of(items));
    }

    @Test
    void importKeysWhenNewThenCreatedWithTheirConsumerAndItsMetadata() {
        Bucket bucket = newBucket(false);
        String consumer = unique("acme");
        Instant created = now().minus(Duration.ofDays(400));
        Instant expires = now().plus(Duration.ofDays(30));

        List<ImportResult> results = importKeys(bucket,
                new ImportedKey(consumer, hashOf("legacy-1"), "old key", created, expires, Map.of("plan", "gold")),
                new ImportedKey(consumer, hashOf("legacy-2"), null, null, null, Map.of("plan", "ignored")));

        assertThat(results).extracting(ImportResult::index, ImportResult::status)
                .containsExactly(tuple(0, ImportResult.Status.CREATED), tuple(1, ImportResult.Status.CREATED));
        assertThat(results.get(0).keyId()).startsWith("key_");
        Consumer read = km.consumers().get(bucket.name(), consumer, true, KeyFormat.MASKED);
        assertThat(read.metadata()).isEqualTo(Map.of("plan", "gold"));
        ApiKey first = read.apiKeys().get(0);
        assertThat(first.id()).isEqualTo(results.get(0).keyId());
        assertThat(first.description()).isEqualTo("old key");
        assertThat(first.createdOn()).isEqualTo(created);
        assertThat(first.expiresOn()).isEqualTo(expires);
        assertThat(read.apiKeys().get(1).createdOn()).isEqualTo(now());
    }

    @Test
    void importKeysWhenImportedThenTheFilterStoreFindsTheHash() {
        Bucket bucket = newBucket(false);
        String consumer = unique("acme");
        importKeys(bucket, new ImportedKey(consumer, hashOf("legacy-store"), null, null, null, Map.of("plan", "p")));

        StoredKey stored = store().findByHash(KeyHashes.sha256Hex("legacy-store")).orElseThrow();
        assertThat(stored.bucket()).isEqualTo(bucket.name());
        assertThat(stored.consumer()).isEqualTo(consumer);
        assertThat(stored.metadata()).isEqualTo(Map.of("plan", "p"));
        Set<String> known = new HashSet<>();
        store().forEachKeyHash(known::add);
        assertThat(known).contains(KeyHashes.sha256Hex("legacy-store"));
    }

    @Test
    void importKeysWhenImportedThenOneKeyRowPerKeyOnTheChangeFeed() {
        Bucket bucket = newBucket(false);
        long position = store().latestPosition();
        importKeys(bucket, ImportedKey.of(unique("a"), hashOf("feed-1")), ImportedKey.of(unique("b"), hashOf("feed-2")));
        assertThat(changesSince(position)).extracting(Change::type, Change::keyHash).containsExactly(
                tuple(Change.Type.KEY, KeyHashes.sha256Hex("feed-1")), tuple(Change.Type.KEY, KeyHashes.sha256Hex("feed-2")));
    }

    @Test
    void importKeysWhenSameHashAgainThenExistsAndUnchanged() {
        Bucket bucket = newBucket(false);
        String consumer = unique("acme");
        ImportedKey item = new ImportedKey(consumer, hashOf("again"), "first", null, null, null);
        String keyId = importKeys(bucket, item).get(0).keyId();
        long position = store().latestPosition();

        List<ImportResult> again = importKeys(bucket, new ImportedKey(consumer, hashOf("again"), "second", null,
                null, null), item);

        assertThat(again).extracting(ImportResult::status, ImportResult::keyId).containsExactly(
                tuple(ImportResult.Status.EXISTS, keyId), tuple(ImportResult.Status.EXISTS, keyId));
        assertThat(changesSince(position)).isEmpty();
        assertThat(km.keys().get(bucket.name(), consumer, keyId, KeyFormat.NONE).description()).isEqualTo("first");
    }

    @Test
    void importKeysWhenHashBelongsToAnotherConsumerOrBucketThenThatItemFailsAndTheOthersAreWritten() {
        Bucket bucket = newBucket(false);
        Bucket other = newBucket(false);
        importKeys(bucket, ImportedKey.of(unique("owner"), hashOf("taken")));

        List<ImportResult> results = importKeys(bucket, ImportedKey.of(unique("thief"), hashOf("taken")),
                ImportedKey.of(unique("good"), hashOf("free")));
        List<ImportResult> elsewhere = importKeys(other, ImportedKey.of(unique("owner"), hashOf("taken")));

        FieldError conflict = new FieldError("keyHash", "keyHash belongs to another consumer or bucket");
        assertThat(results.get(0)).isEqualTo(ImportResult.error(0, List.of(conflict)));
        assertThat(results.get(1).status()).isEqualTo(ImportResult.Status.CREATED);
        assertThat(elsewhere.get(0)).isEqualTo(ImportResult.error(0, List.of(conflict)));
    }

    @Test
    void importKeysWhenItemsInvalidThenExactFieldErrorsAndTheValidOnesWritten() {
        Bucket bucket = newBucket(false);
        List<ImportResult> results = importKeys(bucket,
                ImportedKey.of("bad name!", "sha256:ABC"),
                new ImportedKey(unique("c"), hashOf("future"), "x".repeat(1001), now().plusSeconds(1), null, null),
                new ImportedKey(unique("c"), hashOf("expired"), null, null, now(), null),
                new ImportedKey(unique("c"), hashOf("meta"), null, null, null, Map.of("rateLimit", "fast")),
                new ImportedKey(unique("c"), hashOf("big"), null, null, null, metadataOfSize(1025)),
                ImportedKey.of(unique("c"), hashOf("fine")));

        assertThat(results.get(0).errors()).containsExactly(
                new FieldError("consumer", "consumer must match " + ConsumerService.CONSUMER_NAME_REGEX),
                new FieldError("keyHash", "keyHash must be sha256: followed by 64 lowercase hex digits"));
        assertThat(results.get(1).errors()).containsExactly(
                new FieldError("description", "description must be at most 1000 characters"),
                new FieldError("createdOn", "createdOn must not be in the future"));
        assertThat(results.get(2).errors()).containsExactly(
                new FieldError("expiresOn", "expiresOn must be in the future"));
        assertThat(results.get(3).errors()).extracting(FieldError::field).containsExactly("metadata.rateLimit");
        assertThat(results.get(4).errors()).containsExactly(
                new FieldError("metadata", "metadata must not exceed 1024 bytes"));
        assertThat(results.get(5).status()).isEqualTo(ImportResult.Status.CREATED);
        assertThat(results.subList(0, 5)).allMatch(r -> r.status() == ImportResult.Status.ERROR && r.keyId() == null);
    }

    @Test
    void importKeysWhenMoreThanTheMaximumThenPayloadTooLarge() {
        Bucket bucket = newBucket(false);
        List<ImportedKey> items = Collections.nCopies(ImportService.MAX_ITEMS + 1, ImportedKey.of("c", hashOf("x")));
        assertThatThrownBy(() -> km.imports().importKeys(ACTOR, bucket.name(), items))
                .isInstanceOf(PayloadTooLargeException.class)
                .hasMessage("an import must not have more than 10000 items");
    }

    @Test
    void importKeysWhenBucketMissingThenNotFound() {
        assertThatThrownBy(() -> km.imports().importKeys(ACTOR, unique("nobucket"), List.of()))
                .isInstanceOf(NotFoundException.class);
    }

    @Test
    void importKeysWhenManyThenOneAuditEventPerTransactionWithItsCounts() {
        Bucket bucket = newBucket(false);
        String consumer = unique("many");
        List<ImportedKey> items = new ArrayList<>();
        for (int i = 0; i < ImportService.ITEMS_PER_TRANSACTION + 2; i++) {
            items.add(ImportedKey.of(consumer, hashOf(consumer + "-" + i)));
        }
        items.set(1, ImportedKey.of(consumer, "sha256:bad"));

        km.imports().importKeys(ACTOR, bucket.name(), items);

        List<AuditEvent> events = km.audit().list(1000, null).data().stream()
                .filter(e -> e.action().equals(ImportService.AUDIT_ACTION) && bucket.name().equals(e.targetId()))
                .toList();
        assertThat(events).extracting(AuditEvent::detail).containsExactlyInAnyOrder(
                "created=499 exists=0 errors=0 items=0..499", "created=2 exists=0 errors=0 items=500..501");
        assertThat(km.keys().list(bucket.name(), consumer, KeyFormat.NONE)).hasSize(501);
    }

    @Test
    void getKeyWhenImportedThenEveryFormatShowsTheImportedMaskAndNothingIsRevealed() {
        Bucket bucket = newBucket(true);
        String consumer = unique("shown");
        String hash = hashOf("shown-key");
        String keyId = importKeys(bucket, ImportedKey.of(consumer, hash)).get(0).keyId();
        String mask = "imported\u2026" + hash.substring(hash.length() - 4);

        assertThat(km.keys().get(bucket.name(), consumer, keyId, KeyFormat.MASKED).key()).isEqualTo(mask);
        assertThat(km.keys().get(ACTOR, bucket.name(), consumer, keyId, KeyFormat.VISIBLE).key()).isEqualTo(mask);
        assertThat(km.keys().get(bucket.name(), consumer, keyId, KeyFormat.NONE).key()).isNull();
        assertThat(km.audit().list(1000, null).data()).noneMatch(
                e -> e.action().equals(AuditService.KEY_REVEALED) && keyId.equals(e.targetId()));
    }

    @Test
    void rollKeyWhenImportedThenAGatekeyKeyAndTheImportedOneExpires() {
        Bucket bucket = newBucket(false);
        String consumer = unique("roll");
        String keyId = importKeys(bucket, ImportedKey.of(consumer, hashOf("roll-me"))).get(0).keyId();
        Instant grace = now().plus(Duration.ofDays(7));

        ApiKey rolled = km.keys().roll(ACTOR, bucket.name(), consumer, grace);

        assertThat(format.isValid(rolled.key())).isTrue();
        assertThat(km.keys().get(bucket.name(), consumer, keyId, KeyFormat.NONE).expiresOn()).isEqualTo(grace);
        assertThat(store().findByHash(KeyHashes.sha256Hex("roll-me")).orElseThrow().expiresOn()).isEqualTo(grace);
    }

    @Test
    void revokeKeyWhenImportedThenRevokedInTheStore() {
        Bucket bucket = newBucket(false);
        String consumer = unique("revoke");
        String keyId = importKeys(bucket, ImportedKey.of(consumer, hashOf("revoke-me"))).get(0).keyId();
        km.keys().revoke(ACTOR, bucket.name(), consumer, keyId);
        assertThat(store().findByHash(KeyHashes.sha256Hex("revoke-me")).orElseThrow().revokedOn()).isEqualTo(now());
    }
}
