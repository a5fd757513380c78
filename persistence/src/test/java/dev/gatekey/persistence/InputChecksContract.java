package dev.gatekey.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Values neither database can store faithfully (NUL, unpaired surrogates, infinite numbers) and rate limits the
 * filter could not apply: refused on every write with a field error, not found on every lookup, the same on H2
 * and PostgreSQL.
 */
abstract class InputChecksContract extends DatabaseTestBase {

    private static final String UNSTORABLE = "must not contain NUL characters or unpaired surrogates";
    private static final List<String> UNSTORABLE_TEXTS = List.of("a\u0000b", "lone \ud800 high", "lone \udc00 low",
            "end \ud83d");

    /** Writes each unstorable text with {@code write}, expecting the field error {@code expected} makes of it. */
    private static void assertEachRefused(java.util.function.Consumer<String> write,
            Function<String, FieldError> expected) {
        for (String bad : UNSTORABLE_TEXTS) {
            assertThat(errorOf(() -> write.accept(bad))).as(bad).isEqualTo(expected.apply(bad));
        }
    }

    @Test
    void createConsumerWhenMetadataNumberInfiniteThenFieldErrorNamingItsPathAndNothingStored() {
        Bucket bucket = newBucket(false);
        Map<String, Object> metadata = Map.of("limits", List.of(1, Map.of("n", Double.POSITIVE_INFINITY)));

        FieldError error = errorOf(() -> km.consumers().create(ACTOR, bucket.name(),
                new NewConsumer(unique("c"), null, metadata, null), false));

        assertThat(error).isEqualTo(new FieldError("metadata.limits[1].n", "must be a finite number"));
        assertThat(db.strings("SELECT metadata_json FROM gk_consumer")).noneMatch(m -> m != null && m.contains("Infinity"));
    }

    @Test
    void createConsumerWhenDescriptionUnstorableThenFieldError() {
        Bucket bucket = newBucket(false);
        assertEachRefused(bad -> km.consumers().create(ACTOR, bucket.name(),
                new NewConsumer(unique("c"), bad, null, null), false), bad -> new FieldError("description", UNSTORABLE));
    }

    @Test
    void createConsumerWhenMetadataValueUnstorableThenFieldErrorNamingIt() {
        Bucket bucket = newBucket(false);
        assertEachRefused(bad -> km.consumers().create(ACTOR, bucket.name(),
                new NewConsumer(unique("c"), null, Map.of("note", bad), null), false),
                bad -> new FieldError("metadata.note", UNSTORABLE));
    }

    @Test
    void updateConsumerWhenMetadataNameUnstorableThenFieldErrorNamingIt() {
        Bucket bucket = newBucket(false);
        Consumer consumer = newConsumer(bucket);
        assertEachRefused(bad -> km.consumers().update(ACTOR, bucket.name(), consumer.name(),
                new ConsumerChanges(null, Map.of("x", Map.of(bad, 1)), null)),
                bad -> new FieldError("metadata.x." + TextChecks.replaceUnstorable(bad), "names " + UNSTORABLE));
    }

    @Test
    void updateConsumerWhenTagValueUnstorableThenFieldErrorNamingIt() {
        Bucket bucket = newBucket(false);
        Consumer consumer = newConsumer(bucket);
        assertEachRefused(bad -> km.consumers().update(ACTOR, bucket.name(), consumer.name(),
                new ConsumerChanges(null, null, Map.of("env", bad))), bad -> new FieldError("tags.env", UNSTORABLE));
    }

    @Test
    void createBucketWhenDescriptionUnstorableThenFieldError() {
        assertEachRefused(bad -> km.buckets().create(ACTOR, unique("nul-"), bad, unique("nul"), false),
                bad -> new FieldError("description", UNSTORABLE));
    }

    @Test
    void createKeyWhenDescriptionUnstorableThenFieldError() {
        Bucket bucket = newBucket(false);
        Consumer consumer = newConsumer(bucket);
        assertEachRefused(bad -> km.keys().create(ACTOR, bucket.name(), consumer.name(), bad, null),
                bad -> new FieldError("description", UNSTORABLE));
    }

    @Test
    void updateKeyWhenDescriptionUnstorableThenFieldError() {
        Bucket bucket = newBucket(false);
        Consumer consumer = newConsumer(bucket);
        String keyId = km.keys().create(ACTOR, bucket.name(), consumer.name(), null, null).id();
        assertEachRefused(bad -> km.keys().update(ACTOR, bucket.name(), consumer.name(), keyId,
                KeyChanges.description(bad)), bad -> new FieldError("description", UNSTORABLE));
    }

    @Test
    void createConsumerWhenTextHasValidSurrogatePairsThenReadBackUnchanged() {
        Bucket bucket = newBucket(false);
        String emoji = "key for \ud83d\udd11 team";

        Consumer created = km.consumers().create(ACTOR, bucket.name(),
                new NewConsumer(unique("c"), emoji, Map.of("team", emoji), Map.of("team", emoji)), false);

        Consumer read = km.consumers().get(bucket.name(), created.name(), false, KeyFormat.NONE);
        assertThat(read.description()).isEqualTo(emoji);
        assertThat(read.metadata()).containsEntry("team", emoji);
        assertThat(read.tags()).containsEntry("team", emoji);
    }

    @Test
    void getConsumerWhenNameHasNulThenNotFound() {
        Bucket bucket = newBucket(false);
        assertThatThrownBy(() -> km.consumers().get(bucket.name(), "c\u0000", false, KeyFormat.NONE))
                .isInstanceOf(NotFoundException.class);
    }

    @Test
    void getKeyWhenIdHasNulThenNotFound() {
        Bucket bucket = newBucket(false);
        Consumer consumer = newConsumer(bucket);
        assertThatThrownBy(() -> km.keys().get(bucket.name(), consumer.name(), "key_\u0000", KeyFormat.NONE))
                .isInstanceOf(NotFoundException.class);
    }

    @Test
    void listConsumersWhenNamePrefixHasNulThenFieldError() {
        Bucket bucket = newBucket(false);
        assertThat(catchThrowableOfType(InvalidInputException.class, () -> km.consumers().list(bucket.name(),
                new ConsumerQuery(10, null, null, false, KeyFormat.NONE, "x\u0000"))).errors())
                .extracting(FieldError::field).containsExactly("name-prefix");
    }

    @Test
    void listConsumersWhenTagFilterHasNulThenFieldError() {
        Bucket bucket = newBucket(false);
        assertThat(catchThrowableOfType(InvalidInputException.class, () -> km.consumers().list(bucket.name(),
                new ConsumerQuery(10, null, Map.of("env", "\u0000"), false, KeyFormat.NONE, null))).errors())
                .extracting(FieldError::field).containsExactly("tag.env");
    }

    @Test
    void createConsumerWhenRateLimitOutsideTheLibrarysRangeThenFieldError() {
        Bucket bucket = newBucket(false);
        assertThat(errorOf(() -> km.consumers().create(ACTOR, bucket.name(),
                new NewConsumer(unique("c"), null, Map.of("rateLimit", "9999999999/1s"), null), false)))
                .satisfies(e -> assertThat(e.field()).isEqualTo("metadata.rateLimit"))
                .satisfies(e -> assertThat(e.message()).contains("outside what the rate-limit library accepts"));
    }

    @Test
    void updateConsumerWhenRateLimitUnparsableThenFieldError() {
        Bucket bucket = newBucket(false);
        Consumer consumer = newConsumer(bucket);
        assertThat(errorOf(() -> km.consumers().update(ACTOR, bucket.name(), consumer.name(),
                new ConsumerChanges(null, Map.of("rateLimit", "fast"), null))).field()).isEqualTo("metadata.rateLimit");
    }

    @Test
    void updateConsumerWhenRateLimitNotAStringThenFieldError() {
        Bucket bucket = newBucket(false);
        Consumer consumer = newConsumer(bucket);
        assertThat(errorOf(() -> km.consumers().update(ACTOR, bucket.name(), consumer.name(),
                new ConsumerChanges(null, Map.of("rateLimit", 100), null))).field()).isEqualTo("metadata.rateLimit");
    }

    @Test
    void updateConsumerWhenRateLimitValidThenStored() {
        Bucket bucket = newBucket(false);
        Consumer consumer = newConsumer(bucket);
        assertThat(km.consumers().update(ACTOR, bucket.name(), consumer.name(),
                new ConsumerChanges(null, Map.of("rateLimit", "100/1s"), null)).metadata())
                .containsEntry("rateLimit", "100/1s");
    }
}
