package dev.gatekey.persistence;

import jakarta.persistence.EntityManager;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.hibernate.engine.spi.SessionImplementor;

/**
 * The webhook outbox: writes an event, and one pending delivery per enabled endpoint subscribed to its type, in the
 * caller's transaction, so an event exists exactly when its cause committed. Payloads carry ids and names, never key
 * material or hashes. After a commit that wrote events, the local delivery worker is woken (other nodes find them
 * at their next poll).
 */
final class WebhookEvents {

    private final List<Runnable> committedListeners = new CopyOnWriteArrayList<>();

    /** Called after each commit that wrote at least one event (the local workers' wake-up). */
    void addCommittedListener(Runnable listener) {
        committedListeners.add(listener);
    }

    void removeCommittedListener(Runnable listener) {
        committedListeners.remove(listener);
    }

    /** An event to every enabled endpoint subscribed to {@code type}; nothing when none is. */
    void emit(EntityManager em, String type, Map<String, Object> data, Instant now) {
        List<WebhookEndpointEntity> endpoints = em.createQuery(
                        "select e from WebhookEndpoint e where e.enabled = true order by e.id", WebhookEndpointEntity.class)
                .getResultList().stream().filter(e -> subscribed(e, type)).toList();
        if (!endpoints.isEmpty()) {
            write(em, type, data, now, endpoints);
        }
    }

    /** An event to one endpoint, whatever it subscribed to (the test event). */
    WebhookEventEntity emitTo(EntityManager em, WebhookEndpointEntity endpoint, String type, Map<String, Object> data,
            Instant now) {
        return write(em, type, data, now, List.of(endpoint));
    }

    static boolean subscribed(WebhookEndpointEntity endpoint, String type) {
        return WebhookService.ALL_EVENTS.equals(endpoint.events)
                || Arrays.asList(endpoint.events.split(",")).contains(type);
    }

    private WebhookEventEntity write(EntityManager em, String type, Map<String, Object> data, Instant now,
            List<WebhookEndpointEntity> endpoints) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", type);
        body.put("timestamp", now.toString());
        body.put("data", data);
        WebhookEventEntity event = new WebhookEventEntity();
        event.publicId = PublicIds.next("msg_");
        event.type = type;
        event.payload = Json.write(body);
        event.createdOn = now;
        em.persist(event);
        for (WebhookEndpointEntity endpoint : endpoints) {
            WebhookDeliveryEntity delivery = new WebhookDeliveryEntity();
            delivery.event = event;
            delivery.endpoint = endpoint;
            delivery.status = WebhookDelivery.PENDING;
            delivery.attempts = 0;
            delivery.nextAttemptOn = now;
            delivery.createdOn = now;
            delivery.updatedOn = now;
            em.persist(delivery);
        }
        em.unwrap(SessionImplementor.class).getActionQueue().registerProcess((success, session) -> {
            if (success) {
                committedListeners.forEach(Runnable::run);
            }
        });
        return event;
    }

    // ---------------------------------------------------------------- payloads (ids and names only)

    void keyCreated(EntityManager em, ApiKeyEntity key, Instant now) {
        emit(em, WebhookService.KEY_CREATED, keyData(key), now);
    }

    void keyRevoked(EntityManager em, ApiKeyEntity key, Instant now) {
        Map<String, Object> data = keyData(key);
        emit(em, WebhookService.KEY_REVOKED, data, now);
    }

    void keyRolled(EntityManager em, ApiKeyEntity created, List<ApiKeyEntity> previous, Instant now) {
        Map<String, Object> data = keyData(created);
        List<Object> old = new ArrayList<>();
        for (ApiKeyEntity key : previous) {
            Map<String, Object> view = new LinkedHashMap<>();
            view.put("id", key.publicId);
            view.put("expiresOn", text(key.expiresOn));
            view.put("revokedOn", text(key.revokedOn));
            old.add(view);
        }
        data.put("previousKeys", old);
        emit(em, WebhookService.KEY_ROLLED, data, now);
    }

    void keyLeaked(EntityManager em, ApiKeyEntity key, String source, String url, String action, Instant now) {
        Map<String, Object> data = keyData(key);
        Map<String, Object> leak = new LinkedHashMap<>();
        leak.put("source", source);
        leak.put("url", url);
        leak.put("action", action);
        data.put("leak", leak);
        emit(em, WebhookService.KEY_LEAKED, data, now);
    }

    void consumerCreated(EntityManager em, ConsumerEntity consumer, Instant now) {
        emit(em, WebhookService.CONSUMER_CREATED, consumerData(consumer), now);
    }

    void consumerDeleted(EntityManager em, ConsumerEntity consumer, List<String> revokedKeyIds, Instant now) {
        Map<String, Object> data = consumerData(consumer);
        data.put("revokedKeys", List.copyOf(revokedKeyIds));
        emit(em, WebhookService.CONSUMER_DELETED, data, now);
    }

    static Map<String, Object> keyData(ApiKeyEntity key) {
        Map<String, Object> data = consumerData(key.consumer);
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("id", key.publicId);
        view.put("description", key.description);
        view.put("createdOn", text(key.createdOn));
        view.put("expiresOn", text(key.expiresOn));
        view.put("revokedOn", text(key.revokedOn));
        data.put("key", view);
        return data;
    }

    static Map<String, Object> consumerData(ConsumerEntity consumer) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("bucket", consumer.bucket.name);
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("id", consumer.publicId);
        view.put("name", consumer.name);
        data.put("consumer", view);
        return data;
    }

    static String text(Instant instant) {
        return instant == null ? null : instant.toString();
    }
}
