package dev.gatekey.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Every {@link BucketService} operation, its successes and its typed errors, on one database. */
abstract class BucketServiceContract extends DatabaseTestBase {

    @Test
    void createBucketWhenValidThenReturnedReadableAndListed() {
        Bucket bucket = newBucket(true);
        assertThat(bucket.retrievable()).isTrue();
        assertThat(bucket.createdOn()).isEqualTo(now()).isEqualTo(bucket.updatedOn());
        assertThat(km.buckets().get(bucket.name())).isEqualTo(bucket);
        assertThat(km.buckets().list()).contains(bucket);
        assertThat(store().findKeyPrefix(bucket.name())).contains(bucket.keyPrefix());
    }

    @Test
    void createBucketWhenValidThenAudited() {
        Bucket bucket = newBucket(true);
        assertThat(km.audit().list(1, null).data().get(0))
                .extracting(AuditEvent::actor, AuditEvent::action, AuditEvent::targetType, AuditEvent::targetId)
                .containsExactly(ACTOR, "bucket.create", "bucket", bucket.name());
    }

    @Test
    void createBucketWhenRetrievableNotGivenThenRetrievable() {
        Bucket bucket = km.buckets().create(ACTOR, unique("default-"), null, unique("def"), null);
        assertThat(bucket.retrievable()).isTrue();
    }

    @Test
    void createBucketWhenNameAndPrefixInvalidThenFieldErrors() {
        InvalidInputException e = catchThrowableOfType(InvalidInputException.class,
                () -> km.buckets().create(ACTOR, "AB", null, "Bad-Prefix", true));
        assertThat(e.errors()).containsExactly(
                new FieldError("name", "name must match ^[a-z0-9][a-z0-9-]{2,63}$"),
                new FieldError("keyPrefix", "keyPrefix must match ^[a-z][a-z0-9]{0,19}(_[a-z0-9]{1,20})?$"));
    }

    @Test
    void createBucketWhenDescriptionTooLongThenFieldError() {
        InvalidInputException e = catchThrowableOfType(InvalidInputException.class,
                () -> km.buckets().create(ACTOR, unique("long-"), "x".repeat(1001), unique("long"), false));
        assertThat(e.errors()).containsExactly(
                new FieldError("description", "description must be at most 1000 characters"));
    }

    @Test
    void createBucketWhenRetrievableWithoutMasterKeysThenFieldError() {
        KeyManagement noKeys = new KeyManagement(db.database, format, null, clock);
        InvalidInputException e = catchThrowableOfType(InvalidInputException.class,
                () -> noKeys.buckets().create(ACTOR, unique("nokeys-"), null, unique("nokeys"), null));
        assertThat(e.errors()).containsExactly(new FieldError("retrievable",
                "retrievable buckets need master keys: configure them or set retrievable to false"));
    }

    @Test
    void createBucketWhenIrretrievableWithoutMasterKeysThenCreated() {
        KeyManagement noKeys = new KeyManagement(db.database, format, null, clock);
        assertThat(noKeys.buckets().create(ACTOR, unique("nokeys-"), null, unique("nokeys"), false).retrievable())
                .isFalse();
    }

    @Test
    void createBucketWhenNameTakenThenConflict() {
        Bucket bucket = newBucket(true);
        assertThatThrownBy(() -> km.buckets().create(ACTOR, bucket.name(), null, unique("other"), true))
                .isInstanceOf(ConflictException.class)
                .hasMessage("bucket " + bucket.name() + " already exists");
    }

    @Test
    void createBucketWhenPrefixTakenThenConflict() {
        Bucket bucket = newBucket(true);
        assertThatThrownBy(() -> km.buckets().create(ACTOR, unique("other-"), null, bucket.keyPrefix(), true))
                .isInstanceOf(ConflictException.class)
                .hasMessage("key prefix " + bucket.keyPrefix() + " is already used by bucket " + bucket.name());
    }

    @Test
    void getBucketWhenMissingThenNotFound() {
        assertThatThrownBy(() -> km.buckets().get("no-such-bucket"))
                .isInstanceOf(NotFoundException.class)
                .hasMessage("bucket no-such-bucket not found");
    }

    @Test
    void findKeyPrefixWhenBucketMissingThenEmpty() {
        assertThat(store().findKeyPrefix("no-such-bucket")).isEmpty();
    }

    @Test
    void getBucketWhenNameHasNulThenNotFound() {
        assertThatThrownBy(() -> km.buckets().get("a\u0000b")).isInstanceOf(NotFoundException.class);
    }

    @Test
    void updateBucketWhenDescriptionGivenThenChanged() {
        Bucket bucket = newBucket(false);
        clock.advance(Duration.ofMinutes(1));
        Bucket updated = km.buckets().update(ACTOR, bucket.name(), "new words");
        assertThat(updated.description()).isEqualTo("new words");
        assertThat(updated.updatedOn()).isEqualTo(now()).isAfter(bucket.createdOn());
        assertThat(km.buckets().get(bucket.name())).isEqualTo(updated);
    }

    @Test
    void deleteBucketWhenEmptyThenGone() {
        Bucket bucket = newBucket(false);
        Consumer consumer = newConsumer(bucket);
        km.consumers().delete(ACTOR, bucket.name(), consumer.name());
        km.buckets().delete(ACTOR, bucket.name());
        assertThatThrownBy(() -> km.buckets().get(bucket.name())).isInstanceOf(NotFoundException.class);
    }

    @Test
    void deleteBucketWhenItHasConsumersThenConflict() {
        Bucket bucket = newBucket(false);
        newConsumer(bucket);
        assertThatThrownBy(() -> km.buckets().delete(ACTOR, bucket.name()))
                .isInstanceOf(ConflictException.class)
                .hasMessage("bucket " + bucket.name() + " still has consumers");
        assertThat(km.buckets().get(bucket.name())).isEqualTo(bucket);
    }
}
