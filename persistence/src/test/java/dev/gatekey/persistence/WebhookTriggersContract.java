package dev.gatekey.persistence;

import static dev.gatekey.persistence.WebhookTestSupport.at;
import static dev.gatekey.persistence.WebhookTestSupport.eventsOf;
import static dev.gatekey.persistence.WebhookTestSupport.types;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * Events without an admin operation: {@code key.expiring} / {@code key.expired} from the periodic scan (injected
 * clock), and {@code ratelimit.exceeded} / {@code credits.exhausted} from the usage flush, once across nodes.
 */
abstract class WebhookTriggersContract extends DatabaseTestBase {

    private Webhook subscribe(String... events) {
        return km.webhooks().create(ACTOR, "https://hooks.example.com/t", List.of(events), null);
    }

    private List<Map<String, Object>> eventsOfKey(Webhook hook, String keyId) {
        return eventsOf(db, hook.id()).stream().filter(e -> keyId.equals(at(e, "key", "id"))).toList();
    }

    /** A second node: its own services (and clock reading) over the same database. */
    private KeyManagement otherNode() {
        return new KeyManagement(db.database, format, masterKeys, clock);
    }

    @Test
    void scanExpiriesWhenSevenAndOneDayAheadThenOneWarningEachThenExpiredOnce() {
        Webhook hook = subscribe("key.expiring", "key.expired");
        Bucket bucket = newBucket(false);
        Consumer consumer = newConsumer(bucket);
        Instant expiresOn = now().plus(Duration.ofDays(10));
        ApiKey key = km.keys().create(ACTOR, bucket.name(), consumer.name(), "expiring", expiresOn);
        km.webhooks().scanExpiries();
        assertThat(eventsOfKey(hook, key.id())).isEmpty();

        clock.advance(Duration.ofDays(3).plusSeconds(1));
        km.webhooks().scanExpiries();
        km.webhooks().scanExpiries();
        otherNode().webhooks().scanExpiries();
        assertThat(eventsOfKey(hook, key.id())).singleElement().satisfies(e -> {
            assertThat(e.get("type")).isEqualTo("key.expiring");
            assertThat(at(e, "daysBefore")).isEqualTo(7);
            assertThat(at(e, "key", "expiresOn")).isEqualTo(expiresOn.toString());
        });

        clock.advance(Duration.ofDays(6)); // 1 day less 1 s to go
        km.webhooks().scanExpiries();
        otherNode().webhooks().scanExpiries();
        assertThat(types(eventsOfKey(hook, key.id()))).containsExactly("key.expiring", "key.expiring");
        assertThat(at(eventsOfKey(hook, key.id()).get(1), "daysBefore")).isEqualTo(1);

        clock.advance(Duration.ofDays(1));
        km.webhooks().scanExpiries();
        clock.advance(Duration.ofDays(1));
        km.webhooks().scanExpiries();
        assertThat(types(eventsOfKey(hook, key.id()))).containsExactly("key.expiring", "key.expiring", "key.expired");
    }

    @Test
    void scanExpiriesWhenNodesScanConcurrentlyThenEachWarningWrittenOnce() throws Exception {
        Webhook hook = subscribe("key.expiring");
        Bucket bucket = newBucket(false);
        Consumer consumer = newConsumer(bucket);
        List<String> keyIds = new java.util.ArrayList<>();
        for (int i = 0; i < 10; i++) {
            keyIds.add(km.keys().create(ACTOR, bucket.name(), consumer.name(), null, now().plus(Duration.ofDays(5)))
                    .id());
        }
        List<KeyManagement> nodes = List.of(km, otherNode(), otherNode(), otherNode());
        ExecutorService pool = Executors.newFixedThreadPool(nodes.size());
        try {
            List<Future<Integer>> written = pool.invokeAll(nodes.stream()
                    .map(n -> (Callable<Integer>) () -> n.webhooks().scanExpiries()).toList());
            int total = 0;
            for (Future<Integer> f : written) {
                total += f.get();
            }
            assertThat(total).isEqualTo(10);
        } finally {
            pool.shutdownNow();
        }
        for (String id : keyIds) {
            assertThat(eventsOfKey(hook, id)).hasSize(1);
        }
    }

    @Test
    void scanExpiriesWhenExpiryExtendedThenWarnedAgainForTheNewDate() {
        Webhook hook = subscribe("key.expiring");
        Bucket bucket = newBucket(false);
        Consumer consumer = newConsumer(bucket);
        ApiKey key = km.keys().create(ACTOR, bucket.name(), consumer.name(), null, now().plus(Duration.ofDays(6)));
        km.webhooks().scanExpiries();
        km.keys().update(ACTOR, bucket.name(), consumer.name(), key.id(),
                KeyChanges.expiresOn(now().plus(Duration.ofDays(5))));
        km.webhooks().scanExpiries();
        assertThat(eventsOfKey(hook, key.id())).hasSize(2);
    }

    @Test
    void scanExpiriesWhenKeyRevokedThenNoWarning() {
        Webhook hook = subscribe("key.expiring", "key.expired");
        Bucket bucket = newBucket(false);
        Consumer consumer = newConsumer(bucket);
        ApiKey key = km.keys().create(ACTOR, bucket.name(), consumer.name(), null, now().plus(Duration.ofDays(2)));
        km.keys().revoke(ACTOR, bucket.name(), consumer.name(), key.id());
        km.webhooks().scanExpiries();
        clock.advance(Duration.ofDays(3));
        km.webhooks().scanExpiries();
        assertThat(eventsOfKey(hook, key.id())).isEmpty();
    }

    @Test
    void scanExpiriesWhenSettledDeliveriesOlderThanRetentionThenPrunedAndPendingKept() {
        Webhook hook = subscribe("key.expiring");
        String settled = km.webhooks().sendTest(ACTOR, hook.id());
        String pending = km.webhooks().sendTest(ACTOR, hook.id());
        try (var c = db.dataSource.getConnection(); var s = c.prepareStatement("update gk_webhook_delivery set"
                + " status = 'succeeded' where event_id = (select id from gk_webhook_event where public_id = ?)")) {
            s.setString(1, settled);
            s.executeUpdate();
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
        clock.advance(WebhookTriggers.DELIVERY_RETENTION.minusSeconds(1));
        km.webhooks().scanExpiries();
        assertThat(km.webhooks().deliveries(hook.id(), 10, null).data()).hasSize(2);
        clock.advance(Duration.ofSeconds(2));
        km.webhooks().scanExpiries();
        assertThat(km.webhooks().deliveries(hook.id(), 10, null).data()).extracting(WebhookDelivery::eventId)
                .containsExactly(pending);
        assertThat(db.strings("select public_id from gk_webhook_event where public_id = '" + settled + "'")).isEmpty();
    }

    @Test
    void limitRefusedWhenReportedEveryMinuteThenOneEventPerFiveMinutes() {
        Webhook hook = subscribe("ratelimit.exceeded");
        ApiKey key = newConsumerWithKey(newBucket(false)).apiKeys().get(0);
        long minute = now().getEpochSecond() / 60;
        List<Boolean> written = new java.util.ArrayList<>();
        for (long m = minute; m < minute + 11; m++) {
            written.add(km.webhooks().limitRefused(key.id(), "rate_limited", m, 3));
            written.add(otherNode().webhooks().limitRefused(key.id(), "rate_limited", m, 1));
        }
        assertThat(written.stream().filter(b -> b).count()).isEqualTo(3);
        List<Map<String, Object>> events = eventsOfKey(hook, key.id());
        assertThat(events).extracting(e -> at(e, "minute")).containsExactly(
                Instant.ofEpochSecond(minute * 60).toString(), Instant.ofEpochSecond((minute + 5) * 60).toString(),
                Instant.ofEpochSecond((minute + 10) * 60).toString());
        assertThat(at(events.get(0), "refused")).isEqualTo(3);
        // a late report of a minute inside a reported window writes nothing
        assertThat(km.webhooks().limitRefused(key.id(), "rate_limited", minute + 7, 1)).isFalse();
    }

    @Test
    void limitRefusedWhenReportedByTheStoreSideTriggersThenSameOnceRuleAsTheService() {
        Webhook hook = subscribe("ratelimit.exceeded");
        ApiKey key = newConsumerWithKey(newBucket(false)).apiKeys().get(0);
        long minute = now().getEpochSecond() / 60;
        WebhookTriggers storeSide = WebhookTriggers.over(db.database);
        assertThat(storeSide.limitRefused(key.id(), "rate_limited", minute, 2)).isTrue();
        assertThat(km.webhooks().limitRefused(key.id(), "rate_limited", minute + 4, 2)).isFalse();
        assertThat(storeSide.limitRefused(key.id(), "rate_limited", minute + 5, 2)).isTrue();
        assertThat(eventsOfKey(hook, key.id())).hasSize(2);
    }

    @Test
    void limitRefusedWhenCreditsOutcomeThenCreditsExhaustedApartFromRateLimit() {
        Webhook hook = subscribe("ratelimit.exceeded", "credits.exhausted");
        ApiKey key = newConsumerWithKey(newBucket(false)).apiKeys().get(0);
        long minute = now().getEpochSecond() / 60;
        assertThat(km.webhooks().limitRefused(key.id(), "rate_limited", minute, 1)).isTrue();
        assertThat(km.webhooks().limitRefused(key.id(), "usage_exceeded", minute, 1)).isTrue();
        assertThat(km.webhooks().limitRefused(key.id(), "usage_exceeded", minute + 1, 1)).isFalse();
        assertThat(km.webhooks().limitRefused(key.id(), "valid", minute, 1)).isFalse();
        assertThat(km.webhooks().limitRefused("key_unknown", "rate_limited", minute, 1)).isFalse();
        assertThat(types(eventsOfKey(hook, key.id()))).containsExactly("ratelimit.exceeded", "credits.exhausted");
    }
}
