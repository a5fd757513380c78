package dev.gatekey.persistence;

import static dev.gatekey.persistence.InputChecks.checkActor;
import static dev.gatekey.persistence.InputChecks.checkDescription;
import static dev.gatekey.persistence.InputChecks.throwIfAny;

import jakarta.persistence.EntityManager;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Lifecycle webhooks: endpoints (create with the secret shown once, list, change, delete, send a test event), their
 * deliveries, and the triggers that are no admin operation: {@link #scanExpiries()} ({@code key.expiring},
 * {@code key.expired}) and {@link #limitRefused} ({@code ratelimit.exceeded}, {@code credits.exhausted}).
 * Events of admin operations ({@code key.created} …) are written by those operations, in their transaction.
 * A {@link WebhookWorker} delivers them.
 *
 * <p>Signing secrets are stored encrypted under the {@link MasterKeys} when they are configured, as is otherwise.
 * Every change is audited. Errors as in {@link KeyManagement}. Thread-safe.
 */
public final class WebhookService {

    public static final String KEY_CREATED = "key.created";
    public static final String KEY_ROLLED = "key.rolled";
    public static final String KEY_REVOKED = "key.revoked";
    public static final String KEY_EXPIRING = "key.expiring";
    public static final String KEY_EXPIRED = "key.expired";
    public static final String KEY_LEAKED = "key.leaked";
    public static final String CONSUMER_CREATED = "consumer.created";
    public static final String CONSUMER_DELETED = "consumer.deleted";
    public static final String RATELIMIT_EXCEEDED = "ratelimit.exceeded";
    public static final String CREDITS_EXHAUSTED = "credits.exhausted";
    /** Sent by {@link #sendTest} to one endpoint; not subscribable. */
    public static final String WEBHOOK_TEST = "webhook.test";
    /** The subscription to every event type. */
    public static final String ALL_EVENTS = "*";
    /** Every event type an endpoint can subscribe to. */
    public static final List<String> EVENT_TYPES = List.of(KEY_CREATED, KEY_ROLLED, KEY_REVOKED, KEY_EXPIRING,
            KEY_EXPIRED, KEY_LEAKED, CONSUMER_CREATED, CONSUMER_DELETED, RATELIMIT_EXCEEDED, CREDITS_EXHAUSTED);
    /** The filter outcome of a refusal by a rate limit, reported as {@value #RATELIMIT_EXCEEDED}. */
    public static final String OUTCOME_RATE_LIMITED = "rate_limited";
    /** The filter outcome of a refusal for lack of credits, reported as {@value #CREDITS_EXHAUSTED}. */
    public static final String OUTCOME_USAGE_EXCEEDED = "usage_exceeded";

    private final Transactions transactions;
    private final Journal journal;
    private final MasterKeys masterKeys;
    private final WebhookTriggers triggers;

    WebhookService(Transactions transactions, Journal journal, MasterKeys masterKeys) {
        this.transactions = transactions;
        this.journal = journal;
        this.masterKeys = masterKeys;
        this.triggers = new WebhookTriggers(transactions, journal.webhooks());
    }

    /** True when secrets are stored encrypted (master keys are configured). */
    public boolean encryptsSecrets() {
        return masterKeys != null;
    }

    /**
     * A new endpoint, enabled; the result carries its secret, which no later read shows.
     *
     * @throws InvalidInputException for a bad url, events list or description
     */
    public Webhook create(String actor, String url, List<String> events, String description) {
        checkActor(actor);
        List<FieldError> errors = new ArrayList<>();
        WebhookChecks.checkUrl(url, errors);
        String stored = WebhookChecks.checkEvents(events, errors);
        checkDescription(description, errors);
        throwIfAny(errors);
        String secret = WebhookSignatures.newSecret();
        return transactions.write(null, em -> {
            Instant now = transactions.now();
            WebhookEndpointEntity e = new WebhookEndpointEntity();
            e.publicId = PublicIds.next("wh_");
            e.url = url;
            e.events = stored;
            e.description = description;
            e.enabled = true;
            e.secret = masterKeys == null ? secret : masterKeys.encrypt(secret, e.publicId);
            e.createdOn = now;
            e.updatedOn = now;
            em.persist(e);
            journal.audit(em, actor, "webhook.create", "webhook", e.publicId, "events=" + stored);
            return toWebhook(e, secret);
        });
    }

    /** Every endpoint, oldest first (without secrets). */
    public List<Webhook> list() {
        return transactions.read(em -> em.createQuery("select e from WebhookEndpoint e order by e.id",
                WebhookEndpointEntity.class).getResultList().stream().map(e -> toWebhook(e, null)).toList());
    }

    /** @throws NotFoundException when there is no such endpoint */
    public Webhook get(String id) {
        return transactions.read(em -> toWebhook(require(em, id), null));
    }

    /**
     * Changes an endpoint's url, events, description or enabled flag. Disabling keeps its pending deliveries:
     * they wait, and resume when it is enabled again.
     *
     * @throws InvalidInputException for a bad url, events list or description
     * @throws NotFoundException when there is no such endpoint
     */
    public Webhook update(String actor, String id, WebhookChanges changes) {
        checkActor(actor);
        Objects.requireNonNull(changes, "changes");
        List<FieldError> errors = new ArrayList<>();
        if (changes.url() != null) {
            WebhookChecks.checkUrl(changes.url(), errors);
        }
        String events = changes.events() == null ? null : WebhookChecks.checkEvents(changes.events(), errors);
        checkDescription(changes.description(), errors);
        throwIfAny(errors);
        return transactions.write(null, em -> {
            WebhookEndpointEntity e = require(em, id);
            List<String> changed = new ArrayList<>();
            if (changes.url() != null) {
                e.url = changes.url();
                changed.add("url");
            }
            if (events != null) {
                e.events = events;
                changed.add("events=" + events);
            }
            if (changes.description() != null) {
                e.description = changes.description();
                changed.add("description");
            }
            if (changes.enabled() != null) {
                e.enabled = changes.enabled();
                changed.add("enabled=" + e.enabled);
            }
            e.updatedOn = transactions.now();
            journal.audit(em, actor, "webhook.update", "webhook", id, String.join(" ", changed));
            return toWebhook(e, null);
        });
    }

    /** Deletes an endpoint and its deliveries (pending ones are never sent). @throws NotFoundException */
    public void delete(String actor, String id) {
        checkActor(actor);
        transactions.write(null, em -> {
            WebhookEndpointEntity e = require(em, id);
            em.createQuery("delete from WebhookDelivery d where d.endpoint = :e").setParameter("e", e).executeUpdate();
            em.remove(e);
            journal.audit(em, actor, "webhook.delete", "webhook", id, null);
            return null;
        });
    }

    /**
     * Enqueues a {@value #WEBHOOK_TEST} event to this endpoint alone (even a disabled one keeps it until enabled).
     *
     * @return the event id ({@code msg_…})
     * @throws NotFoundException when there is no such endpoint
     */
    public String sendTest(String actor, String id) {
        checkActor(actor);
        return transactions.write(null, em -> {
            WebhookEndpointEntity e = require(em, id);
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("webhook", Map.of("id", e.publicId));
            data.put("actor", actor);
            String eventId = journal.webhooks().emitTo(em, e, WEBHOOK_TEST, data, transactions.now()).publicId;
            journal.audit(em, actor, "webhook.test", "webhook", id, "event=" + eventId);
            return eventId;
        });
    }

    /**
     * An endpoint's deliveries, newest first, keyset paginated.
     *
     * @throws InvalidInputException for a bad limit or cursor
     * @throws NotFoundException when there is no such endpoint
     */
    public Page<WebhookDelivery> deliveries(String id, Integer limit, String cursor) {
        int pageSize = Pages.checkLimit(limit);
        long before = cursor == null ? Long.MAX_VALUE : Pages.decodeCursor(cursor);
        return transactions.read(em -> {
            WebhookEndpointEntity e = require(em, id);
            List<WebhookDeliveryEntity> rows = em.createQuery("select d from WebhookDelivery d join fetch d.event"
                            + " where d.endpoint = :e and d.id < :before order by d.id desc", WebhookDeliveryEntity.class)
                    .setParameter("e", e).setParameter("before", before).setMaxResults(pageSize + 1).getResultList();
            boolean more = rows.size() > pageSize;
            List<WebhookDeliveryEntity> page = rows.subList(0, Math.min(pageSize, rows.size()));
            return new Page<>(page.stream().map(WebhookService::toDelivery).toList(),
                    more ? Pages.encodeCursor(page.get(page.size() - 1).id) : null);
        });
    }

    /**
     * Writes {@code key.expiring} (once when a key enters its last 7 days, once for its last day) and
     * {@code key.expired} (once, for keys that expired in the last 7 days) for every active key that is due,
     * each with its once-only marker in its own transaction: several nodes may scan concurrently, and each event
     * is written once. The delivery worker calls it periodically.
     *
     * @return events written
     */
    public int scanExpiries() {
        return triggers.scanExpiries(transactions.now());
    }

    /**
     * Reports refusals of a key by the filter's limits, as counted in one minute: {@value #OUTCOME_RATE_LIMITED}
     * writes {@value #RATELIMIT_EXCEEDED}, {@value #OUTCOME_USAGE_EXCEEDED} writes {@value #CREDITS_EXHAUSTED},
     * each at most once per key per {@link WebhookTriggers#LIMIT_EVENT_WINDOW} of minutes, across all nodes
     * (a marker row in the database). Other outcomes and unknown keys are ignored. The usage flush calls it.
     *
     * @param minute minutes since the epoch of the counted refusals
     * @return true when an event was written
     */
    public boolean limitRefused(String keyId, String outcome, long minute, long count) {
        return triggers.limitRefused(keyId, outcome, minute, count);
    }

    /** The plain secret of an endpoint (the worker signs with it). */
    String secretOf(WebhookEndpointEntity e) {
        if (e.secret.startsWith(WebhookSignatures.SECRET_PREFIX)) {
            return e.secret;
        }
        if (masterKeys == null) {
            throw new MasterKeyException("the secret of webhook " + e.publicId
                    + " is encrypted but no master keys are configured", MasterKeys.keyIdOf(e.secret), null);
        }
        return masterKeys.decrypt(e.secret, e.publicId);
    }

    Transactions transactions() {
        return transactions;
    }

    WebhookEvents events() {
        return journal.webhooks();
    }

    private static WebhookEndpointEntity require(EntityManager em, String id) {
        return em.createQuery("select e from WebhookEndpoint e where e.publicId = :id", WebhookEndpointEntity.class)
                .setParameter("id", id).getResultStream().findFirst()
                .orElseThrow(() -> new NotFoundException("webhook", id));
    }

    private static Webhook toWebhook(WebhookEndpointEntity e, String secret) {
        return new Webhook(e.publicId, e.url, Arrays.asList(e.events.split(",")), e.description, e.enabled,
                e.createdOn, e.updatedOn, secret);
    }

    private static WebhookDelivery toDelivery(WebhookDeliveryEntity d) {
        return new WebhookDelivery(d.id, d.event.publicId, d.event.type, d.status, d.attempts, d.lastResponseCode,
                d.lastError, d.nextAttemptOn, d.createdOn, d.updatedOn);
    }
}
