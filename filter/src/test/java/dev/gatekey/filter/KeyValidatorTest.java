package dev.gatekey.filter;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatekey.cache.KeyCache;
import dev.gatekey.format.ApiKeyFormat;
import dev.gatekey.metrics.GatekeyMetrics;
import dev.gatekey.problem.Outcome;
import dev.gatekey.store.KeyHashes;
import dev.gatekey.testing.InMemoryKeyStore;
import dev.gatekey.testing.TestTime;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class KeyValidatorTest {

    private final InMemoryKeyStore store = new InMemoryKeyStore();
    private final TestTime time = new TestTime();
    private final KeyCache cache = new KeyCache(store, Duration.ofSeconds(60), 100, Duration.ofSeconds(300), time,
            GatekeyMetrics.noop());
    private final KeyValidator validator = new KeyValidator(ApiKeyFormat.crc32(), resolved(store), cache,
            Set.of(InMemoryKeyStore.BUCKET), time);

    private static BucketPrefixes resolved(InMemoryKeyStore store) {
        BucketPrefixes prefixes = new BucketPrefixes(store, new TestTime(), List.of(InMemoryKeyStore.BUCKET));
        prefixes.resolve();
        return prefixes;
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "\u0000\u0001\u001f", "demo_live_\u00e9\u00e9\u00e9", "\uD83D\uDD11",
        "demo_live_0123456789ABCDEFGHIJKLMNOPQRSTabcdefghi\u0000_2FioA8",
        "demo_live_0123456789ABCDEFGHIJKLMNOPQRSTabcdefgh\u00ef_2FioA8"})
    void validateWhenGarbageThenMalformedWithoutStoreAccess(String key) {
        assertThat(validator.validate(key).outcome()).isEqualTo(Outcome.MALFORMED);
        assertThat(store.findCalls).hasValue(0);
    }

    @Test
    void validateWhenTenKilobytesThenMalformed() {
        assertThat(validator.validate("a".repeat(10 * 1024)).outcome()).isEqualTo(Outcome.MALFORMED);
    }

    @Test
    void validateWhenArchitectureTestVectorThenValidChecksumUnknownKey() {
        assertThat(validator.validate("demo_live_0123456789ABCDEFGHIJKLMNOPQRSTabcdefghij_2FioA8").outcome())
                .isEqualTo(Outcome.UNKNOWN);
    }

    @Test
    void validateWhenKeySeenBeforeThenFoundWithoutTheStoreOrItsHash() {
        String key = store.addKey("alice");
        validator.validate(key); // looked up
        validator.validate(key); // found by hash, remembered by tag

        assertThat(cache.recent(key, 0, key.length())).isNotNull();
        assertThat(validator.validate(key).outcome()).isEqualTo(Outcome.VALID);
        assertThat(store.findCalls).hasValue(1);
    }

    @Test
    void validateWhenOneCharacterOfARememberedKeyChangedThenBadChecksumNotTheRememberedVerdict() {
        String key = store.addKey("alice");
        validator.validate(key);
        validator.validate(key);
        char last = key.charAt(key.length() - 1);
        String altered = key.substring(0, key.length() - 1) + (last == 'A' ? 'B' : 'A');

        assertThat(validator.validate(altered).outcome()).isEqualTo(Outcome.BAD_CHECKSUM);
        assertThat(validator.validate(key).outcome()).isEqualTo(Outcome.VALID);
    }

    @Test
    void validateWhenRememberedKeyRevokedThroughTheChangeFeedThenRevokedAtOnce() {
        String key = store.addKey("alice");
        validator.validate(key);
        validator.validate(key);
        store.revoke(key, time.instant());

        cache.reload(KeyHashes.sha256Hex(key)); // what the change feed's KEY row does

        assertThat(validator.validate(key).outcome()).isEqualTo(Outcome.REVOKED);
    }

    @Test
    void validateWhenRememberedUnknownKeyNamedByTheChangeFeedThenLookedUpAgain() {
        String key = store.addKey("alice");
        store.deleteSilently(key);
        validator.validate(key);
        assertThat(validator.validate(key).outcome()).isEqualTo(Outcome.UNKNOWN);

        cache.invalidate(KeyHashes.sha256Hex(key)); // a KEY row: the key may exist now

        validator.validate(key);
        assertThat(store.findCalls).hasValue(2);
    }

    @Test
    void validateWhenRevokedInTheFutureThenValidUntilThen() {
        String key = store.addKey("alice");
        store.revoke(key, time.instant().plusSeconds(30));

        assertThat(validator.validate(key).outcome()).isEqualTo(Outcome.VALID);
        time.advance(Duration.ofSeconds(30));
        assertThat(validator.validate(key).outcome()).isEqualTo(Outcome.REVOKED);
    }

    /**
     * A cached valid verdict is reused without the date checks only while the clock's millisecond is before the key's
     * expiry: an expiry within a millisecond still takes effect at its exact instant.
     */
    @Test
    void validateWhenCachedKeyExpiresWithinAMillisecondThenExpiredFromThatInstantOn() {
        Instant expires = time.instant().truncatedTo(ChronoUnit.MILLIS)
                .plusNanos(1_500_000);
        String key = store.addKey(InMemoryKeyStore.BUCKET, "alice", Map.of(), expires, true);

        assertThat(validator.validate(key).outcome()).isEqualTo(Outcome.VALID);
        time.advance(Duration.between(time.instant(), expires.minusNanos(1)));
        assertThat(validator.validate(key).outcome()).isEqualTo(Outcome.VALID);
        assertThat(validator.validate(key).outcome()).isEqualTo(Outcome.VALID);
        time.advance(Duration.ofNanos(1));
        assertThat(validator.validate(key).outcome()).isEqualTo(Outcome.EXPIRED);
        assertThat(validator.validate(key).outcome()).isEqualTo(Outcome.EXPIRED);
    }

    @Test
    void isAllowedWhenBucketCreatedAfterStartThenFoundByTheBackgroundResolve() {
        BucketPrefixes prefixes = new BucketPrefixes(store, time, List.of("late-bucket"));
        prefixes.resolve();
        assertThat(prefixes.isAllowed("late")).isFalse();
        store.addBucket("late-bucket", "late");

        prefixes.resolve();

        assertThat(prefixes.isAllowed("late")).isTrue();
        assertThat(prefixes.isComplete()).isTrue();
    }

    @Test
    void isAllowedWhenBucketCreatedAfterStartThenFoundByARequestAtMostOncePerInterval() {
        BucketPrefixes prefixes = new BucketPrefixes(store, time, List.of("late-bucket"));
        prefixes.resolve();
        assertThat(prefixes.isAllowed("late")).as("a request looks it up").isFalse();
        store.addBucket("late-bucket", "late");
        int calls = store.prefixCalls.get();

        assertThat(prefixes.isAllowed("late")).as("no second lookup within the interval").isFalse();
        assertThat(store.prefixCalls).hasValue(calls);
        time.advance(BucketPrefixes.REQUEST_RESOLVE_INTERVAL);

        assertThat(prefixes.isAllowed("late")).isTrue();
    }

    @Test
    void isAllowedWhenStoreFailedAtTheLastResolveThenRequestsDoNotCallIt() {
        store.storeDown = true;
        BucketPrefixes prefixes = new BucketPrefixes(store, time, List.of("late-bucket"));
        prefixes.resolve();
        int calls = store.prefixCalls.get();

        assertThat(prefixes.isAllowed("late")).isFalse();

        assertThat(prefixes.isUndecided()).isTrue();
        assertThat(store.prefixCalls).hasValue(calls);
    }

    @Test
    void validateWhenBucketPrefixUnresolvedBecauseStoreDownThenStoreErrorNotMalformed() {
        store.storeDown = true;
        BucketPrefixes prefixes = new BucketPrefixes(store, new TestTime(), List.of(InMemoryKeyStore.BUCKET));
        prefixes.resolve();
        KeyValidator undecided = new KeyValidator(ApiKeyFormat.crc32(), prefixes,
                new KeyCache(store, Duration.ofSeconds(60), 100, Duration.ofSeconds(300), time, GatekeyMetrics.noop()),
                Set.of(InMemoryKeyStore.BUCKET), time);
        store.storeDown = false;
        String key = store.addKey("alice");
        store.storeDown = true;

        assertThat(undecided.validate(key).outcome()).isEqualTo(Outcome.STORE_ERROR);
    }

    @Test
    void verdictWhenWrongBucketAndExpiredThenWrongBucketWins() {
        String key = store.addKey(InMemoryKeyStore.OTHER_BUCKET, "bob", Map.of(), time.instant(), true);

        assertThat(validator.verdict(store.stored(key), time.instant()).outcome()).isEqualTo(Outcome.WRONG_BUCKET);
    }
}
