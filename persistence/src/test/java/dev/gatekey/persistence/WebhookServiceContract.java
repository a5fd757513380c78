package dev.gatekey.persistence;

import static dev.gatekey.persistence.WebhookTestSupport.at;
import static dev.gatekey.persistence.WebhookTestSupport.eventsOf;
import static dev.gatekey.persistence.WebhookTestSupport.types;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatekey.store.KeyHashes;
import dev.gatekey.store.UsageCount;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@link WebhookService}: endpoints, their checks and audit rows, and the events written by each cause. */
abstract class WebhookServiceContract extends DatabaseTestBase {

    private static final String HTTPS = "https://hooks.example.com/gatekey";

    private Webhook subscribeAll() {
        return km.webhooks().create(ACTOR, HTTPS, List.of("*"), "all events");
    }

    @Test
    void createWhenValidThenSecretShownOnceAndStoredEncrypted() {
        Webhook created = km.webhooks().create(ACTOR, HTTPS, List.of("key.created", "key.revoked"), "ops");
        assertThat(created.id()).startsWith("wh_");
        assertThat(created.secret()).startsWith("whsec_");
        assertThat(created.enabled()).isTrue();
        assertThat(created.events()).containsExactly("key.created", "key.revoked");
        assertThat(km.webhooks().get(created.id()).secret()).isNull();
        assertThat(km.webhooks().list()).anyMatch(w -> w.id().equals(created.id()) && w.secret() == null);
        String stored = db.strings("select secret from gk_webhook_endpoint where public_id = '" + created.id() + "'").get(0);
        assertThat(stored).doesNotContain(created.secret().substring(6)).startsWith(masterKeys.currentKeyId() + ":");
        assertThat(km.audit().list(1000, null).data())
                .anyMatch(e -> e.action().equals("webhook.create") && created.id().equals(e.targetId()));
    }

    @Test
    void createWhenPlainHttpToRemoteHostThenFieldError() {
        assertThat(errorOf(() -> km.webhooks().create(ACTOR, "http://hooks.example.com/x", List.of("*"), null)))
                .isEqualTo(new FieldError("url", "url must use https (http is allowed for loopback addresses only)"));
        assertThat(errorOf(() -> km.webhooks().create(ACTOR, "ftp://x.example.com/", List.of("*"), null)))
                .isEqualTo(new FieldError("url", "url must be an absolute https URL"));
        assertThat(errorOf(() -> km.webhooks().create(ACTOR, null, List.of("*"), null)))
                .isEqualTo(new FieldError("url", "url is required"));
    }

    @Test
    void createWhenHttpToLoopbackThenAccepted() {
        for (String url : List.of("http://localhost:8080/h", "http://127.0.0.1:9/h", "http://[::1]:9/h")) {
            assertThat(km.webhooks().create(ACTOR, url, List.of("*"), null).url()).isEqualTo(url);
        }
    }

    @Test
    void createWhenUnknownEventOrStarWithOthersThenFieldErrors() {
        assertThat(errorOf(() -> km.webhooks().create(ACTOR, HTTPS, List.of("key.created", "key.eaten"), null)))
                .isEqualTo(new FieldError("events[1]", "events[1] must be one of " + String.join(", ",
                        WebhookService.EVENT_TYPES) + ", or \"*\" alone"));
        assertThat(errorOf(() -> km.webhooks().create(ACTOR, HTTPS, List.of("*", "key.created"), null)))
                .isEqualTo(new FieldError("events", "events must be [\"*\"] alone or a list of event types"));
        assertThat(errorOf(() -> km.webhooks().create(ACTOR, HTTPS, List.of(), null)))
                .isEqualTo(new FieldError("events", "events must list at least one event type, or \"*\""));
    }

    @Test
    void updateWhenDisabledThenNoNewEventsAndAudited() {
        Webhook hook = subscribeAll();
        Webhook changed = km.webhooks().update(ACTOR, hook.id(),
                new WebhookChanges("https://other.example.com/h", List.of("key.created"), "changed", false));
        assertThat(changed.url()).isEqualTo("https://other.example.com/h");
        assertThat(changed.events()).containsExactly("key.created");
        assertThat(changed.description()).isEqualTo("changed");
        assertThat(changed.enabled()).isFalse();
        newConsumerWithKey(newBucket(false));
        assertThat(eventsOf(db, hook.id())).isEmpty();
        assertThat(km.audit().list(1000, null).data())
                .anyMatch(e -> e.action().equals("webhook.update") && hook.id().equals(e.targetId()));
    }

    @Test
    void deleteWhenDeletedThenNotFoundAndDeliveriesGone() {
        Webhook hook = subscribeAll();
        km.webhooks().sendTest(ACTOR, hook.id());
        km.webhooks().delete(ACTOR, hook.id());
        assertThatThrownBy(() -> km.webhooks().get(hook.id())).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> km.webhooks().delete(ACTOR, hook.id())).isInstanceOf(NotFoundException.class);
        assertThat(eventsOf(db, hook.id())).isEmpty();
    }

    @Test
    void sendTestWhenEndpointSubscribesElsewhereThenTestEventToItAlone() {
        Webhook target = km.webhooks().create(ACTOR, HTTPS, List.of("key.leaked"), null);
        Webhook other = subscribeAll();
        String eventId = km.webhooks().sendTest(ACTOR, target.id());
        assertThat(eventId).startsWith("msg_");
        assertThat(types(eventsOf(db, target.id()))).containsExactly("webhook.test");
        assertThat(eventsOf(db, other.id())).isEmpty();
        Page<WebhookDelivery> page = km.webhooks().deliveries(target.id(), 10, null);
        assertThat(page.data()).singleElement().satisfies(d -> {
            assertThat(d.eventId()).isEqualTo(eventId);
            assertThat(d.status()).isEqualTo(WebhookDelivery.PENDING);
            assertThat(d.attempts()).isZero();
        });
    }

    @Test
    void deliveriesWhenPagedThenNewestFirstWithCursor() {
        Webhook hook = subscribeAll();
        for (int i = 0; i < 3; i++) {
            km.webhooks().sendTest(ACTOR, hook.id());
        }
        Page<WebhookDelivery> first = km.webhooks().deliveries(hook.id(), 2, null);
        Page<WebhookDelivery> second = km.webhooks().deliveries(hook.id(), 2, first.nextCursor());
        assertThat(first.data()).hasSize(2);
        assertThat(second.data()).hasSize(1);
        assertThat(second.nextCursor()).isNull();
        assertThat(first.data().get(0).id()).isGreaterThan(first.data().get(1).id());
        assertThatThrownBy(() -> km.webhooks().deliveries("wh_missing", null, null))
                .isInstanceOf(NotFoundException.class);
    }

    @Test
    void keyOperationsWhenSubscribedThenEventsWithIdsAndNamesButNoKeyMaterial() {
        Webhook hook = subscribeAll();
        Bucket bucket = newBucket(true);
        Consumer consumer = newConsumerWithKey(bucket);
        ApiKey first = consumer.apiKeys().get(0);
        ApiKey rolled = km.keys().roll(ACTOR, bucket.name(), consumer.name(), now().plusSeconds(3600));
        km.keys().revoke(ACTOR, bucket.name(), consumer.name(), first.id());
        km.consumers().delete(ACTOR, bucket.name(), consumer.name());
        List<Map<String, Object>> events = eventsOf(db, hook.id());
        assertThat(types(events)).containsExactly("consumer.created", "key.created", "key.created", "key.rolled",
                "key.revoked", "consumer.deleted");
        assertThat(events.get(0).get("timestamp")).isEqualTo(now().toString());
        assertThat(at(events.get(0), "bucket")).isEqualTo(bucket.name());
        assertThat(at(events.get(0), "consumer", "name")).isEqualTo(consumer.name());
        assertThat(at(events.get(0), "consumer", "id")).isEqualTo(consumer.id());
        assertThat(at(events.get(1), "key", "id")).isEqualTo(first.id());
        assertThat(at(events.get(3), "key", "id")).isEqualTo(rolled.id());
        assertThat((List<?>) at(events.get(3), "previousKeys")).singleElement()
                .satisfies(k -> assertThat(((Map<?, ?>) k).get("id")).isEqualTo(first.id()));
        assertThat(at(events.get(4), "key", "id")).isEqualTo(first.id());
        assertThat(at(events.get(5), "revokedKeys")).isEqualTo(List.of(rolled.id()));
        String all = db.strings("select ev.payload from gk_webhook_event ev").toString();
        for (ApiKey key : List.of(first, rolled)) {
            assertThat(all).doesNotContain(key.key()).doesNotContain(KeyHashes.sha256Hex(key.key()));
        }
    }

    @Test
    void importWhenKeysImportedThenConsumerAndKeyCreatedEventsOnceEach() {
        Webhook hook = subscribeAll();
        Bucket bucket = newBucket(false);
        String hash = "sha256:" + KeyHashes.sha256Hex("legacy-key-" + bucket.name());

        km.imports().importKeys(ACTOR, bucket.name(), List.of(ImportedKey.of("imported", hash)));
        km.imports().importKeys(ACTOR, bucket.name(), List.of(ImportedKey.of("imported", hash))); // exists: no event

        List<Map<String, Object>> events = eventsOf(db, hook.id());
        assertThat(types(events)).containsExactly("consumer.created", "key.created");
        assertThat(at(events.get(1), "consumer", "name")).isEqualTo("imported");
    }

    @Test
    void usageFlushWhenKeyRateLimitedThenOneRatelimitEventPerFiveMinutes() {
        Webhook hook = subscribeAll();
        Bucket bucket = newBucket(false);
        ApiKey key = newConsumerWithKey(bucket).apiKeys().get(0);
        JpaKeyStore store = new JpaKeyStore(db.database);
        long minute = now().getEpochSecond() / 60;

        store.recordUsage(List.of(new UsageCount(bucket.name(), key.id(), minute, "rate_limited", 7),
                new UsageCount(bucket.name(), key.id(), minute, "valid", 70)));
        store.recordUsage(List.of(new UsageCount(bucket.name(), key.id(), minute + 1, "rate_limited", 2)));
        store.recordUsage(List.of(new UsageCount(bucket.name(), key.id(), minute + 1, "usage_exceeded", 1)));

        List<Map<String, Object>> events = eventsOf(db, hook.id());
        assertThat(types(events)).containsExactly("consumer.created", "key.created", "ratelimit.exceeded",
                "credits.exhausted");
        assertThat(at(events.get(2), "key", "id")).isEqualTo(key.id());
    }

    @Test
    void leakWhenRecordedThenKeyLeakedAndRevoked() {
        Webhook hook = km.webhooks().create(ACTOR, HTTPS, List.of("key.leaked", "key.revoked"), null);
        Bucket bucket = newBucket(false);
        ApiKey key = newConsumerWithKey(bucket).apiKeys().get(0);
        km.leaks().record("github", KeyHashes.sha256Hex(key.key()),
                new LeakReport("gatekey_key", "https://github.com/o/r/blob/x", "content"), LeakAction.REVOKE);
        List<Map<String, Object>> events = eventsOf(db, hook.id());
        assertThat(types(events)).containsExactly("key.leaked", "key.revoked");
        assertThat(at(events.get(0), "leak", "url")).isEqualTo("https://github.com/o/r/blob/x");
        assertThat(at(events.get(0), "leak", "action")).isEqualTo("revoke");
    }

    @Test
    void outboxWhenCauseRollsBackThenNoEvent() {
        Webhook hook = subscribeAll();
        Bucket retrievable = newBucket(true);
        // no master keys: the key of a retrievable bucket fails after the consumer (and its event) was written
        KeyManagement withoutMasterKeys = new KeyManagement(db.database, format, null, clock);
        assertThatThrownBy(() -> withoutMasterKeys.consumers().create(ACTOR, retrievable.name(),
                NewConsumer.named(unique("rolled-back")), true)).isInstanceOf(ConflictException.class);
        assertThat(eventsOf(db, hook.id())).isEmpty();
        newConsumer(retrievable);
        assertThat(types(eventsOf(db, hook.id()))).containsExactly("consumer.created");
    }

    @Test
    void outboxWhenTransactionFailsAfterEventThenNeitherEventNorDeliveryRemains() {
        Webhook hook = subscribeAll();
        Transactions tx = new Transactions(db.database, clock);
        WebhookEvents outbox = new WebhookEvents();
        long eventsBefore = db.count("gk_webhook_event");
        assertThatThrownBy(() -> tx.write(null, em -> {
            outbox.emit(em, WebhookService.KEY_CREATED, Map.of("x", 1), now());
            em.flush();
            throw new IllegalStateException("the cause failed");
        })).hasMessage("the cause failed");
        assertThat(db.count("gk_webhook_event")).isEqualTo(eventsBefore);
        assertThat(eventsOf(db, hook.id())).isEmpty();
    }
}
