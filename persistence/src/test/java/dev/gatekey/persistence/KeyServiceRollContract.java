package dev.gatekey.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.gatekey.store.Change;
import dev.gatekey.store.KeyHashes;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@link KeyService#roll} and keys under rotated or unknown master keys, on one database. */
abstract class KeyServiceRollContract extends DatabaseTestBase {

    /** A consumer with four keys: open-ended, expiring in an hour, expiring in 90 days, and revoked. */
    private record Keyring(Bucket bucket, Consumer consumer, ApiKey open, ApiKey soon, ApiKey late, ApiKey revoked) {
    }

    private Keyring keyring() {
        Bucket bucket = newBucket(false);
        Consumer consumer = newConsumerWithKey(bucket);
        ApiKey soon = km.keys().create(ACTOR, bucket.name(), consumer.name(), null, now().plus(Duration.ofHours(1)));
        ApiKey late = km.keys().create(ACTOR, bucket.name(), consumer.name(), null, now().plus(Duration.ofDays(90)));
        ApiKey revoked = km.keys().create(ACTOR, bucket.name(), consumer.name(), null, null);
        km.keys().revoke(ACTOR, bucket.name(), consumer.name(), revoked.id());
        return new Keyring(bucket, consumer, consumer.apiKeys().get(0), soon, late, revoked);
    }

    private ApiKey rollIn7Days(Keyring k) {
        return km.keys().roll(ACTOR, k.bucket().name(), k.consumer().name(), now().plus(Duration.ofDays(7)));
    }

    @Test
    void rollKeyWhenCalledThenNewKeyValidAndOpenEnded() {
        Keyring k = keyring();
        ApiKey rolled = rollIn7Days(k);
        assertThat(format.isValid(rolled.key())).isTrue();
        assertThat(rolled.expiresOn()).isNull();
        assertThat(rolled.revokedOn()).isNull();
        assertThat(keysById(k.bucket(), k.consumer()).get(rolled.id())).isNotNull();
    }

    @Test
    void rollKeyWhenDateInTheFutureThenActiveKeysExpireThenAndSoonerExpiriesKept() {
        Keyring k = keyring();
        Instant rollDate = now().plus(Duration.ofDays(7));
        rollIn7Days(k);
        Map<String, ApiKey> keys = keysById(k.bucket(), k.consumer());
        assertThat(keys.get(k.open().id()).expiresOn()).isEqualTo(rollDate);
        assertThat(keys.get(k.soon().id()).expiresOn()).isEqualTo(k.soon().expiresOn());
        assertThat(keys.get(k.late().id()).expiresOn()).isEqualTo(rollDate);
        assertThat(keys.get(k.revoked().id()).expiresOn()).isNull();
    }

    @Test
    void rollKeyWhenDateInTheFutureThenChangeRowsForTheCappedKeysAndTheNewKey() {
        Keyring k = keyring();
        long position = store().latestPosition();
        ApiKey rolled = rollIn7Days(k);
        // the new key is on the feed too: filters add it to their known keys
        assertThat(changesSince(position)).extracting(Change::keyHash).containsExactlyInAnyOrder(
                KeyHashes.sha256Hex(k.open().key()), KeyHashes.sha256Hex(k.late().key()),
                KeyHashes.sha256Hex(rolled.key()));
    }

    @Test
    void rollKeyWhenDateNullOrNotInTheFutureThenActiveKeysRevokedAtOnce() {
        Bucket bucket = newBucket(false);
        for (Instant date : new Instant[] {null, now(), now().minusSeconds(60)}) {
            Consumer consumer = newConsumerWithKey(bucket);
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
    void rollKeyWhenDescriptionGivenThenTheNewKeyLabelled() {
        Bucket bucket = newBucket(false);
        Consumer consumer = newConsumerWithKey(bucket);

        ApiKey rolled = km.keys().roll(ACTOR, bucket.name(), consumer.name(), "billing service", now().plusSeconds(3600));

        assertThat(rolled.description()).isEqualTo("billing service");
        assertThat(keysById(bucket, consumer).get(rolled.id()).description()).isEqualTo("billing service");
    }

    @Test
    void rollKeyWhenDescriptionTooLongThenFieldErrorAndNothingRolled() {
        Bucket bucket = newBucket(false);
        Consumer consumer = newConsumerWithKey(bucket);

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

    /**
     * The roll caps the old key and writes its change row before creating the new key fails (a
     * retrievable bucket without master keys): the whole transaction must roll back.
     */
    @Test
    void rollKeyWhenItFailsHalfwayThenNoChangeRowsAndNoCappedKeys() {
        Bucket bucket = newBucket(true);
        Consumer consumer = newConsumerWithKey(bucket);
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

    // ---------------------------------------------------------------- master keys

    /** A key made under {@code k1}, and services whose master keys are now {@code k2} (current) and {@code k1}. */
    private record Rotated(Bucket bucket, Consumer consumer, ApiKey old, KeyManagement after) {
    }

    private Rotated rotated() {
        String oldKey = MasterKeys.generateKey();
        KeyManagement before = new KeyManagement(db.database, format, MasterKeys.parse("k1:" + oldKey), clock);
        Bucket bucket = newBucket(true);
        Consumer consumer = before.consumers().create(ACTOR, bucket.name(), NewConsumer.named(unique("c")), true);
        KeyManagement after = new KeyManagement(db.database, format,
                MasterKeys.parse("k2:" + MasterKeys.generateKey() + ",k1:" + oldKey), clock);
        return new Rotated(bucket, consumer, consumer.apiKeys().get(0), after);
    }

    private String encryptedKeyOf(ApiKey key) {
        return db.strings("SELECT encrypted_key FROM gk_api_key WHERE public_id = '" + key.id() + "'").get(0);
    }

    @Test
    void getKeyWhenMasterKeysRotatedThenOldKeysStillShown() {
        Rotated r = rotated();
        assertThat(r.after().keys().get(ACTOR, r.bucket().name(), r.consumer().name(), r.old().id(), KeyFormat.VISIBLE)
                .key()).isEqualTo(r.old().key());
        assertThat(encryptedKeyOf(r.old())).startsWith("k1:");
    }

    @Test
    void createKeyWhenMasterKeysRotatedThenEncryptedUnderTheCurrentId() {
        Rotated r = rotated();
        ApiKey fresh = r.after().keys().create(ACTOR, r.bucket().name(), r.consumer().name(), null, null);
        assertThat(r.after().keys().get(ACTOR, r.bucket().name(), r.consumer().name(), fresh.id(), KeyFormat.VISIBLE)
                .key()).isEqualTo(fresh.key());
        assertThat(encryptedKeyOf(fresh)).startsWith("k2:");
    }

    @Test
    void getKeyWhenMasterKeyIdUnknownThenMasterKeyExceptionNamingTheId() {
        Bucket bucket = newBucket(true);
        Consumer consumer = newConsumerWithKey(bucket);
        KeyManagement other = new KeyManagement(db.database, format, MasterKeys.parse("k9:" + MasterKeys.generateKey()),
                clock);
        assertThatThrownBy(() -> other.keys().get(ACTOR, bucket.name(), consumer.name(), consumer.apiKeys().get(0).id(),
                KeyFormat.VISIBLE))
                .isInstanceOf(MasterKeyException.class)
                .hasMessageStartingWith("unknown master key id k2");
    }
}
