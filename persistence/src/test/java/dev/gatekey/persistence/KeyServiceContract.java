package dev.gatekey.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.tuple;

import dev.gatekey.format.ApiKeyFormat;
import dev.gatekey.store.Change;
import dev.gatekey.store.KeyHashes;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * {@link KeyService}'s create, get, list, update, revoke and cache flush, their successes and typed errors, on
 * one database (rolls and master keys: {@link KeyServiceRollContract}).
 */
abstract class KeyServiceContract extends DatabaseTestBase {

    private ApiKey createKeyExpiringIn30Days(Bucket bucket, Consumer consumer) {
        return km.keys().create(ACTOR, bucket.name(), consumer.name(), "ci runner", now().plus(Duration.ofDays(30)));
    }

    @Test
    void createKeyWhenConsumerExistsThenReturnedInFull() {
        Bucket bucket = newBucket(false);
        Consumer consumer = newConsumer(bucket);
        Instant expiry = now().plus(Duration.ofDays(30));
        ApiKey key = createKeyExpiringIn30Days(bucket, consumer);
        assertThat(key.id()).startsWith("key_");
        assertThat(format.isValid(key.key())).isTrue();
        assertThat(key.expiresOn()).isEqualTo(expiry);
        assertThat(key.createdOn()).isEqualTo(now());
    }

    @Test
    void getKeyWhenMaskedThenTheSameKeyMasked() {
        Bucket bucket = newBucket(false);
        Consumer consumer = newConsumer(bucket);
        ApiKey key = createKeyExpiringIn30Days(bucket, consumer);
        ApiKey read = km.keys().get(bucket.name(), consumer.name(), key.id(), KeyFormat.MASKED);
        assertThat(read.key()).isEqualTo(ApiKeyFormat.mask(key.key()));
        assertThat(read).usingRecursiveComparison().ignoringFields("key").isEqualTo(key);
    }

    @Test
    void createKeyWhenConsumerExistsThenListed() {
        Bucket bucket = newBucket(false);
        Consumer consumer = newConsumer(bucket);
        ApiKey key = createKeyExpiringIn30Days(bucket, consumer);
        assertThat(km.keys().list(bucket.name(), consumer.name(), KeyFormat.NONE)).extracting(ApiKey::id)
                .containsExactly(key.id());
    }

    @Test
    void createKeyWhenConsumerExistsThenOnTheChangeFeed() {
        Bucket bucket = newBucket(false);
        Consumer consumer = newConsumer(bucket);
        long position = store().latestPosition();

        ApiKey key = km.keys().create(ACTOR, bucket.name(), consumer.name(), null, null);

        assertThat(changesSince(position)).extracting(Change::type, Change::keyHash)
                .containsExactly(tuple(Change.Type.KEY, KeyHashes.sha256Hex(key.key())));
    }

    @Test
    void createKeyWhenExpiryNotInTheFutureThenFieldError() {
        Bucket bucket = newBucket(false);
        Consumer consumer = newConsumer(bucket);
        InvalidInputException e = catchThrowableOfType(InvalidInputException.class,
                () -> km.keys().create(ACTOR, bucket.name(), consumer.name(), null, now()));
        assertThat(e.errors()).containsExactly(new FieldError("expiresOn", "expiresOn must be in the future"));
    }

    @Test
    void getKeyWhenMissingThenNotFound() {
        Bucket bucket = newBucket(false);
        Consumer consumer = newConsumer(bucket);
        assertThatThrownBy(() -> km.keys().get(bucket.name(), consumer.name(), "key_nope", KeyFormat.NONE))
                .isInstanceOf(NotFoundException.class).hasMessage("key key_nope not found");
    }

    @Test
    void listKeysWhenVisibleWithoutAnActorThenRefusedSinceUnauditable() {
        Bucket bucket = newBucket(true);
        Consumer consumer = newConsumerWithKey(bucket);

        assertThatThrownBy(() -> km.keys().list(bucket.name(), consumer.name(), KeyFormat.VISIBLE))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("audited");
    }

    @Test
    void listKeysWhenVisibleInAnIrretrievableBucketThenConflict() {
        Bucket bucket = newBucket(false);
        Consumer consumer = newConsumerWithKey(bucket);
        assertThatThrownBy(() -> km.keys().list(ACTOR, bucket.name(), consumer.name(), KeyFormat.VISIBLE))
                .isInstanceOf(ConflictException.class)
                .hasMessage("keys of bucket " + bucket.name() + " are not retrievable");
    }

    @Test
    void getKeyWhenVisibleInAnIrretrievableBucketThenConflict() {
        Bucket bucket = newBucket(false);
        Consumer consumer = newConsumerWithKey(bucket);
        assertThatThrownBy(() -> km.keys().get(ACTOR, bucket.name(), consumer.name(), consumer.apiKeys().get(0).id(),
                KeyFormat.VISIBLE))
                .isInstanceOf(ConflictException.class)
                .hasMessage("keys of bucket " + bucket.name() + " are not retrievable");
    }

    @Test
    void revokeKeyWhenKeyOfAnotherConsumerThenNotFound() {
        Bucket bucket = newBucket(false);
        Consumer owner = newConsumerWithKey(bucket);
        Consumer other = newConsumer(bucket);
        String keyId = owner.apiKeys().get(0).id();
        assertThatThrownBy(() -> km.keys().revoke(ACTOR, bucket.name(), other.name(), keyId))
                .isInstanceOf(NotFoundException.class);
    }

    @Test
    void updateKeyWhenDescriptionChangedThenNoChangeRow() {
        Bucket bucket = newBucket(false);
        Consumer consumer = newConsumerWithKey(bucket);
        ApiKey key = consumer.apiKeys().get(0);
        long position = store().latestPosition();
        ApiKey described = km.keys().update(ACTOR, bucket.name(), consumer.name(), key.id(), KeyChanges.description("d"));
        assertThat(described.description()).isEqualTo("d");
        assertThat(changesSince(position)).isEmpty();
    }

    @Test
    void updateKeyWhenExpiryChangedThenAChangeRowAndTheDescriptionKept() {
        Bucket bucket = newBucket(false);
        Consumer consumer = newConsumerWithKey(bucket);
        ApiKey key = consumer.apiKeys().get(0);
        km.keys().update(ACTOR, bucket.name(), consumer.name(), key.id(), KeyChanges.description("d"));
        long position = store().latestPosition();

        Instant expiry = now().plus(Duration.ofHours(1));
        ApiKey expiring = km.keys().update(ACTOR, bucket.name(), consumer.name(), key.id(), KeyChanges.expiresOn(expiry));
        assertThat(expiring.expiresOn()).isEqualTo(expiry);
        assertThat(expiring.description()).isEqualTo("d");
        assertThat(changesSince(position)).extracting(Change::type, Change::keyHash)
                .containsExactly(tuple(Change.Type.KEY, KeyHashes.sha256Hex(key.key())));
    }

    @Test
    void updateKeyWhenExpiryInThePastThenFieldErrorAndNoChange() {
        Bucket bucket = newBucket(false);
        Consumer consumer = newConsumerWithKey(bucket);
        long position = store().latestPosition();
        InvalidInputException e = catchThrowableOfType(InvalidInputException.class, () -> km.keys().update(ACTOR,
                bucket.name(), consumer.name(), consumer.apiKeys().get(0).id(),
                KeyChanges.expiresOn(now().minusSeconds(1))));
        assertThat(e.errors()).containsExactly(new FieldError("expiresOn", "expiresOn must be in the future"));
        assertThat(changesSince(position)).isEmpty();
    }

    @Test
    void revokeKeyWhenAlreadyRevokedThenNothingChanges() {
        Bucket bucket = newBucket(false);
        Consumer consumer = newConsumerWithKey(bucket);
        ApiKey key = consumer.apiKeys().get(0);
        long position = store().latestPosition();
        Instant revokedAt = now();
        km.keys().revoke(ACTOR, bucket.name(), consumer.name(), key.id());
        clock.advance(Duration.ofMinutes(1));
        km.keys().revoke(ACTOR, bucket.name(), consumer.name(), key.id());
        assertThat(km.keys().get(bucket.name(), consumer.name(), key.id(), KeyFormat.NONE).revokedOn()).isEqualTo(revokedAt);
        assertThat(changesSince(position)).hasSize(1);
        assertThat(store().findByHash(KeyHashes.sha256Hex(key.key())).orElseThrow().revokedOn()).isEqualTo(revokedAt);
    }

    @Test
    void flushCachesWhenCalledThenAFlushChangeRow() {
        long position = store().latestPosition();
        km.keys().flushCaches(ACTOR);
        assertThat(changesSince(position)).singleElement().satisfies(c -> {
            assertThat(c.type()).isEqualTo(Change.Type.FLUSH);
            assertThat(c.keyHash()).isNull();
            assertThat(c.createdOn()).isEqualTo(now());
        });
    }

    @Test
    void flushCachesWhenCalledThenAudited() {
        km.keys().flushCaches(ACTOR);
        assertThat(km.audit().list(1, null).data().get(0).action()).isEqualTo("cache.flush");
    }
}
