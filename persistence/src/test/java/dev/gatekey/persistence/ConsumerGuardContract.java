package dev.gatekey.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Consumer managers (validation, {@code ?manager} lists) and {@link ConsumerGuard}s on every consumer and key
 * operation of {@link ConsumerService#guarded} and {@link KeyService#guarded}, on one database.
 */
abstract class ConsumerGuardContract extends DatabaseTestBase {

    private static final ConsumerGuard ACME = ConsumerGuard.tags(Map.of("org", "acme"));
    private static final ConsumerGuard GLOBEX = ConsumerGuard.tags(Map.of("org", "globex"));

    private dev.gatekey.persistence.Consumer consumerOf(Bucket bucket, String org, List<String> managers) {
        return km.consumers().create(ACTOR, bucket.name(),
                new NewConsumer(unique("c"), null, null, Map.of("org", org), managers), true);
    }

    // ---------------------------------------------------------------- managers

    @Test
    void createConsumerWhenManagersGivenThenStoredSortedWithoutDuplicates() {
        Bucket bucket = newBucket(false);
        var created = km.consumers().create(ACTOR, bucket.name(), new NewConsumer(unique("c"), null, null, null,
                List.of("bob@example.com", "alice@example.com", "bob@example.com")), false);
        assertThat(created.managers()).containsExactly("alice@example.com", "bob@example.com");
        assertThat(km.consumers().get(bucket.name(), created.name(), false, KeyFormat.NONE).managers())
                .containsExactly("alice@example.com", "bob@example.com");
    }

    @Test
    void updateConsumerWhenManagersGivenThenReplacedAndWhenNullThenKept() {
        Bucket bucket = newBucket(false);
        var created = consumerOf(bucket, "acme", List.of("alice"));
        km.consumers().update(ACTOR, bucket.name(), created.name(), new ConsumerChanges(null, null, null,
                List.of("carol")));
        var kept = km.consumers().update(ACTOR, bucket.name(), created.name(), new ConsumerChanges("d", null, null));
        assertThat(kept.managers()).containsExactly("carol");
        var cleared = km.consumers().update(ACTOR, bucket.name(), created.name(), new ConsumerChanges(null, null,
                null, List.of()));
        assertThat(cleared.managers()).isEmpty();
    }

    @Test
    void createConsumerWhenTwentyOneManagersThenFieldError() {
        Bucket bucket = newBucket(false);
        List<String> managers = IntStream.range(0, 21).mapToObj(i -> "m" + i).toList();
        assertThat(errorOf(() -> km.consumers().create(ACTOR, bucket.name(),
                new NewConsumer(unique("c"), null, null, null, managers), false)))
                .isEqualTo(new FieldError("managers", "managers must not have more than 20 entries"));
    }

    @Test
    void createConsumerWhenManagerEmptyOrTooLongThenFieldErrorAtItsIndex() {
        Bucket bucket = newBucket(false);
        assertThat(errorOf(() -> km.consumers().create(ACTOR, bucket.name(),
                new NewConsumer(unique("c"), null, null, null, List.of("ok", "")), false)))
                .isEqualTo(new FieldError("managers[1]", "managers must be 1 to 254 characters"));
        assertThat(errorOf(() -> km.consumers().update(ACTOR, bucket.name(), newConsumer(bucket).name(),
                new ConsumerChanges(null, null, null, List.of("x".repeat(255))))))
                .isEqualTo(new FieldError("managers[0]", "managers must be 1 to 254 characters"));
    }

    @Test
    void createConsumerWhenManagerHasNulCharacterThenFieldError() {
        Bucket bucket = newBucket(false);
        assertThat(errorOf(() -> km.consumers().create(ACTOR, bucket.name(),
                new NewConsumer(unique("c"), null, null, null, List.of("a\u0000b")), false)).field())
                .isEqualTo("managers[0]");
    }

    @Test
    void createConsumerWhenManagerNullThenFieldErrorNotACrash() {
        Bucket bucket = newBucket(false);
        assertThat(errorOf(() -> km.consumers().create(ACTOR, bucket.name(),
                new NewConsumer(unique("c"), null, null, null, java.util.Arrays.asList("a", null)), false)))
                .isEqualTo(new FieldError("managers[1]", "managers must be 1 to 254 characters"));
        assertThat(errorOf(() -> km.consumers().update(ACTOR, bucket.name(), newConsumer(bucket).name(),
                new ConsumerChanges(null, null, null, java.util.Arrays.asList((String) null)))))
                .isEqualTo(new FieldError("managers[0]", "managers must be 1 to 254 characters"));
    }

    @Test
    void createConsumerWhenManagerIs254CharactersThenAccepted() {
        Bucket bucket = newBucket(false);
        String longest = "m".repeat(254);
        assertThat(km.consumers().create(ACTOR, bucket.name(),
                new NewConsumer(unique("c"), null, null, null, List.of(longest)), false).managers())
                .containsExactly(longest);
    }

    @Test
    void listConsumersWhenManagerGuardThenOnlyTheConsumersItManages() {
        Bucket bucket = newBucket(false);
        var mine = consumerOf(bucket, "acme", List.of("alice", "bob"));
        consumerOf(bucket, "acme", List.of("bob"));
        var alsoMine = consumerOf(bucket, "globex", List.of("alice"));
        consumerOf(bucket, "globex", List.of());
        assertThat(km.consumers().guarded(ConsumerGuard.manager("alice")).list(bucket.name(), ConsumerQuery.first(100))
                .data()).extracting(c -> c.name()).containsExactly(mine.name(), alsoMine.name());
        assertThat(km.consumers().guarded(new ConsumerGuard(Map.of("org", "acme"), "alice"))
                .list(bucket.name(), ConsumerQuery.first(100)).data()).extracting(c -> c.name())
                .containsExactly(mine.name());
        assertThat(km.consumers().guarded(ConsumerGuard.manager("nobody")).list(bucket.name(), ConsumerQuery.first(100))
                .data()).isEmpty();
    }

    @Test
    void listConsumersWhenManagerGuardAndPagesThenEveryManagedConsumerOnce() {
        Bucket bucket = newBucket(false);
        List<String> managed = IntStream.range(0, 5).mapToObj(i -> consumerOf(bucket, "acme", List.of("pat")).name())
                .toList();
        consumerOf(bucket, "acme", List.of("someone-else"));
        ConsumerService guarded = km.consumers().guarded(ConsumerGuard.manager("pat"));
        var first = guarded.list(bucket.name(), ConsumerQuery.first(3));
        var second = guarded.list(bucket.name(), new ConsumerQuery(3, first.nextCursor(), null, false, null));
        assertThat(first.data().size() + second.data().size()).isEqualTo(5);
        assertThat(second.nextCursor()).isNull();
        assertThat(java.util.stream.Stream.concat(first.data().stream(), second.data().stream()).map(c -> c.name()))
                .containsExactlyElementsOf(managed);
    }

    // ---------------------------------------------------------------- guards: every operation

    /** Each consumer or key operation through a service guarded for {@code org=globex}, on an acme consumer. */
    private Map<String, Consumer<String[]>> operations(Bucket bucket, ConsumerGuard guard) {
        ConsumerService consumers = km.consumers().guarded(guard);
        KeyService keys = km.keys().guarded(guard);
        String b = bucket.name();
        return Map.ofEntries(
                Map.entry("get consumer", a -> consumers.get(b, a[0], true, KeyFormat.MASKED)),
                Map.entry("update consumer", a -> consumers.update(ACTOR, b, a[0], new ConsumerChanges("x", null, null))),
                Map.entry("delete consumer", a -> consumers.delete(ACTOR, b, a[0])),
                Map.entry("roll key", a -> keys.roll(ACTOR, b, a[0], clock.instant().plus(Duration.ofHours(1)))),
                Map.entry("list keys", a -> keys.list(b, a[0], KeyFormat.MASKED)),
                Map.entry("create key", a -> keys.create(ACTOR, b, a[0], NewKey.plain())),
                Map.entry("get key", a -> keys.get(b, a[0], a[1], KeyFormat.MASKED)),
                Map.entry("update key", a -> keys.update(ACTOR, b, a[0], a[1], KeyChanges.description("y"))),
                Map.entry("revoke key", a -> keys.revoke(ACTOR, b, a[0], a[1])),
                Map.entry("adjust credits", a -> keys.adjustCredits(ACTOR, b, a[0], a[1], CreditOperation.SET, 5)));
    }

    @Test
    void everyOperationWhenConsumerOutsideTheGuardThenNotFoundAsIfMissing() {
        Bucket bucket = newBucket(false);
        var acme = consumerOf(bucket, "acme", List.of("alice"));
        String keyId = acme.apiKeys().get(0).id();
        long changes = db.count("gk_change");
        long audits = db.count("gk_audit_event");
        operations(bucket, GLOBEX).forEach((name, operation) -> assertThatThrownBy(
                () -> operation.accept(new String[] {acme.name(), keyId})).as(name)
                .isInstanceOf(NotFoundException.class)
                .hasMessage("consumer " + acme.name() + " not found"));
        operations(bucket, ConsumerGuard.manager("mallory")).forEach((name, operation) -> assertThatThrownBy(
                () -> operation.accept(new String[] {acme.name(), keyId})).as(name)
                .isInstanceOf(NotFoundException.class));
        assertThat(db.count("gk_change")).as("nothing written").isEqualTo(changes);
        assertThat(db.count("gk_audit_event")).isEqualTo(audits);
        assertThat(km.keys().get(bucket.name(), acme.name(), keyId, KeyFormat.NONE).revokedOn()).isNull();
    }

    @Test
    void everyOperationWhenConsumerInsideTheGuardThenDone() {
        Bucket bucket = newBucket(false);
        // the delete comes last: it is the one that ends the consumer
        List<String> order = List.of("get consumer", "update consumer", "list keys", "create key", "get key",
                "update key", "adjust credits", "roll key", "revoke key", "delete consumer");
        for (ConsumerGuard guard : List.of(ACME, ConsumerGuard.manager("alice"),
                new ConsumerGuard(Map.of("org", "acme"), "alice"))) {
            var acme = consumerOf(bucket, "acme", List.of("alice"));
            String keyId = acme.apiKeys().get(0).id();
            Map<String, Consumer<String[]>> operations = operations(bucket, guard);
            assertThat(operations.keySet()).containsExactlyInAnyOrderElementsOf(order);
            for (String name : order) {
                operations.get(name).accept(new String[] {acme.name(), keyId});
            }
            assertThatThrownBy(() -> km.consumers().get(bucket.name(), acme.name(), false, KeyFormat.NONE))
                    .isInstanceOf(NotFoundException.class);
        }
    }

    @Test
    void getConsumerWhenGuardHasTwoTagsAndConsumerOnlyOneThenNotFound() {
        Bucket bucket = newBucket(false);
        var acme = consumerOf(bucket, "acme", List.of());
        assertThatThrownBy(() -> km.consumers().guarded(ConsumerGuard.tags(Map.of("org", "acme", "env", "prod")))
                .get(bucket.name(), acme.name(), false, KeyFormat.NONE)).isInstanceOf(NotFoundException.class);
    }

    @Test
    void createConsumerWhenGuardedThenGetsTheGuardsTagsAndManager() {
        Bucket bucket = newBucket(false);
        var created = km.consumers().guarded(new ConsumerGuard(Map.of("org", "acme"), "alice")).create(ACTOR,
                bucket.name(), new NewConsumer(unique("c"), null, null, Map.of("env", "prod"), List.of("bob")), false);
        assertThat(created.tags()).isEqualTo(Map.of("org", "acme", "env", "prod"));
        assertThat(created.managers()).containsExactly("alice", "bob");
    }

    @Test
    void createConsumerWhenGuardedTagGivenWithAnotherValueThenFieldError() {
        Bucket bucket = newBucket(false);
        assertThat(errorOf(() -> km.consumers().guarded(ACME).create(ACTOR, bucket.name(),
                new NewConsumer(unique("c"), null, null, Map.of("org", "globex")), false)))
                .isEqualTo(new FieldError("tags.org", "tag org must be acme (the tag guard's value)"));
    }

    @Test
    void createConsumerWhenGuardTagInvalidThenFieldErrorAndNothingStored() {
        Bucket bucket = newBucket(false);
        String name = unique("c");
        assertThat(errorOf(() -> km.consumers().guarded(ConsumerGuard.tags(Map.of("bad key", "x"))).create(ACTOR,
                bucket.name(), NewConsumer.named(name), false)))
                .isEqualTo(new FieldError("tags", "tag keys must match " + ConsumerService.TAG_KEY_REGEX));
        assertThatThrownBy(() -> km.consumers().get(bucket.name(), name, false, KeyFormat.NONE))
                .isInstanceOf(NotFoundException.class);
    }

    @Test
    void updateConsumerWhenGuardedTagsReplacedThenTheGuardsTagStays() {
        Bucket bucket = newBucket(false);
        var acme = consumerOf(bucket, "acme", List.of("alice"));
        var updated = km.consumers().guarded(new ConsumerGuard(Map.of("org", "acme"), "alice")).update(ACTOR,
                bucket.name(), acme.name(), new ConsumerChanges(null, null, Map.of("env", "dev"), List.of("bob")));
        assertThat(updated.tags()).isEqualTo(Map.of("org", "acme", "env", "dev"));
        assertThat(updated.managers()).containsExactly("alice", "bob");
    }

    @Test
    void updateConsumerWhenGuardedTagChangedToAnotherValueThenFieldErrorAndUnchanged() {
        Bucket bucket = newBucket(false);
        var acme = consumerOf(bucket, "acme", List.of());
        assertThat(errorOf(() -> km.consumers().guarded(ACME).update(ACTOR, bucket.name(), acme.name(),
                new ConsumerChanges(null, null, Map.of("org", "globex")))))
                .isEqualTo(new FieldError("tags.org", "tag org must be acme (the tag guard's value)"));
        assertThat(km.consumers().get(bucket.name(), acme.name(), false, KeyFormat.NONE).tags())
                .isEqualTo(Map.of("org", "acme"));
    }

    @Test
    void listConsumersWhenGuardedThenOnlyTheGuardsConsumers() {
        Bucket bucket = newBucket(false);
        var acme = consumerOf(bucket, "acme", List.of());
        consumerOf(bucket, "globex", List.of());
        assertThat(km.consumers().guarded(ACME).list(bucket.name(), ConsumerQuery.first(100)).data())
                .extracting(c -> c.name()).containsExactly(acme.name());
    }

    @Test
    void listConsumersWhenTagFilterConflictsWithTheGuardThenEmpty() {
        Bucket bucket = newBucket(false);
        consumerOf(bucket, "acme", List.of());
        consumerOf(bucket, "globex", List.of());
        var page = km.consumers().guarded(ACME).list(bucket.name(),
                new ConsumerQuery(100, null, Map.of("org", "globex"), false, KeyFormat.NONE));
        assertThat(page.data()).isEmpty();
        assertThat(page.nextCursor()).isNull();
    }

    @Test
    void listConsumersWhenTagFilterAgreesWithTheGuardThenBothApply() {
        Bucket bucket = newBucket(false);
        var prod = km.consumers().create(ACTOR, bucket.name(),
                new NewConsumer(unique("c"), null, null, Map.of("org", "acme", "env", "prod")), false);
        consumerOf(bucket, "acme", List.of());
        assertThat(km.consumers().guarded(ACME).list(bucket.name(),
                new ConsumerQuery(100, null, Map.of("org", "acme", "env", "prod"), false, KeyFormat.NONE)).data())
                .extracting(c -> c.name()).containsExactly(prod.name());
    }

    @Test
    void guardedWhenNullThenNoGuard() {
        Bucket bucket = newBucket(false);
        var acme = consumerOf(bucket, "acme", Collections.emptyList());
        assertThat(km.consumers().guarded(null).get(bucket.name(), acme.name(), false, KeyFormat.NONE).name())
                .isEqualTo(acme.name());
        assertThat(km.keys().guarded(null).list(bucket.name(), acme.name(), KeyFormat.NONE)).hasSize(1);
    }
}
