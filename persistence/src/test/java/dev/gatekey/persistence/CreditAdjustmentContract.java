package dev.gatekey.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.gatekey.store.Change;
import dev.gatekey.store.KeyHashes;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link KeyService#adjustCredits} (set, increment, decrement, their refusals, change rows, audit events and
 * generations) and the refill dates the services compute from the clock, on one database.
 */
abstract class CreditAdjustmentContract extends DatabaseTestBase {

    private Bucket bucket;
    private Consumer consumer;

    /** A key with {@code credits} (null = unlimited) of a new consumer. */
    private ApiKey keyWith(Credits credits) {
        bucket = newBucket(false);
        consumer = newConsumer(bucket);
        return km.keys().create(ACTOR, bucket.name(), consumer.name(), NewKey.plain().withCredits(credits));
    }

    private ApiKey adjust(ApiKey key, CreditOperation op, long amount) {
        return km.keys().adjustCredits(ACTOR, bucket.name(), consumer.name(), key.id(), op, amount);
    }

    private Instant nextRefillWhenCreatedAt(String now, Credits.Refill refill) {
        clock.set(Instant.parse(now));
        return keyWith(Credits.of(1, refill)).credits().nextRefillAt();
    }

    @Test
    void adjustCreditsWhenSetThenRemainingIsTheAmount() {
        ApiKey key = keyWith(Credits.of(10));
        assertThat(adjust(key, CreditOperation.SET, 3).credits().remaining()).isEqualTo(3);
    }

    @Test
    void adjustCreditsWhenIncrementThenAdded() {
        ApiKey key = keyWith(Credits.of(10));
        assertThat(adjust(key, CreditOperation.INCREMENT, 5).credits().remaining()).isEqualTo(15);
    }

    @Test
    void adjustCreditsWhenDecrementToZeroThenZero() {
        ApiKey key = keyWith(Credits.of(10));
        assertThat(adjust(key, CreditOperation.DECREMENT, 10).credits().remaining()).isZero();
    }

    @Test
    void adjustCreditsWhenDecrementBelowZeroThenFieldErrorAndUnchanged() {
        ApiKey key = keyWith(Credits.of(10));
        assertThat(errorOf(() -> adjust(key, CreditOperation.DECREMENT, 11)))
                .isEqualTo(new FieldError("amount", "would make remaining negative"));
        assertThat(km.keys().get(bucket.name(), consumer.name(), key.id(), KeyFormat.NONE).credits().remaining())
                .isEqualTo(10);
    }

    @Test
    void adjustCreditsWhenAmountNegativeThenFieldError() {
        ApiKey key = keyWith(Credits.of(10));
        assertThat(errorOf(() -> adjust(key, CreditOperation.SET, -1)))
                .isEqualTo(new FieldError("amount", "must be >= 0"));
    }

    @Test
    void adjustCreditsWhenNoOperationThenFieldError() {
        ApiKey key = keyWith(Credits.of(10));
        assertThat(errorOf(() -> adjust(key, null, 1)))
                .isEqualTo(new FieldError("op", "must be set, increment or decrement"));
    }

    @Test
    void adjustCreditsWhenIncrementOverflowsThenFieldError() {
        ApiKey key = keyWith(Credits.of(10));
        assertThat(errorOf(() -> adjust(key, CreditOperation.INCREMENT, Long.MAX_VALUE)))
                .isEqualTo(new FieldError("amount", "would make remaining too large"));
    }

    @Test
    void adjustCreditsWhenIncrementOnUnlimitedThenConflict() {
        ApiKey key = keyWith(null);
        assertThatThrownBy(() -> adjust(key, CreditOperation.INCREMENT, 1))
                .isInstanceOf(ConflictException.class).hasMessage("the key has unlimited credits");
    }

    @Test
    void adjustCreditsWhenDecrementOnUnlimitedThenConflict() {
        ApiKey key = keyWith(null);
        assertThatThrownBy(() -> adjust(key, CreditOperation.DECREMENT, 1))
                .isInstanceOf(ConflictException.class).hasMessage("the key has unlimited credits");
    }

    @Test
    void adjustCreditsWhenSetOnUnlimitedThenLimitedWithoutRefill() {
        ApiKey key = keyWith(null);
        assertThat(adjust(key, CreditOperation.SET, 7).credits()).isEqualTo(Credits.of(7));
    }

    @Test
    void adjustCreditsWhenMissingKeyThenNotFound() {
        keyWith(null);
        assertThatThrownBy(() -> km.keys().adjustCredits(ACTOR, bucket.name(), consumer.name(), "key_nope",
                CreditOperation.SET, 1)).isInstanceOf(NotFoundException.class);
    }

    @Test
    void adjustCreditsWhenAdjustedThenEachTimeTheGenerationMovesOn() {
        ApiKey key = keyWith(Credits.of(10));
        adjust(key, CreditOperation.SET, 3);
        adjust(key, CreditOperation.INCREMENT, 3);
        adjust(key, CreditOperation.DECREMENT, 3);
        assertThat(generationOf(key.id())).isEqualTo(3);
    }

    @Test
    void adjustCreditsWhenAdjustedThenAChangeRowForTheKey() {
        ApiKey key = keyWith(Credits.of(10));
        long position = store().latestPosition();
        adjust(key, CreditOperation.INCREMENT, 1);
        assertThat(changesSince(position)).extracting(Change::type, Change::keyHash)
                .containsExactly(tuple(Change.Type.KEY, KeyHashes.sha256Hex(key.key())));
    }

    @Test
    void adjustCreditsWhenAdjustedThenAuditedAsKeyCredits() {
        ApiKey key = keyWith(Credits.of(10));
        adjust(key, CreditOperation.DECREMENT, 4);
        AuditEvent event = km.audit().list(1, null).data().get(0);
        assertThat(List.of(event.action(), event.actor(), event.targetId(), event.detail())).containsExactly(
                AuditService.KEY_CREDITS, ACTOR, key.id(), "bucket=" + bucket.name() + " consumer=" + consumer.name()
                        + " op=decrement amount=4 remaining=6");
    }

    @Test
    void adjustCreditsWhenRefillDueThenRefilledFirstAndNextRefillMovedOn() {
        clock.set(Instant.parse("2030-06-10T08:00:00Z"));
        ApiKey key = keyWith(Credits.of(2, Credits.Refill.daily(100)));
        clock.set(Instant.parse("2030-06-12T09:00:00Z"));
        ApiKey adjusted = adjust(key, CreditOperation.DECREMENT, 1);
        assertThat(adjusted.credits()).isEqualTo(new Credits(99, Credits.Refill.daily(100),
                Instant.parse("2030-06-13T00:00:00Z")));
    }

    @Test
    void createKeyWhenDailyRefillAtMidnightThenTheNextMidnight() {
        assertThat(nextRefillWhenCreatedAt("2030-07-01T00:00:00Z", Credits.Refill.daily(1)))
                .isEqualTo(Instant.parse("2030-07-02T00:00:00Z"));
    }

    @Test
    void createKeyWhenDailyRefillOnNewYearsEveThenNewYearsDay() {
        assertThat(nextRefillWhenCreatedAt("2030-12-31T18:30:00Z", Credits.Refill.daily(1)))
                .isEqualTo(Instant.parse("2031-01-01T00:00:00Z"));
    }

    @Test
    void createKeyWhenMonthlyRefillWithoutDayThenTheFirstOfNextMonth() {
        assertThat(nextRefillWhenCreatedAt("2030-01-31T12:00:00Z",
                new Credits.Refill(dev.gatekey.store.CreditPolicy.Interval.MONTHLY, 1, null)))
                .isEqualTo(Instant.parse("2030-02-01T00:00:00Z"));
    }

    @Test
    void createKeyWhenMonthlyRefillDay28AtTheEndOfJanuaryThenFebruary28() {
        assertThat(nextRefillWhenCreatedAt("2030-01-31T12:00:00Z", Credits.Refill.monthly(1, 28)))
                .isEqualTo(Instant.parse("2030-02-28T00:00:00Z"));
    }

    @Test
    void createKeyWhenMonthlyRefillDay28OnThe28thAtMidnightThenNextMonth() {
        assertThat(nextRefillWhenCreatedAt("2030-02-28T00:00:00Z", Credits.Refill.monthly(1, 28)))
                .isEqualTo(Instant.parse("2030-03-28T00:00:00Z"));
    }

    @Test
    void createKeyWhenMonthlyRefillDayLaterThisMonthThenThisMonth() {
        assertThat(nextRefillWhenCreatedAt("2030-04-27T23:59:59Z", Credits.Refill.monthly(1, 28)))
                .isEqualTo(Instant.parse("2030-04-28T00:00:00Z"));
    }

    @Test
    void createKeyWhenMonthlyRefillInDecemberAfterTheDayThenJanuaryNextYear() {
        assertThat(nextRefillWhenCreatedAt("2030-12-15T00:00:01Z", Credits.Refill.monthly(1, 15)))
                .isEqualTo(Instant.parse("2031-01-15T00:00:00Z"));
    }
}
