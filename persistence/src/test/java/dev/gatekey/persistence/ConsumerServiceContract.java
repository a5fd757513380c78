package dev.gatekey.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.gatekey.format.ApiKeyFormat;
import dev.gatekey.store.Change;
import dev.gatekey.store.KeyHashes;
import dev.gatekey.store.StoredKey;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * {@link ConsumerService}'s create, get, update and delete, their successes and typed errors, on one database
 * (listing: {@link ConsumerServiceListContract}).
 */
abstract class ConsumerServiceContract extends DatabaseTestBase {

    @Test
    void createConsumerWhenEveryFieldGivenThenEveryFieldStored() {
        Bucket bucket = newBucket(true);
        Map<String, Object> metadata = Map.of("roles", List.of("admin"), "plan", "gold", "seats", 3);
        Consumer created = km.consumers().create(ACTOR, bucket.name(),
                new NewConsumer("acme.corp@eu", "ACME", metadata, Map.of("env", "prod")), false);
        assertThat(created.id()).startsWith("con_");
        assertThat(created.apiKeys()).isNull();
        assertThat(created.metadata()).isEqualTo(metadata);
        assertThat(created.tags()).isEqualTo(Map.of("env", "prod"));
        assertThat(created.createdOn()).isEqualTo(now());
        assertThat(km.consumers().get(bucket.name(), "acme.corp@eu", false, KeyFormat.NONE)).isEqualTo(created);
    }

    @Test
    void createConsumerWhenWithApiKeyThenKeyReturnedInFull() {
        Bucket bucket = newBucket(false);
        Consumer created = km.consumers().create(ACTOR, bucket.name(), NewConsumer.named(unique("c")), true);
        assertThat(created.apiKeys()).hasSize(1);
        ApiKey key = created.apiKeys().get(0);
        assertThat(format.isValid(key.key())).isTrue();
        assertThat(key.key()).startsWith(bucket.keyPrefix() + "_");
    }

    @Test
    void createConsumerWhenWithApiKeyThenStoreFindsTheKey() {
        Bucket bucket = newBucket(false);
        Consumer created = km.consumers().create(ACTOR, bucket.name(), NewConsumer.named(unique("c")), true);
        ApiKey key = created.apiKeys().get(0);
        assertThat(store().findByHash(KeyHashes.sha256Hex(key.key()))).get()
                .extracting(StoredKey::keyId, StoredKey::consumer).containsExactly(key.id(), created.name());
    }

    @Test
    void createConsumerWhenNameInvalidThenFieldError() {
        Bucket bucket = newBucket(false);
        InvalidInputException e = catchThrowableOfType(InvalidInputException.class,
                () -> km.consumers().create(ACTOR, bucket.name(), NewConsumer.named("-bad name"), false));
        assertThat(e.errors()).containsExactly(
                new FieldError("name", "name must match ^[A-Za-z0-9][A-Za-z0-9._@-]{0,127}$"));
    }

    @Test
    void createConsumerWhenBucketMissingThenNotFound() {
        assertThatThrownBy(() -> km.consumers().create(ACTOR, "missing-bucket", NewConsumer.named("x"), false))
                .isInstanceOf(NotFoundException.class)
                .hasMessage("bucket missing-bucket not found");
    }

    @Test
    void createConsumerWhenNameTakenThenConflict() {
        Bucket bucket = newBucket(false);
        Consumer consumer = newConsumer(bucket);
        assertThatThrownBy(() -> km.consumers().create(ACTOR, bucket.name(), NewConsumer.named(consumer.name()), false))
                .isInstanceOf(ConflictException.class)
                .hasMessage("consumer " + consumer.name() + " already exists in bucket " + bucket.name());
    }

    @Test
    void createConsumerWhenNameTakenInAnotherBucketThenCreated() {
        Bucket one = newBucket(false);
        Bucket two = newBucket(false);
        km.consumers().create(ACTOR, one.name(), NewConsumer.named("shared"), false);
        assertThat(km.consumers().create(ACTOR, two.name(), NewConsumer.named("shared"), false).name())
                .isEqualTo("shared");
    }

    @Test
    void createConsumerWhenMetadataExactlyAtTheLimitThenAccepted() {
        Bucket bucket = newBucket(false);
        Map<String, Object> metadata = metadataOfSize(1024);
        Consumer consumer = km.consumers().create(ACTOR, bucket.name(),
                new NewConsumer(unique("c"), null, metadata, null), false);
        assertThat(consumer.metadata()).isEqualTo(metadata);
    }

    @Test
    void createConsumerWhenMetadataOverTheLimitThenPayloadTooLarge() {
        Bucket bucket = newBucket(false);
        assertThatThrownBy(() -> km.consumers().create(ACTOR, bucket.name(),
                new NewConsumer(unique("c"), null, metadataOfSize(1025), null), false))
                .isInstanceOf(PayloadTooLargeException.class)
                .hasMessage("metadata must not exceed 1024 bytes");
    }

    private static Map<String, String> tags(int count) {
        return IntStream.range(0, count).boxed().collect(Collectors.toMap(i -> "t" + i, i -> "v"));
    }

    @Test
    void createConsumerWhenElevenTagsThenFieldError() {
        Bucket bucket = newBucket(false);
        InvalidInputException e = catchThrowableOfType(InvalidInputException.class, () -> km.consumers().create(ACTOR,
                bucket.name(), new NewConsumer(unique("c"), null, null, tags(11)), false));
        assertThat(e.errors()).containsExactly(new FieldError("tags", "tags must not have more than 10 entries"));
    }

    @Test
    void createConsumerWhenTenTagsThenAccepted() {
        Bucket bucket = newBucket(false);
        assertThat(km.consumers().create(ACTOR, bucket.name(), new NewConsumer(unique("c"), null, null, tags(10)), false)
                .tags()).hasSize(10);
    }

    @Test
    void createConsumerWhenTagKeyAndValueBadThenFieldErrors() {
        Bucket bucket = newBucket(false);
        Map<String, String> tags = new LinkedHashMap<>();
        tags.put("bad key", "v");
        tags.put("env", "x".repeat(257));
        InvalidInputException e = catchThrowableOfType(InvalidInputException.class, () -> km.consumers().create(ACTOR,
                bucket.name(), new NewConsumer(unique("c"), null, null, tags), false));
        assertThat(e.errors()).containsExactly(
                new FieldError("tags", "tag keys must match ^[A-Za-z0-9][A-Za-z0-9._:/-]{0,63}$"),
                new FieldError("tags.env", "tag values must be 0 to 256 characters"));
    }

    @Test
    void getConsumerWhenKeysAskedWithoutTextThenNoText() {
        Bucket bucket = newBucket(true);
        Consumer consumer = newConsumerWithKey(bucket);
        assertThat(km.consumers().get(bucket.name(), consumer.name(), true, KeyFormat.NONE).apiKeys())
                .extracting(ApiKey::key).containsExactly((String) null);
    }

    @Test
    void getConsumerWhenKeysAskedMaskedThenMasked() {
        Bucket bucket = newBucket(true);
        Consumer consumer = newConsumerWithKey(bucket);
        assertThat(km.consumers().get(bucket.name(), consumer.name(), true, KeyFormat.MASKED).apiKeys())
                .extracting(ApiKey::key).containsExactly(ApiKeyFormat.mask(consumer.apiKeys().get(0).key()));
    }

    @Test
    void getConsumerWhenKeysAskedVisibleThenInFull() {
        Bucket bucket = newBucket(true);
        Consumer consumer = newConsumerWithKey(bucket);
        assertThat(km.consumers().get(ACTOR, bucket.name(), consumer.name(), true, KeyFormat.VISIBLE).apiKeys())
                .extracting(ApiKey::key).containsExactly(consumer.apiKeys().get(0).key());
    }

    @Test
    void getConsumerWhenVisibleKeysOfAnIrretrievableBucketThenConflict() {
        Bucket bucket = newBucket(false);
        Consumer consumer = newConsumerWithKey(bucket);
        assertThatThrownBy(() -> km.consumers().get(ACTOR, bucket.name(), consumer.name(), true, KeyFormat.VISIBLE))
                .isInstanceOf(ConflictException.class)
                .hasMessage("keys of bucket " + bucket.name() + " are not retrievable");
    }

    @Test
    void createConsumerWhenBucketIrretrievableThenNoEncryptedKeyStored() {
        Bucket bucket = newBucket(false);
        Consumer consumer = newConsumerWithKey(bucket);
        assertThat(db.strings("SELECT encrypted_key FROM gk_api_key WHERE public_id = '"
                + consumer.apiKeys().get(0).id() + "'")).containsExactly((String) null);
    }

    @Test
    void getConsumerWhenMissingThenNotFound() {
        Bucket bucket = newBucket(false);
        assertThatThrownBy(() -> km.consumers().get(bucket.name(), "nobody", false, KeyFormat.NONE))
                .isInstanceOf(NotFoundException.class).hasMessage("consumer nobody not found");
    }

    private Consumer updateEveryField(Bucket bucket, Consumer consumer) {
        return km.consumers().update(ACTOR, bucket.name(), consumer.name(),
                new ConsumerChanges("new", Map.of("roles", List.of("viewer")), Map.of("team", "blue")));
    }

    @Test
    void updateConsumerWhenFieldsChangedThenChangedFieldsReturned() {
        Bucket bucket = newBucket(false);
        Consumer consumer = newConsumerWithKey(bucket);
        clock.advance(Duration.ofSeconds(5));
        Consumer updated = updateEveryField(bucket, consumer);
        assertThat(updated.description()).isEqualTo("new");
        assertThat(updated.metadata()).isEqualTo(Map.of("roles", List.of("viewer")));
        assertThat(updated.tags()).isEqualTo(Map.of("team", "blue"));
        assertThat(updated.updatedOn()).isEqualTo(now());
    }

    @Test
    void updateConsumerWhenMetadataChangedThenAChangeRowPerKey() {
        Bucket bucket = newBucket(false);
        Consumer consumer = newConsumerWithKey(bucket);
        ApiKey second = km.keys().create(ACTOR, bucket.name(), consumer.name(), "second", null);
        long position = store().latestPosition();
        updateEveryField(bucket, consumer);
        assertThat(changesSince(position)).extracting(Change::keyHash).containsExactlyInAnyOrder(
                KeyHashes.sha256Hex(consumer.apiKeys().get(0).key()), KeyHashes.sha256Hex(second.key()));
    }

    @Test
    void updateConsumerWhenMetadataChangedThenStoreSeesTheNewMetadata() {
        Bucket bucket = newBucket(false);
        Consumer consumer = newConsumerWithKey(bucket);
        ApiKey second = km.keys().create(ACTOR, bucket.name(), consumer.name(), "second", null);
        updateEveryField(bucket, consumer);
        assertThat(store().findByHash(KeyHashes.sha256Hex(second.key())).orElseThrow().metadata())
                .isEqualTo(Map.of("roles", List.of("viewer")));
    }

    @Test
    void updateConsumerWhenMetadataNotGivenThenNoChangeRow() {
        Bucket bucket = newBucket(false);
        Consumer consumer = newConsumerWithKey(bucket);
        long position = store().latestPosition();
        Consumer updated = km.consumers().update(ACTOR, bucket.name(), consumer.name(),
                new ConsumerChanges("only words", null, null));
        assertThat(updated.metadata()).isEqualTo(consumer.metadata());
        assertThat(changesSince(position)).isEmpty();
    }

    @Test
    void updateConsumerWhenMetadataTooLargeThenNothingChanges() {
        Bucket bucket = newBucket(false);
        Consumer consumer = newConsumerWithKey(bucket);
        long position = store().latestPosition();
        assertThatThrownBy(() -> km.consumers().update(ACTOR, bucket.name(), consumer.name(),
                new ConsumerChanges("changed", metadataOfSize(2000), null)))
                .isInstanceOf(PayloadTooLargeException.class);
        assertThat(changesSince(position)).isEmpty();
        assertThat(km.consumers().get(bucket.name(), consumer.name(), false, KeyFormat.NONE).description()).isNull();
    }

    @Test
    void deleteConsumerWhenItHasKeysThenEveryKeyRevokedAndDisabled() {
        Bucket bucket = newBucket(false);
        Consumer consumer = newConsumerWithKey(bucket);
        ApiKey second = km.keys().create(ACTOR, bucket.name(), consumer.name(), null, null);
        clock.advance(Duration.ofMinutes(1));
        km.consumers().delete(ACTOR, bucket.name(), consumer.name());

        Instant now = now();
        for (String text : List.of(consumer.apiKeys().get(0).key(), second.key())) {
            StoredKey stored = store().findByHash(KeyHashes.sha256Hex(text)).orElseThrow();
            assertThat(stored.revokedOn()).isEqualTo(now);
            assertThat(stored.consumerEnabled()).isFalse();
        }
    }

    @Test
    void deleteConsumerWhenItHasKeysThenAKeyChangeRowPerKey() {
        Bucket bucket = newBucket(false);
        Consumer consumer = newConsumerWithKey(bucket);
        km.keys().create(ACTOR, bucket.name(), consumer.name(), null, null);
        long position = store().latestPosition();
        km.consumers().delete(ACTOR, bucket.name(), consumer.name());
        assertThat(changesSince(position)).hasSize(2).allMatch(c -> c.type() == Change.Type.KEY);
    }

    @Test
    void getConsumerWhenDeletedThenNotFound() {
        Bucket bucket = newBucket(false);
        Consumer consumer = newConsumerWithKey(bucket);
        km.consumers().delete(ACTOR, bucket.name(), consumer.name());
        assertThatThrownBy(() -> km.consumers().get(bucket.name(), consumer.name(), false, KeyFormat.NONE))
                .isInstanceOf(NotFoundException.class);
    }

    @Test
    void createConsumerWhenNameOfADeletedOneThenNewConsumerWithoutKeys() {
        Bucket bucket = newBucket(false);
        Consumer consumer = newConsumerWithKey(bucket);
        km.consumers().delete(ACTOR, bucket.name(), consumer.name());
        Consumer again = km.consumers().create(ACTOR, bucket.name(), NewConsumer.named(consumer.name()), false);
        assertThat(again.id()).isNotEqualTo(consumer.id());
        assertThat(km.keys().list(bucket.name(), again.name(), KeyFormat.NONE)).isEmpty();
    }

    @Test
    void deleteConsumerWhenMissingThenNotFoundAndNoChange() {
        Bucket bucket = newBucket(false);
        long position = store().latestPosition();
        assertThatThrownBy(() -> km.consumers().delete(ACTOR, bucket.name(), "ghost"))
                .isInstanceOf(NotFoundException.class).hasMessage("consumer ghost not found");
        assertThat(changesSince(position)).isEmpty();
    }
}
