package dev.gatekey.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.gatekey.persistence.ConsumerChanges;
import dev.gatekey.persistence.ConsumerQuery;
import dev.gatekey.persistence.KeyChanges;
import dev.gatekey.persistence.NewConsumer;
import dev.gatekey.store.Change;
import dev.gatekey.store.KeyHashes;
import dev.gatekey.store.StoredKey;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Every {@link KeyManagement} operation, its successes and its typed errors, on one database. */
abstract class KeyManagementContract extends DatabaseTestBase {

    private JpaKeyStore store() {
        return new JpaKeyStore(db.database);
    }

    private Consumer newConsumer(Bucket bucket) {
        return km.consumers().create(ACTOR, bucket.name(), NewConsumer.named(unique("user")), false);
    }

    private List<Change> changesSince(long position) {
        return store().changesAfter(position, 1000);
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }

    // ---------------------------------------------------------------- schema

    @Test
    void migrationsCreateEveryTable() {
        assertThat(db.strings("SELECT \"version\" FROM \"gk_schema_history\" WHERE \"success\" = TRUE"))
                .contains("1");
        for (String table : List.of("gk_bucket", "gk_consumer", "gk_consumer_tag", "gk_api_key", "gk_change",
                "gk_audit_event")) {
            assertThat(db.count(table)).as(table).isGreaterThanOrEqualTo(0);
        }
    }

    @Test
    void openingAgainMigratesNothing() {
        try (GatekeyDatabase again = GatekeyDatabase.open(db.dataSource)) {
            assertThat(new JpaKeyStore(again).latestPosition()).isEqualTo(store().latestPosition());
        }
    }

    // ---------------------------------------------------------------- buckets

    @Test
    void createBucketReturnsItAndAudits() {
        Bucket bucket = newBucket(true);
        assertThat(bucket.retrievable()).isTrue();
        assertThat(bucket.createdOn()).isEqualTo(now()).isEqualTo(bucket.updatedOn());
        assertThat(km.buckets().get(bucket.name())).isEqualTo(bucket);
        assertThat(km.buckets().list()).contains(bucket);
        assertThat(store().findKeyPrefix(bucket.name())).contains(bucket.keyPrefix());
        assertThat(km.audit().list(1, null).data().get(0))
                .extracting(AuditEvent::actor, AuditEvent::action, AuditEvent::targetType, AuditEvent::targetId)
                .containsExactly(ACTOR, "bucket.create", "bucket", bucket.name());
    }

    @Test
    void createBucketDefaultsToRetrievable() {
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
    void createBucketWhenRetrievableWithoutMasterKeysThenInvalid() {
        KeyManagement noKeys = new KeyManagement(db.database, format, null, clock);
        InvalidInputException e = catchThrowableOfType(InvalidInputException.class,
                () -> noKeys.buckets().create(ACTOR, unique("nokeys-"), null, unique("nokeys"), null));
        assertThat(e.errors()).containsExactly(new FieldError("retrievable",
                "retrievable buckets need master keys: configure them or set retrievable to false"));
        assertThat(noKeys.buckets().create(ACTOR, unique("nokeys-"), null, unique("nokeys"), false).retrievable())
                .isFalse();
    }

    @Test
    void createBucketWhenNameOrPrefixTakenThenConflict() {
        Bucket bucket = newBucket(true);
        assertThatThrownBy(() -> km.buckets().create(ACTOR, bucket.name(), null, unique("other"), true))
                .isInstanceOf(ConflictException.class)
                .hasMessage("bucket " + bucket.name() + " already exists");
        assertThatThrownBy(() -> km.buckets().create(ACTOR, unique("other-"), null, bucket.keyPrefix(), true))
                .isInstanceOf(ConflictException.class)
                .hasMessage("key prefix " + bucket.keyPrefix() + " is already used by bucket " + bucket.name());
    }

    @Test
    void getBucketWhenMissingThenNotFound() {
        assertThatThrownBy(() -> km.buckets().get("no-such-bucket"))
                .isInstanceOf(NotFoundException.class)
                .hasMessage("bucket no-such-bucket not found");
        assertThat(store().findKeyPrefix("no-such-bucket")).isEmpty();
    }

    @Test
    void updateBucketChangesDescription() {
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

    // ---------------------------------------------------------------- consumers

    @Test
    void createConsumerStoresEverything() {
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
    void createConsumerWithApiKeyReturnsTheKeyVisible() {
        Bucket bucket = newBucket(false);
        Consumer created = km.consumers().create(ACTOR, bucket.name(), NewConsumer.named(unique("c")), true);
        assertThat(created.apiKeys()).hasSize(1);
        ApiKey key = created.apiKeys().get(0);
        assertThat(format.isValid(key.key())).isTrue();
        assertThat(key.key()).startsWith(bucket.keyPrefix() + "_");
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
    void sameConsumerNameInTwoBucketsIsFine() {
        Bucket one = newBucket(false);
        Bucket two = newBucket(false);
        km.consumers().create(ACTOR, one.name(), NewConsumer.named("shared"), false);
        assertThat(km.consumers().create(ACTOR, two.name(), NewConsumer.named("shared"), false).name()).isEqualTo("shared");
    }

    @Test
    void metadataExactlyAtTheLimitIsAccepted() {
        Bucket bucket = newBucket(false);
        Map<String, Object> metadata = metadataOfSize(1024);
        Consumer consumer = km.consumers().create(ACTOR, bucket.name(),
                new NewConsumer(unique("c"), null, metadata, null), false);
        assertThat(consumer.metadata()).isEqualTo(metadata);
    }

    @Test
    void metadataOverTheLimitIsTooLarge() {
        Bucket bucket = newBucket(false);
        assertThatThrownBy(() -> km.consumers().create(ACTOR, bucket.name(),
                new NewConsumer(unique("c"), null, metadataOfSize(1025), null), false))
                .isInstanceOf(PayloadTooLargeException.class)
                .hasMessage("metadata must not exceed 1024 bytes");
    }

    /** {"v":"xxx..."} serialized to exactly {@code bytes} bytes. */
    private static Map<String, Object> metadataOfSize(int bytes) {
        Map<String, Object> metadata = Map.of("v", "x".repeat(bytes - "{\"v\":\"\"}".length()));
        assertThat(Json.write(metadata)).hasSize(bytes);
        return metadata;
    }

    @Test
    void elevenTagsAreRejected() {
        Bucket bucket = newBucket(false);
        Map<String, String> tags = IntStream.range(0, 11).boxed()
                .collect(Collectors.toMap(i -> "t" + i, i -> "v"));
        InvalidInputException e = catchThrowableOfType(InvalidInputException.class, () -> km.consumers().create(ACTOR,
                bucket.name(), new NewConsumer(unique("c"), null, null, tags), false));
        assertThat(e.errors()).containsExactly(new FieldError("tags", "tags must not have more than 10 entries"));
        tags.remove("t10");
        assertThat(km.consumers().create(ACTOR, bucket.name(), new NewConsumer(unique("c"), null, null, tags), false)
                .tags()).hasSize(10);
    }

    @Test
    void badTagKeysAndValuesAreRejected() {
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

    // ---------------------------------------------------------------- values neither database can store faithfully

    private FieldError errorOf(Runnable write) {
        InvalidInputException e = catchThrowableOfType(InvalidInputException.class, write::run);
        assertThat(e).as("refused with 400").isNotNull();
        assertThat(e.errors()).hasSize(1);
        return e.errors().get(0);
    }

    @Test
    void infiniteMetadataNumberIsRefusedNamingItsPathNotStoredAsInfinity() {
        Bucket bucket = newBucket(false);
        Map<String, Object> metadata = Map.of("limits", List.of(1, Map.of("n", Double.POSITIVE_INFINITY)));

        FieldError error = errorOf(() -> km.consumers().create(ACTOR, bucket.name(),
                new NewConsumer(unique("c"), null, metadata, null), false));

        assertThat(error).isEqualTo(new FieldError("metadata.limits[1].n", "must be a finite number"));
        assertThat(db.strings("SELECT metadata_json FROM gk_consumer")).noneMatch(m -> m != null && m.contains("Infinity"));
    }

    @Test
    void nulAndLoneSurrogatesAreRefusedInEveryTextFieldNamingIt() {
        Bucket bucket = newBucket(false);
        Consumer consumer = km.consumers().create(ACTOR, bucket.name(), NewConsumer.named(unique("c")), false);
        String apiKeyId = km.keys().create(ACTOR, bucket.name(), consumer.name(), null, null).id();
        String unstorable = "must not contain NUL characters or unpaired surrogates";
        for (String bad : List.of("a\u0000b", "lone \ud800 high", "lone \udc00 low", "end \ud83d")) {
            assertThat(errorOf(() -> km.consumers().create(ACTOR, bucket.name(),
                    new NewConsumer(unique("c"), bad, null, null), false)))
                    .isEqualTo(new FieldError("description", unstorable));
            assertThat(errorOf(() -> km.consumers().create(ACTOR, bucket.name(),
                    new NewConsumer(unique("c"), null, Map.of("note", bad), null), false)))
                    .isEqualTo(new FieldError("metadata.note", unstorable));
            assertThat(errorOf(() -> km.consumers().update(ACTOR, bucket.name(), consumer.name(),
                    new ConsumerChanges(null, Map.of("x", Map.of(bad, 1)), null))))
                    .isEqualTo(new FieldError("metadata.x." + TextChecks.replaceUnstorable(bad), "names " + unstorable));
            assertThat(errorOf(() -> km.consumers().update(ACTOR, bucket.name(), consumer.name(),
                    new ConsumerChanges(null, null, Map.of("env", bad)))))
                    .isEqualTo(new FieldError("tags.env", unstorable));
            assertThat(errorOf(() -> km.buckets().create(ACTOR, unique("nul-"), bad, unique("nul"), false)))
                    .isEqualTo(new FieldError("description", unstorable));
            assertThat(errorOf(() -> km.keys().create(ACTOR, bucket.name(), consumer.name(), bad, null)))
                    .isEqualTo(new FieldError("description", unstorable));
            assertThat(errorOf(() -> km.keys().update(ACTOR, bucket.name(), consumer.name(), apiKeyId,
                    KeyChanges.description(bad)))).isEqualTo(new FieldError("description", unstorable));
        }
    }

    @Test
    void validSurrogatePairsAreStoredAndReadBackUnchanged() {
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
    void lookupsByNamesWithNulAreNotFoundNotADatabaseFailure() {
        Bucket bucket = newBucket(false);
        Consumer consumer = km.consumers().create(ACTOR, bucket.name(), NewConsumer.named(unique("c")), false);

        assertThatThrownBy(() -> km.buckets().get("a\u0000b")).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> km.consumers().get(bucket.name(), "c\u0000", false, KeyFormat.NONE))
                .isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> km.keys().get(bucket.name(), consumer.name(), "key_\u0000", KeyFormat.NONE))
                .isInstanceOf(NotFoundException.class);
        assertThat(catchThrowableOfType(InvalidInputException.class, () -> km.consumers().list(bucket.name(),
                new ConsumerQuery(10, null, null, false, KeyFormat.NONE, "x\u0000"))).errors())
                .extracting(FieldError::field).containsExactly("name-prefix");
        assertThat(catchThrowableOfType(InvalidInputException.class, () -> km.consumers().list(bucket.name(),
                new ConsumerQuery(10, null, Map.of("env", "\u0000"), false, KeyFormat.NONE, null))).errors())
                .extracting(FieldError::field).containsExactly("tag.env");
    }

    @Test
    void consumerRateLimitTheFilterCannotApplyIsRefusedOnWrite() {
        Bucket bucket = newBucket(false);
        Consumer consumer = km.consumers().create(ACTOR, bucket.name(), NewConsumer.named(unique("c")), false);

        assertThat(errorOf(() -> km.consumers().create(ACTOR, bucket.name(),
                new NewConsumer(unique("c"), null, Map.of("rateLimit", "9999999999/1s"), null), false)))
                .satisfies(e -> assertThat(e.field()).isEqualTo("metadata.rateLimit"))
                .satisfies(e -> assertThat(e.message()).contains("outside what the rate-limit library accepts"));
        assertThat(errorOf(() -> km.consumers().update(ACTOR, bucket.name(), consumer.name(),
                new ConsumerChanges(null, Map.of("rateLimit", "fast"), null))).field()).isEqualTo("metadata.rateLimit");
        assertThat(errorOf(() -> km.consumers().update(ACTOR, bucket.name(), consumer.name(),
                new ConsumerChanges(null, Map.of("rateLimit", 100), null))).field()).isEqualTo("metadata.rateLimit");
        assertThat(km.consumers().update(ACTOR, bucket.name(), consumer.name(),
                new ConsumerChanges(null, Map.of("rateLimit", "100/1s"), null)).metadata())
                .containsEntry("rateLimit", "100/1s");
    }

    @Test
    void getConsumerWithKeysInEveryFormat() {
        Bucket bucket = newBucket(true);
        Consumer consumer = km.consumers().create(ACTOR, bucket.name(), NewConsumer.named(unique("c")), true);
        String text = consumer.apiKeys().get(0).key();
        assertThat(km.consumers().get(bucket.name(), consumer.name(), true, KeyFormat.NONE).apiKeys())
                .extracting(ApiKey::key).containsExactly((String) null);
        assertThat(km.consumers().get(bucket.name(), consumer.name(), true, KeyFormat.MASKED).apiKeys())
                .extracting(ApiKey::key).containsExactly(dev.gatekey.format.ApiKeyFormat.mask(text));
        assertThat(km.consumers().get(ACTOR, bucket.name(), consumer.name(), true, KeyFormat.VISIBLE).apiKeys())
                .extracting(ApiKey::key).containsExactly(text);
    }

    @Test
    void getKeyVisibleIsAuditedAsKeyRevealedWithTheKeyIdOnly() {
        Bucket bucket = newBucket(true);
        Consumer consumer = km.consumers().create(ACTOR, bucket.name(), NewConsumer.named(unique("c")), true);
        ApiKey key = consumer.apiKeys().get(0);

        km.keys().get("auditor", bucket.name(), consumer.name(), key.id(), KeyFormat.VISIBLE);

        AuditEvent event = km.audit().list(1, null).data().get(0);
        assertThat(event).extracting(AuditEvent::actor, AuditEvent::action, AuditEvent::targetType,
                AuditEvent::targetId).containsExactly("auditor", AuditService.KEY_REVEALED, "key", key.id());
        assertThat(event.toString()).doesNotContain(key.key());
    }

    @Test
    void listingsWithVisibleKeysAuditEachKeyRevealed() {
        Bucket bucket = newBucket(true);
        Consumer consumer = km.consumers().create(ACTOR, bucket.name(), NewConsumer.named(unique("c")), true);
        ApiKey second = km.keys().create(ACTOR, bucket.name(), consumer.name(), null, null);

        km.keys().list("auditor", bucket.name(), consumer.name(), KeyFormat.VISIBLE);
        km.consumers().list("auditor", bucket.name(), new ConsumerQuery(10, null, null, true, KeyFormat.VISIBLE));
        km.consumers().get("auditor", bucket.name(), consumer.name(), true, KeyFormat.VISIBLE);

        assertThat(km.audit().list(6, null).data()).extracting(AuditEvent::action, AuditEvent::targetId)
                .containsOnly(tuple(AuditService.KEY_REVEALED, consumer.apiKeys().get(0).id()),
                        tuple(AuditService.KEY_REVEALED, second.id()))
                .hasSize(6);
    }

    @Test
    void maskedReadsAreNotAudited() {
        Bucket bucket = newBucket(true);
        Consumer consumer = km.consumers().create(ACTOR, bucket.name(), NewConsumer.named(unique("c")), true);

        km.keys().list("auditor", bucket.name(), consumer.name(), KeyFormat.MASKED);

        assertThat(km.audit().list(1, null).data().get(0).action()).isEqualTo("key.create");
    }

    @Test
    void visibleKeysWithoutAnActorAreRefusedSinceTheyCannotBeAudited() {
        Bucket bucket = newBucket(true);
        Consumer consumer = km.consumers().create(ACTOR, bucket.name(), NewConsumer.named(unique("c")), true);

        assertThatThrownBy(() -> km.keys().list(bucket.name(), consumer.name(), KeyFormat.VISIBLE))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("audited");
    }

    @Test
    void visibleKeysOfAnIrretrievableBucketConflict() {
        Bucket bucket = newBucket(false);
        Consumer consumer = km.consumers().create(ACTOR, bucket.name(), NewConsumer.named(unique("c")), true);
        String message = "keys of bucket " + bucket.name() + " are not retrievable";
        assertThatThrownBy(() -> km.consumers().get(ACTOR, bucket.name(), consumer.name(), true, KeyFormat.VISIBLE))
                .isInstanceOf(ConflictException.class).hasMessage(message);
        assertThatThrownBy(() -> km.keys().list(ACTOR, bucket.name(), consumer.name(), KeyFormat.VISIBLE))
                .isInstanceOf(ConflictException.class).hasMessage(message);
        assertThatThrownBy(() -> km.keys().get(ACTOR, bucket.name(), consumer.name(), consumer.apiKeys().get(0).id(),
                KeyFormat.VISIBLE)).isInstanceOf(ConflictException.class).hasMessage(message);
        assertThat(db.strings("SELECT encrypted_key FROM gk_api_key WHERE public_id = '"
                + consumer.apiKeys().get(0).id() + "'")).containsExactly((String) null);
    }

    @Test
    void getConsumerWhenMissingThenNotFound() {
        Bucket bucket = newBucket(false);
        assertThatThrownBy(() -> km.consumers().get(bucket.name(), "nobody", false, KeyFormat.NONE))
                .isInstanceOf(NotFoundException.class).hasMessage("consumer nobody not found");
    }

    @Test
    void updateConsumerMetadataWritesAChangePerKey() {
        Bucket bucket = newBucket(false);
        Consumer consumer = km.consumers().create(ACTOR, bucket.name(), NewConsumer.named(unique("c")), true);
        ApiKey second = km.keys().create(ACTOR, bucket.name(), consumer.name(), "second", null);
        long position = store().latestPosition();
        clock.advance(Duration.ofSeconds(5));
        Consumer updated = km.consumers().update(ACTOR, bucket.name(), consumer.name(),
                new ConsumerChanges("new", Map.of("roles", List.of("viewer")), Map.of("team", "blue")));
        assertThat(updated.description()).isEqualTo("new");
        assertThat(updated.metadata()).isEqualTo(Map.of("roles", List.of("viewer")));
        assertThat(updated.tags()).isEqualTo(Map.of("team", "blue"));
        assertThat(updated.updatedOn()).isEqualTo(now());
        assertThat(changesSince(position)).extracting(Change::keyHash).containsExactlyInAnyOrder(
                KeyHashes.sha256Hex(consumer.apiKeys().get(0).key()), KeyHashes.sha256Hex(second.key()));
        assertThat(store().findByHash(KeyHashes.sha256Hex(second.key())).orElseThrow().metadata())
                .isEqualTo(Map.of("roles", List.of("viewer")));
    }

    @Test
    void updateConsumerWithoutMetadataWritesNoChange() {
        Bucket bucket = newBucket(false);
        Consumer consumer = km.consumers().create(ACTOR, bucket.name(), NewConsumer.named(unique("c")), true);
        long position = store().latestPosition();
        Consumer updated = km.consumers().update(ACTOR, bucket.name(), consumer.name(),
                new ConsumerChanges("only words", null, null));
        assertThat(updated.metadata()).isEqualTo(consumer.metadata());
        assertThat(changesSince(position)).isEmpty();
    }

    @Test
    void updateConsumerWhenMetadataTooLargeThenNothingChanges() {
        Bucket bucket = newBucket(false);
        Consumer consumer = km.consumers().create(ACTOR, bucket.name(), NewConsumer.named(unique("c")), true);
        long position = store().latestPosition();
        assertThatThrownBy(() -> km.consumers().update(ACTOR, bucket.name(), consumer.name(),
                new ConsumerChanges("changed", metadataOfSize(2000), null)))
                .isInstanceOf(PayloadTooLargeException.class);
        assertThat(changesSince(position)).isEmpty();
        assertThat(km.consumers().get(bucket.name(), consumer.name(), false, KeyFormat.NONE).description()).isNull();
    }

    @Test
    void deleteConsumerRevokesEveryKeyAndFreesTheName() {
        Bucket bucket = newBucket(false);
        Consumer consumer = km.consumers().create(ACTOR, bucket.name(), NewConsumer.named(unique("c")), true);
        ApiKey second = km.keys().create(ACTOR, bucket.name(), consumer.name(), null, null);
        long position = store().latestPosition();
        clock.advance(Duration.ofMinutes(1));
        km.consumers().delete(ACTOR, bucket.name(), consumer.name());

        Instant now = now();
        for (String text : List.of(consumer.apiKeys().get(0).key(), second.key())) {
            StoredKey stored = store().findByHash(KeyHashes.sha256Hex(text)).orElseThrow();
            assertThat(stored.revokedOn()).isEqualTo(now);
            assertThat(stored.consumerEnabled()).isFalse();
        }
        assertThat(changesSince(position)).hasSize(2).allMatch(c -> c.type() == Change.Type.KEY);
        assertThatThrownBy(() -> km.consumers().get(bucket.name(), consumer.name(), false, KeyFormat.NONE))
                .isInstanceOf(NotFoundException.class);
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

    // ---------------------------------------------------------------- pagination

    @Test
    void listConsumersPagesThroughTagFilteredConsumersWithoutGapsOrDuplicates() {
        Bucket bucket = newBucket(false);
        Set<String> expected = new HashSet<>();
        for (int i = 0; i < 23; i++) {
            Map<String, String> tags = new LinkedHashMap<>();
            tags.put("env", i % 2 == 0 ? "prod" : "test");
            tags.put("team", i % 3 == 0 ? "blue" : "red");
            String name = "c" + i;
            km.consumers().create(ACTOR, bucket.name(), new NewConsumer(name, null, null, tags), false);
            if (i % 2 == 0 && i % 3 != 0) {
                expected.add(name);
            }
        }
        List<String> seen = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            Page<Consumer> page = km.consumers().list(bucket.name(), new ConsumerQuery(3, cursor,
                    Map.of("env", "prod", "team", "red"), false, KeyFormat.NONE));
            assertThat(page.data()).hasSizeLessThanOrEqualTo(3);
            page.data().forEach(c -> seen.add(c.name()));
            cursor = page.nextCursor();
            pages++;
        } while (cursor != null);
        assertThat(seen).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(expected);
        assertThat(expected).hasSize(8);
        assertThat(pages).isEqualTo(3);
    }

    @Test
    void listConsumersWithNamePrefixPagesThroughTheMatchingNamesOnlyAndTakesWildcardsLiterally() {
        Bucket bucket = newBucket(false);
        for (String name : List.of("acme-1", "acme-2", "Acme-3", "bolt", "acme-4", "acme_5", "acmeX6", "acme-7")) {
            km.consumers().create(ACTOR, bucket.name(), NewConsumer.named(name), false);
        }
        List<String> seen = new ArrayList<>();
        String cursor = null;
        do {
            Page<Consumer> page = km.consumers().list(bucket.name(),
                    new ConsumerQuery(2, cursor, null, false, KeyFormat.NONE, "acme-"));
            page.data().forEach(c -> seen.add(c.name()));
            cursor = page.nextCursor();
        } while (cursor != null);
        assertThat(seen).containsExactly("acme-1", "acme-2", "acme-4", "acme-7");

        // "_" and "%" are characters of a name here, not LIKE wildcards
        assertThat(km.consumers().list(bucket.name(), new ConsumerQuery(10, null, null, false, KeyFormat.NONE, "acme_"))
                .data()).extracting(Consumer::name).containsExactly("acme_5");
        assertThat(km.consumers().list(bucket.name(), new ConsumerQuery(10, null, null, false, KeyFormat.NONE, "acme%"))
                .data()).isEmpty();
        assertThat(km.consumers().list(bucket.name(), new ConsumerQuery(10, null, null, false, KeyFormat.NONE, ""))
                .data()).hasSize(8);
    }

    @Test
    void listConsumersWhenNamePrefixIsLongerThanANameThenInvalid() {
        Bucket bucket = newBucket(false);
        InvalidInputException e = catchThrowableOfType(InvalidInputException.class,
                () -> km.consumers().list(bucket.name(), new ConsumerQuery(10, null, null, false, KeyFormat.NONE,
                        "a".repeat(ConsumerService.MAX_CONSUMER_NAME_LENGTH + 1))));
        assertThat(e.errors()).containsExactly(new FieldError("name-prefix", "must be at most 128 characters"));
    }

    @Test
    void listConsumersLastPageHasNoCursorAndSkipsDeleted() {
        Bucket bucket = newBucket(false);
        Consumer a = newConsumer(bucket);
        Consumer b = newConsumer(bucket);
        km.consumers().delete(ACTOR, bucket.name(), a.name());
        Page<Consumer> page = km.consumers().list(bucket.name(), new ConsumerQuery(null, null, null, true,
                KeyFormat.MASKED));
        assertThat(page.data()).extracting(Consumer::name).containsExactly(b.name());
        assertThat(page.data().get(0).apiKeys()).isEmpty();
        assertThat(page.nextCursor()).isNull();
    }

    @Test
    void listConsumersIncludesKeysInTheAskedFormat() {
        Bucket bucket = newBucket(true);
        Consumer consumer = km.consumers().create(ACTOR, bucket.name(), NewConsumer.named(unique("c")), true);
        Page<Consumer> page = km.consumers().list(ACTOR, bucket.name(), new ConsumerQuery(10, null, null, true,
                KeyFormat.VISIBLE));
        assertThat(page.data().get(0).apiKeys()).extracting(ApiKey::key)
                .containsExactly(consumer.apiKeys().get(0).key());
    }

    @Test
    void listConsumersWhenCursorIsGarbageThenInvalidCursor() {
        Bucket bucket = newBucket(false);
        for (String bad : List.of("!!!", "bm90LWEtY3Vyc29y", "djE6LTU")) {
            InvalidInputException e = catchThrowableOfType(InvalidInputException.class,
                    () -> km.consumers().list(bucket.name(), new ConsumerQuery(10, bad, null, false, null)));
            assertThat(e.errors()).as(bad).containsExactly(new FieldError("cursor", "cursor is invalid"));
        }
    }

    @Test
    void listConsumersWhenLimitOutOfRangeThenInvalidLimit() {
        Bucket bucket = newBucket(false);
        for (int bad : new int[] {0, 1001}) {
            InvalidInputException e = catchThrowableOfType(InvalidInputException.class,
                    () -> km.consumers().list(bucket.name(), ConsumerQuery.first(bad)));
            assertThat(e.errors()).containsExactly(new FieldError("limit", "limit must be between 1 and 1000"));
        }
    }

    // ---------------------------------------------------------------- keys

    @Test
    void createKeyReturnsItVisibleOnceAndMaskedAfterwards() {
        Bucket bucket = newBucket(false);
        Consumer consumer = newConsumer(bucket);
        Instant expiry = now().plus(Duration.ofDays(30));
        ApiKey key = km.keys().create(ACTOR, bucket.name(), consumer.name(), "ci runner", expiry);
        assertThat(key.id()).startsWith("key_");
        assertThat(format.isValid(key.key())).isTrue();
        assertThat(key.expiresOn()).isEqualTo(expiry);
        assertThat(key.createdOn()).isEqualTo(now());
        ApiKey read = km.keys().get(bucket.name(), consumer.name(), key.id(), KeyFormat.MASKED);
        assertThat(read.key()).isEqualTo(dev.gatekey.format.ApiKeyFormat.mask(key.key()));
        assertThat(read).usingRecursiveComparison().ignoringFields("key").isEqualTo(key);
        assertThat(km.keys().list(bucket.name(), consumer.name(), KeyFormat.NONE)).extracting(ApiKey::id)
                .containsExactly(key.id());
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
    void keysOfAnotherConsumerAreNotFound() {
        Bucket bucket = newBucket(false);
        Consumer owner = km.consumers().create(ACTOR, bucket.name(), NewConsumer.named(unique("c")), true);
        Consumer other = newConsumer(bucket);
        String keyId = owner.apiKeys().get(0).id();
        assertThatThrownBy(() -> km.keys().revoke(ACTOR, bucket.name(), other.name(), keyId))
                .isInstanceOf(NotFoundException.class);
    }

    @Test
    void updateKeyExpiryWritesAChangeButDescriptionDoesNot() {
        Bucket bucket = newBucket(false);
        Consumer consumer = km.consumers().create(ACTOR, bucket.name(), NewConsumer.named(unique("c")), true);
        ApiKey key = consumer.apiKeys().get(0);
        long position = store().latestPosition();
        ApiKey described = km.keys().update(ACTOR, bucket.name(), consumer.name(), key.id(), KeyChanges.description("d"));
        assertThat(described.description()).isEqualTo("d");
        assertThat(changesSince(position)).isEmpty();

        Instant expiry = now().plus(Duration.ofHours(1));
        ApiKey expiring = km.keys().update(ACTOR, bucket.name(), consumer.name(), key.id(), KeyChanges.expiresOn(expiry));
        assertThat(expiring.expiresOn()).isEqualTo(expiry);
        assertThat(expiring.description()).isEqualTo("d");
        assertThat(changesSince(position)).extracting(Change::type, Change::keyHash)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(Change.Type.KEY, KeyHashes.sha256Hex(key.key())));
    }

    @Test
    void updateKeyWhenExpiryInThePastThenFieldErrorAndNoChange() {
        Bucket bucket = newBucket(false);
        Consumer consumer = km.consumers().create(ACTOR, bucket.name(), NewConsumer.named(unique("c")), true);
        long position = store().latestPosition();
        InvalidInputException e = catchThrowableOfType(InvalidInputException.class, () -> km.keys().update(ACTOR,
                bucket.name(), consumer.name(), consumer.apiKeys().get(0).id(),
                KeyChanges.expiresOn(now().minusSeconds(1))));
        assertThat(e.errors()).containsExactly(new FieldError("expiresOn", "expiresOn must be in the future"));
        assertThat(changesSince(position)).isEmpty();
    }

    @Test
    void revokeKeyIsIdempotent() {
        Bucket bucket = newBucket(false);
        Consumer consumer = km.consumers().create(ACTOR, bucket.name(), NewConsumer.named(unique("c")), true);
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

    // ---------------------------------------------------------------- roll

    @Test
    void rollKeyWithFutureDateLetsActiveKeysExpireThenKeepsSoonerExpiries() {
        Bucket bucket = newBucket(false);
        Consumer consumer = km.consumers().create(ACTOR, bucket.name(), NewConsumer.named(unique("c")), true);
        ApiKey open = consumer.apiKeys().get(0);
        ApiKey soon = km.keys().create(ACTOR, bucket.name(), consumer.name(), null, now().plus(Duration.ofHours(1)));
        ApiKey late = km.keys().create(ACTOR, bucket.name(), consumer.name(), null, now().plus(Duration.ofDays(90)));
        ApiKey revoked = km.keys().create(ACTOR, bucket.name(), consumer.name(), null, null);
        km.keys().revoke(ACTOR, bucket.name(), consumer.name(), revoked.id());
        long position = store().latestPosition();

        Instant rollDate = now().plus(Duration.ofDays(7));
        ApiKey rolled = km.keys().roll(ACTOR, bucket.name(), consumer.name(), rollDate);

        assertThat(format.isValid(rolled.key())).isTrue();
        assertThat(rolled.expiresOn()).isNull();
        assertThat(rolled.revokedOn()).isNull();
        Map<String, ApiKey> keys = keysById(bucket, consumer);
        assertThat(keys.get(open.id()).expiresOn()).isEqualTo(rollDate);
        assertThat(keys.get(soon.id()).expiresOn()).isEqualTo(soon.expiresOn());
        assertThat(keys.get(late.id()).expiresOn()).isEqualTo(rollDate);
        assertThat(keys.get(revoked.id()).expiresOn()).isNull();
        assertThat(keys.get(rolled.id())).isNotNull();
        // the new key is on the feed too: filters add it to their known keys
        assertThat(changesSince(position)).extracting(Change::keyHash).containsExactlyInAnyOrder(
                KeyHashes.sha256Hex(open.key()), KeyHashes.sha256Hex(late.key()), KeyHashes.sha256Hex(rolled.key()));
    }

    @Test
    void rollKeyWithNullOrPastDateRevokesActiveKeysAtOnce() {
        Bucket bucket = newBucket(false);
        for (Instant date : new Instant[] {null, now(), now().minusSeconds(60)}) {
            Consumer consumer = km.consumers().create(ACTOR, bucket.name(), NewConsumer.named(unique("c")), true);
            ApiKey old = consumer.apiKeys().get(0);
            long position = store().latestPosition();
            ApiKey rolled = km.keys().roll(ACTOR, bucket.name(), consumer.name(), date);
            Map<String, ApiKey> keys = keysById(bucket, consumer);
            assertThat(keys.get(old.id()).revokedOn()).as("date %s", date).isEqualTo(now());
            assertThat(keys.get(rolled.id()).revokedOn()).isNull();
            assertThat(changesSince(position)).extracting(Change::keyHash)
                    .containsExactlyInAnyOrder(KeyHashes.sha256Hex(old.key()), KeyHashes.sha256Hex(rolled.key()));
        }
    }

    @Test
    void rollKeyWithDescriptionLabelsTheNewKey() {
        Bucket bucket = newBucket(false);
        Consumer consumer = km.consumers().create(ACTOR, bucket.name(), NewConsumer.named(unique("c")), true);

        ApiKey rolled = km.keys().roll(ACTOR, bucket.name(), consumer.name(), "billing service", now().plusSeconds(3600));

        assertThat(rolled.description()).isEqualTo("billing service");
        assertThat(keysById(bucket, consumer).get(rolled.id()).description()).isEqualTo("billing service");
    }

    @Test
    void rollKeyWhenDescriptionTooLongThenFieldErrorAndNothingRolled() {
        Bucket bucket = newBucket(false);
        Consumer consumer = km.consumers().create(ACTOR, bucket.name(), NewConsumer.named(unique("c")), true);

        InvalidInputException e = catchThrowableOfType(InvalidInputException.class,
                () -> km.keys().roll(ACTOR, bucket.name(), consumer.name(), "x".repeat(1001), null));

        assertThat(e.errors()).containsExactly(
                new FieldError("description", "description must be at most 1000 characters"));
        assertThat(keysById(bucket, consumer)).hasSize(1);
        assertThat(keysById(bucket, consumer).get(consumer.apiKeys().get(0).id()).revokedOn()).isNull();
    }

    @Test
    void rollKeyWhenConsumerMissingThenNotFoundAndNothingWritten() {
        Bucket bucket = newBucket(false);
        long keys = db.count("gk_api_key");
        assertThatThrownBy(() -> km.keys().roll(ACTOR, bucket.name(), "nobody", null))
                .isInstanceOf(NotFoundException.class);
        assertThat(db.count("gk_api_key")).isEqualTo(keys);
    }

    private Map<String, ApiKey> keysById(Bucket bucket, Consumer consumer) {
        return km.keys().list(bucket.name(), consumer.name(), KeyFormat.NONE).stream()
                .collect(Collectors.toMap(ApiKey::id, k -> k));
    }

    // ---------------------------------------------------------------- flush and audit

    @Test
    void createKeyPutsTheNewKeyOnTheChangeFeed() {
        Bucket bucket = newBucket(false);
        Consumer consumer = newConsumer(bucket);
        long position = store().latestPosition();

        ApiKey key = km.keys().create(ACTOR, bucket.name(), consumer.name(), null, null);

        assertThat(changesSince(position)).extracting(Change::type, Change::keyHash)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(Change.Type.KEY, KeyHashes.sha256Hex(key.key())));
    }

    @Test
    void flushCachesWritesAFlushChange() {
        long position = store().latestPosition();
        km.keys().flushCaches(ACTOR);
        assertThat(changesSince(position)).singleElement().satisfies(c -> {
            assertThat(c.type()).isEqualTo(Change.Type.FLUSH);
            assertThat(c.keyHash()).isNull();
            assertThat(c.createdOn()).isEqualTo(now());
        });
        assertThat(km.audit().list(1, null).data().get(0).action()).isEqualTo("cache.flush");
    }

    @Test
    void auditEventsNeverContainKeyMaterial() {
        Bucket bucket = newBucket(true);
        Consumer consumer = km.consumers().create(ACTOR, bucket.name(), NewConsumer.named(unique("c")), true);
        ApiKey first = consumer.apiKeys().get(0);
        ApiKey rolled = km.keys().roll(ACTOR, bucket.name(), consumer.name(), now().plus(Duration.ofDays(1)));
        km.keys().revoke(ACTOR, bucket.name(), consumer.name(), rolled.id());
        km.consumers().delete(ACTOR, bucket.name(), consumer.name());

        List<String> rows = db.strings("SELECT actor, action, target_type, target_id, detail FROM gk_audit_event");
        for (ApiKey key : List.of(first, rolled)) {
            String body = key.key().substring(bucket.keyPrefix().length() + 1, bucket.keyPrefix().length() + 41);
            assertThat(rows).noneMatch(r -> r.contains(key.key()) || r.contains(KeyHashes.sha256Hex(key.key()))
                    || r.contains(body));
        }
        assertThat(rows).anyMatch(r -> r.equals(ACTOR + "|key.revoke|key|" + rolled.id() + "|bucket="
                + bucket.name() + " consumer=" + consumer.name()));
    }

    @Test
    void auditEventsPageNewestFirst() {
        Bucket bucket = newBucket(false);
        newConsumer(bucket);
        newConsumer(bucket);
        Page<AuditEvent> first = km.audit().list(2, null);
        Page<AuditEvent> second = km.audit().list(2, first.nextCursor());
        assertThat(first.data()).extracting(AuditEvent::action).containsExactly("consumer.create", "consumer.create");
        assertThat(second.data().get(0).action()).isEqualTo("bucket.create");
        assertThat(first.data().get(0).id()).isGreaterThan(first.data().get(1).id());
        assertThat(first.data().get(1).id()).isGreaterThan(second.data().get(0).id());
        assertThatThrownBy(() -> km.audit().list(2, "garbage")).isInstanceOf(InvalidInputException.class);
    }

    @Test
    void failedOperationsWriteNoAuditEvent() {
        Bucket bucket = newBucket(false);
        long events = db.count("gk_audit_event");
        assertThatThrownBy(() -> km.consumers().create(ACTOR, bucket.name(), NewConsumer.named("x y"), false))
                .isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> km.buckets().delete(ACTOR, "nothing-here")).isInstanceOf(NotFoundException.class);
        assertThat(db.count("gk_audit_event")).isEqualTo(events);
    }

    // ---------------------------------------------------------------- master key rotation

    @Test
    void rotatedMasterKeysStillRevealOldKeysAndEncryptNewOnesWithTheCurrentId() {
        String oldKey = MasterKeys.generateKey();
        KeyManagement before = new KeyManagement(db.database, format, MasterKeys.parse("k1:" + oldKey), clock);
        Bucket bucket = newBucket(true);
        Consumer consumer = before.consumers().create(ACTOR, bucket.name(), NewConsumer.named(unique("c")), true);
        ApiKey old = consumer.apiKeys().get(0);

        KeyManagement after = new KeyManagement(db.database, format,
                MasterKeys.parse("k2:" + MasterKeys.generateKey() + ",k1:" + oldKey), clock);
        ApiKey fresh = after.keys().create(ACTOR, bucket.name(), consumer.name(), null, null);
        assertThat(after.keys().get(ACTOR, bucket.name(), consumer.name(), old.id(), KeyFormat.VISIBLE).key())
                .isEqualTo(old.key());
        assertThat(after.keys().get(ACTOR, bucket.name(), consumer.name(), fresh.id(), KeyFormat.VISIBLE).key())
                .isEqualTo(fresh.key());
        assertThat(db.strings("SELECT encrypted_key FROM gk_api_key WHERE public_id = '" + fresh.id() + "'").get(0))
                .startsWith("k2:");
        assertThat(db.strings("SELECT encrypted_key FROM gk_api_key WHERE public_id = '" + old.id() + "'").get(0))
                .startsWith("k1:");
    }

    @Test
    void revealingAKeyUnderAnUnknownMasterKeyNamesTheId() {
        Bucket bucket = newBucket(true);
        Consumer consumer = km.consumers().create(ACTOR, bucket.name(), NewConsumer.named(unique("c")), true);
        KeyManagement other = new KeyManagement(db.database, format, MasterKeys.parse("k9:" + MasterKeys.generateKey()),
                clock);
        assertThatThrownBy(() -> other.keys().get(ACTOR, bucket.name(), consumer.name(), consumer.apiKeys().get(0).id(),
                KeyFormat.VISIBLE))
                .isInstanceOf(MasterKeyException.class)
                .hasMessageStartingWith("unknown master key id k2");
    }

    /**
     * The roll caps the old key and writes its change row before creating the new key fails (a
     * retrievable bucket without master keys): the whole transaction must roll back.
     */
    @Test
    void rollKeyThatFailsHalfwayLeavesNoChangeRowsAndNoCappedKeys() {
        Bucket bucket = newBucket(true);
        Consumer consumer = km.consumers().create(ACTOR, bucket.name(), NewConsumer.named(unique("c")), true);
        ApiKey old = consumer.apiKeys().get(0);
        long position = store().latestPosition();
        long events = db.count("gk_audit_event");
        KeyManagement withoutMasterKeys = new KeyManagement(db.database, format, null, clock);

        assertThatThrownBy(() -> withoutMasterKeys.keys().roll(ACTOR, bucket.name(), consumer.name(), null))
                .isInstanceOf(ConflictException.class)
                .hasMessage("keys of bucket " + bucket.name() + " are retrievable but no master keys are configured");
        assertThat(changesSince(position)).isEmpty();
        assertThat(db.count("gk_audit_event")).isEqualTo(events);
        assertThat(km.keys().list(bucket.name(), consumer.name(), KeyFormat.NONE)).singleElement()
                .satisfies(k -> {
                    assertThat(k.id()).isEqualTo(old.id());
                    assertThat(k.revokedOn()).isNull();
                });
    }
}
