package dev.gatekey.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.gatekey.store.KeyHashes;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link AuditService}: what the other services audit (never key material), and its pages, on one database. */
abstract class AuditServiceContract extends DatabaseTestBase {

    @Test
    void getKeyWhenVisibleThenAuditedAsKeyRevealedWithTheKeyIdOnly() {
        Bucket bucket = newBucket(true);
        Consumer consumer = newConsumerWithKey(bucket);
        ApiKey key = consumer.apiKeys().get(0);

        km.keys().get("auditor", bucket.name(), consumer.name(), key.id(), KeyFormat.VISIBLE);

        AuditEvent event = km.audit().list(1, null).data().get(0);
        assertThat(event).extracting(AuditEvent::actor, AuditEvent::action, AuditEvent::targetType,
                AuditEvent::targetId).containsExactly("auditor", AuditService.KEY_REVEALED, "key", key.id());
        assertThat(event.toString()).doesNotContain(key.key());
    }

    @Test
    void whenListingsShowKeysVisibleThenEachKeyRevealedIsAudited() {
        Bucket bucket = newBucket(true);
        Consumer consumer = newConsumerWithKey(bucket);
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
    void listKeysWhenMaskedThenNotAudited() {
        Bucket bucket = newBucket(true);
        Consumer consumer = newConsumerWithKey(bucket);

        km.keys().list("auditor", bucket.name(), consumer.name(), KeyFormat.MASKED);

        assertThat(km.audit().list(1, null).data().get(0).action()).isEqualTo("key.create");
    }

    @Test
    void whenKeysCreatedRolledRevokedAndDeletedThenTheAuditHoldsNoKeyMaterial() {
        Bucket bucket = newBucket(true);
        Consumer consumer = newConsumerWithKey(bucket);
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
    void listAuditEventsWhenPagedThenNewestFirst() {
        Bucket bucket = newBucket(false);
        newConsumer(bucket);
        newConsumer(bucket);
        Page<AuditEvent> first = km.audit().list(2, null);
        Page<AuditEvent> second = km.audit().list(2, first.nextCursor());
        assertThat(first.data()).extracting(AuditEvent::action).containsExactly("consumer.create", "consumer.create");
        assertThat(second.data().get(0).action()).isEqualTo("bucket.create");
        assertThat(first.data().get(0).id()).isGreaterThan(first.data().get(1).id());
        assertThat(first.data().get(1).id()).isGreaterThan(second.data().get(0).id());
    }

    @Test
    void listAuditEventsWhenCursorIsGarbageThenInvalid() {
        assertThatThrownBy(() -> km.audit().list(2, "garbage")).isInstanceOf(InvalidInputException.class);
    }

    @Test
    void whenOperationsFailThenNoAuditEvent() {
        Bucket bucket = newBucket(false);
        long events = db.count("gk_audit_event");
        assertThatThrownBy(() -> km.consumers().create(ACTOR, bucket.name(), NewConsumer.named("x y"), false))
                .isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> km.buckets().delete(ACTOR, "nothing-here")).isInstanceOf(NotFoundException.class);
        assertThat(db.count("gk_audit_event")).isEqualTo(events);
    }
}
