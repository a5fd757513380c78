package dev.gatekey.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.tuple;

import dev.gatekey.store.Change;
import dev.gatekey.store.CreditPolicy.Interval;
import dev.gatekey.store.KeyHashes;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Key policies (scopes, IP allowlists, credits) through {@link KeyService} and {@link ConsumerService}: create,
 * update, roll, their validation messages, change rows and audit events, on one database (credit adjustments and
 * refill dates: {@link CreditAdjustmentContract}).
 */
abstract class KeyPolicyServiceContract extends DatabaseTestBase {

    static final List<String> SCOPES = List.of("orders:read", "orders:write");
    static final List<String> IPS = List.of("10.0.0.0/8", "2001:db8::/32");

    static NewKey policyKey() {
        return NewKey.plain().withScopes(SCOPES).withAllowedIps(IPS)
                .withCredits(Credits.of(1000, Credits.Refill.monthly(1000, 15)));
    }

    private ApiKey createKey(Bucket bucket, Consumer consumer, NewKey newKey) {
        return km.keys().create(ACTOR, bucket.name(), consumer.name(), newKey);
    }

    private FieldError createError(NewKey newKey) {
        Bucket bucket = newBucket(false);
        Consumer consumer = newConsumer(bucket);
        return errorOf(() -> createKey(bucket, consumer, newKey));
    }

    @Test
    void createKeyWhenPolicyGivenThenReturnedWithIt() {
        clock.set(Instant.parse("2030-01-01T00:00:00.123456789Z"));
        Bucket bucket = newBucket(false);
        ApiKey key = createKey(bucket, newConsumer(bucket), policyKey());
        assertThat(key.scopes()).containsExactlyElementsOf(SCOPES);
        assertThat(key.allowedIps()).containsExactlyElementsOf(IPS);
        assertThat(key.credits()).isEqualTo(new Credits(1000, Credits.Refill.monthly(1000, 15),
                Instant.parse("2030-01-15T00:00:00Z")));
    }

    @Test
    void getKeyWhenCreatedWithPolicyThenReadBackWithIt() {
        Bucket bucket = newBucket(false);
        Consumer consumer = newConsumer(bucket);
        ApiKey key = createKey(bucket, consumer, policyKey());
        ApiKey read = km.keys().get(bucket.name(), consumer.name(), key.id(), KeyFormat.NONE);
        assertThat(read).usingRecursiveComparison().ignoringFields("key").isEqualTo(key);
    }

    @Test
    void createKeyWhenNoPolicyThenNoScopesAnywhereAndUnlimited() {
        Bucket bucket = newBucket(false);
        ApiKey key = km.keys().create(ACTOR, bucket.name(), newConsumer(bucket).name(), "plain", null);
        assertThat(key.scopes()).isEmpty();
        assertThat(key.allowedIps()).isEmpty();
        assertThat(key.credits()).isNull();
    }

    @Test
    void createKeyWhenScopesRepeatedThenKeptOnce() {
        Bucket bucket = newBucket(false);
        ApiKey key = createKey(bucket, newConsumer(bucket), NewKey.plain().withScopes(List.of("a", "b", "a")));
        assertThat(key.scopes()).containsExactly("a", "b");
    }

    @Test
    void createConsumerWhenKeyWithPolicyThenItsKeyHasIt() {
        Bucket bucket = newBucket(false);
        Consumer consumer = km.consumers().create(ACTOR, bucket.name(), NewConsumer.named(unique("c")),
                policyKey().withDescription("first"));
        ApiKey key = consumer.apiKeys().get(0);
        assertThat(key.description()).isEqualTo("first");
        assertThat(key.scopes()).containsExactlyElementsOf(SCOPES);
        assertThat(key.credits().remaining()).isEqualTo(1000);
    }

    @Test
    void createConsumerWhenKeyPolicyInvalidThenFieldErrorAndNoConsumer() {
        Bucket bucket = newBucket(false);
        String name = unique("c");
        FieldError error = errorOf(() -> km.consumers().create(ACTOR, bucket.name(), NewConsumer.named(name),
                NewKey.plain().withScopes(List.of("Bad"))));
        assertThat(error).isEqualTo(new FieldError("scopes", "scope must match ^[a-z][a-z0-9:._-]{0,63}$"));
        assertThat(km.consumers().list(bucket.name(), new ConsumerQuery(null, null, null, false, null, null))
                .data()).isEmpty();
    }

    @Test
    void createKeyWhenPolicyGivenThenOneChangeRowAndAudited() {
        Bucket bucket = newBucket(false);
        Consumer consumer = newConsumer(bucket);
        long position = store().latestPosition();
        ApiKey key = createKey(bucket, consumer, policyKey());
        assertThat(changesSince(position)).extracting(Change::type, Change::keyHash)
                .containsExactly(tuple(Change.Type.KEY, KeyHashes.sha256Hex(key.key())));
        assertThat(km.audit().list(1, null).data().get(0).action()).isEqualTo("key.create");
    }

    @Test
    void createKeyWhenThirtyThreeScopesThenFieldError() {
        List<String> scopes = IntStream.range(0, 33).mapToObj(i -> "s" + i).toList();
        assertThat(createError(NewKey.plain().withScopes(scopes)))
                .isEqualTo(new FieldError("scopes", "at most 32 scopes"));
    }

    @Test
    void createKeyWhenScopeMalformedThenFieldError() {
        assertThat(createError(NewKey.plain().withScopes(List.of("orders read"))))
                .isEqualTo(new FieldError("scopes", "scope must match ^[a-z][a-z0-9:._-]{0,63}$"));
    }

    @Test
    void createKeyWhenFiftyOneAddressesThenFieldError() {
        List<String> ips = IntStream.range(0, 51).mapToObj(i -> "10.0.0." + i).toList();
        assertThat(createError(NewKey.plain().withAllowedIps(ips)))
                .isEqualTo(new FieldError("allowedIps", "at most 50 addresses"));
    }

    @Test
    void createKeyWhenAddressNotACidrThenFieldErrorNamingIt() {
        assertThat(createError(NewKey.plain().withAllowedIps(List.of("10.0.0.0/8", "10.0.0.300/24"))))
                .isEqualTo(new FieldError("allowedIps", "not an IPv4 or IPv6 CIDR: 10.0.0.300/24"));
    }

    @Test
    void createKeyWhenRemainingNegativeThenFieldError() {
        assertThat(createError(NewKey.plain().withCredits(Credits.of(-1))))
                .isEqualTo(new FieldError("credits.remaining", "must be >= 0"));
    }

    @Test
    void createKeyWhenRefillIntervalMissingThenFieldError() {
        assertThat(createError(NewKey.plain().withCredits(Credits.of(5, new Credits.Refill(null, 5, null)))))
                .isEqualTo(new FieldError("credits.refill.interval", "must be daily or monthly"));
    }

    @Test
    void createKeyWhenRefillAmountZeroThenFieldError() {
        assertThat(createError(NewKey.plain().withCredits(Credits.of(5, Credits.Refill.daily(0)))))
                .isEqualTo(new FieldError("credits.refill.amount", "must be > 0"));
    }

    @Test
    void createKeyWhenRefillDayTwentyNineThenFieldError() {
        assertThat(createError(NewKey.plain().withCredits(Credits.of(5, Credits.Refill.monthly(5, 29)))))
                .isEqualTo(new FieldError("credits.refill.refillDay", "must be 1..28, monthly refills only"));
    }

    @Test
    void createKeyWhenRefillDayOnADailyRefillThenFieldError() {
        assertThat(createError(NewKey.plain().withCredits(Credits.of(5, new Credits.Refill(Interval.DAILY, 5, 3)))))
                .isEqualTo(new FieldError("credits.refill.refillDay", "must be 1..28, monthly refills only"));
    }

    @Test
    void createKeyWhenDailyRefillThenNextRefillAtNextMidnight() {
        clock.set(Instant.parse("2030-03-10T23:59:59Z"));
        Bucket bucket = newBucket(false);
        ApiKey key = createKey(bucket, newConsumer(bucket), NewKey.plain().withCredits(
                Credits.of(10, Credits.Refill.daily(10))));
        assertThat(key.credits().nextRefillAt()).isEqualTo(Instant.parse("2030-03-11T00:00:00Z"));
    }

    @Test
    void updateKeyWhenScopesGivenThenOnlyScopesChangeWithAChangeRow() {
        Bucket bucket = newBucket(false);
        Consumer consumer = newConsumer(bucket);
        ApiKey key = createKey(bucket, consumer, policyKey());
        long position = store().latestPosition();
        ApiKey updated = km.keys().update(ACTOR, bucket.name(), consumer.name(), key.id(),
                KeyChanges.none().withScopes(List.of("admin")));
        assertThat(updated.scopes()).containsExactly("admin");
        assertThat(updated.allowedIps()).isEqualTo(key.allowedIps());
        assertThat(updated.credits()).isEqualTo(key.credits());
        assertThat(changesSince(position)).extracting(Change::type, Change::keyHash)
                .containsExactly(tuple(Change.Type.KEY, KeyHashes.sha256Hex(key.key())));
        assertThat(km.audit().list(1, null).data().get(0).action()).isEqualTo("key.update");
    }

    @Test
    void updateKeyWhenEmptyListsThenNoScopesAndAnywhere() {
        Bucket bucket = newBucket(false);
        Consumer consumer = newConsumer(bucket);
        ApiKey key = createKey(bucket, consumer, policyKey());
        ApiKey updated = km.keys().update(ACTOR, bucket.name(), consumer.name(), key.id(),
                KeyChanges.none().withScopes(List.of()).withAllowedIps(List.of()));
        assertThat(updated.scopes()).isEmpty();
        assertThat(updated.allowedIps()).isEmpty();
    }

    @Test
    void updateKeyWhenCreditsNullThenUnlimitedAndGenerationMovesOn() {
        Bucket bucket = newBucket(false);
        Consumer consumer = newConsumer(bucket);
        ApiKey key = createKey(bucket, consumer, policyKey());
        ApiKey updated = km.keys().update(ACTOR, bucket.name(), consumer.name(), key.id(),
                KeyChanges.none().withCredits(null));
        assertThat(updated.credits()).isNull();
        assertThat(updated.scopes()).containsExactlyElementsOf(SCOPES);
        assertThat(generationOf(key.id())).isEqualTo(1);
    }

    @Test
    void updateKeyWhenCreditsGivenThenReplacedWithTheirRefillFromNow() {
        clock.set(Instant.parse("2030-05-20T12:00:00Z"));
        Bucket bucket = newBucket(false);
        Consumer consumer = newConsumer(bucket);
        ApiKey key = createKey(bucket, consumer, policyKey());
        ApiKey updated = km.keys().update(ACTOR, bucket.name(), consumer.name(), key.id(),
                KeyChanges.none().withCredits(Credits.of(50, Credits.Refill.daily(50))));
        assertThat(updated.credits()).isEqualTo(new Credits(50, Credits.Refill.daily(50),
                Instant.parse("2030-05-21T00:00:00Z")));
    }

    @Test
    void updateKeyWhenPolicyInvalidThenFieldErrorsAndNothingChanges() {
        Bucket bucket = newBucket(false);
        Consumer consumer = newConsumer(bucket);
        ApiKey key = createKey(bucket, consumer, policyKey());
        long position = store().latestPosition();
        InvalidInputException e = catchThrowableOfType(InvalidInputException.class, () -> km.keys().update(ACTOR,
                bucket.name(), consumer.name(), key.id(), KeyChanges.none().withAllowedIps(List.of("nope"))
                        .withCredits(Credits.of(-5))));
        assertThat(e.errors()).containsExactly(new FieldError("allowedIps", "not an IPv4 or IPv6 CIDR: nope"),
                new FieldError("credits.remaining", "must be >= 0"));
        assertThat(changesSince(position)).isEmpty();
    }

    @Test
    void updateKeyWhenOnlyDescriptionThenPolicyKept() {
        Bucket bucket = newBucket(false);
        Consumer consumer = newConsumer(bucket);
        ApiKey key = createKey(bucket, consumer, policyKey());
        ApiKey updated = km.keys().update(ACTOR, bucket.name(), consumer.name(), key.id(), KeyChanges.description("d"));
        assertThat(updated).usingRecursiveComparison().ignoringFields("key", "description").isEqualTo(key);
        assertThat(generationOf(key.id())).isZero();
    }

    @Test
    void rollKeyWhenPolicyThenTheNewKeyHasItWithTheCreditsAsTheyAreNow() {
        clock.set(Instant.parse("2030-01-20T10:00:00Z"));
        Bucket bucket = newBucket(false);
        Consumer consumer = newConsumer(bucket);
        ApiKey old = createKey(bucket, consumer, policyKey());
        km.keys().adjustCredits(ACTOR, bucket.name(), consumer.name(), old.id(), CreditOperation.DECREMENT, 400);
        clock.advance(Duration.ofDays(1));
        ApiKey rolled = km.keys().roll(ACTOR, bucket.name(), consumer.name(), now().plus(Duration.ofHours(1)));
        assertThat(rolled.scopes()).containsExactlyElementsOf(SCOPES);
        assertThat(rolled.allowedIps()).containsExactlyElementsOf(IPS);
        assertThat(rolled.credits()).isEqualTo(new Credits(600, Credits.Refill.monthly(1000, 15),
                Instant.parse("2030-02-15T00:00:00Z")));
    }

    @Test
    void rollKeyWhenTwoActiveKeysThenTheNewestPolicyIsCopied() {
        Bucket bucket = newBucket(false);
        Consumer consumer = newConsumer(bucket);
        createKey(bucket, consumer, policyKey());
        createKey(bucket, consumer, NewKey.plain().withScopes(List.of("newest")));
        ApiKey rolled = km.keys().roll(ACTOR, bucket.name(), consumer.name(), null);
        assertThat(rolled.scopes()).containsExactly("newest");
        assertThat(rolled.credits()).isNull();
    }

    @Test
    void rollKeyWhenNoActiveKeyThenNoPolicy() {
        Bucket bucket = newBucket(false);
        Consumer consumer = newConsumer(bucket);
        ApiKey old = createKey(bucket, consumer, policyKey());
        km.keys().revoke(ACTOR, bucket.name(), consumer.name(), old.id());
        ApiKey rolled = km.keys().roll(ACTOR, bucket.name(), consumer.name(), null);
        assertThat(rolled.scopes()).isEmpty();
        assertThat(rolled.credits()).isNull();
        assertThat(rolled.allowedIps()).isEmpty();
    }
}
