package dev.gatekey.persistence;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * Claims and settles deliveries. A claim is a conditional UPDATE that sets a lease (owner token and end) only on a
 * row that is pending, due and not leased: on PostgreSQL as on H2, when several nodes race for a row exactly one
 * update matches, so each attempt is made by one node. A node that dies mid-attempt leaves its lease to run out;
 * another node then makes the next attempt. Settling only touches a row still leased to the settling claim.
 */
final class WebhookDispatch {

    /** Longer than the connect plus request time-outs of an attempt, so a lease never ends mid-attempt. */
    static final Duration LEASE = Duration.ofSeconds(60);
    static final int MAX_ERROR_LENGTH = 1000;

    /** One claimed attempt: everything the sender needs, the secret in plain text. */
    record Claim(long deliveryId, String leaseOwner, String eventId, String payload, String url, String secret,
            int attempt) {
    }

    private final WebhookService service;
    private final Transactions transactions;
    private final RandomGenerator random;

    WebhookDispatch(WebhookService service, RandomGenerator random) {
        this.service = service;
        this.transactions = service.transactions();
        this.random = random;
    }

    /** Up to {@code max} due deliveries of enabled endpoints, leased to {@code owner}. */
    List<Claim> claim(String owner, int max) {
        if (max < 1) {
            return List.of();
        }
        Instant now = transactions.now();
        List<Long> candidates = new ArrayList<>(transactions.read(em -> em.createQuery("select d.id from"
                        + " WebhookDelivery d join d.endpoint e where d.status = :pending and d.nextAttemptOn <= :now"
                        + " and (d.leaseUntil is null or d.leaseUntil < :now) and e.enabled = true"
                        + " order by d.nextAttemptOn, d.id", Long.class)
                .setParameter("pending", WebhookDelivery.PENDING).setParameter("now", now)
                .setMaxResults(max * 4).getResultList()));
        if (candidates.isEmpty()) {
            return List.of();
        }
        // nodes polling together mostly try different rows
        Collections.shuffle(candidates);
        return transactions.write(null, em -> {
            List<Long> won = new ArrayList<>();
            for (Long id : candidates) {
                if (won.size() == max) {
                    break;
                }
                int updated = em.createQuery("update WebhookDelivery d set d.leaseOwner = :owner,"
                                + " d.leaseUntil = :until, d.attempts = d.attempts + 1, d.updatedOn = :now"
                                + " where d.id = :id and d.status = :pending and d.nextAttemptOn <= :now"
                                + " and (d.leaseUntil is null or d.leaseUntil < :now)")
                        .setParameter("owner", owner).setParameter("until", now.plus(LEASE))
                        .setParameter("now", now).setParameter("id", id)
                        .setParameter("pending", WebhookDelivery.PENDING).executeUpdate();
                if (updated == 1) {
                    won.add(id);
                }
            }
            if (won.isEmpty()) {
                return List.<Claim>of();
            }
            return em.createQuery("select d from WebhookDelivery d join fetch d.event join fetch d.endpoint"
                            + " where d.id in :ids order by d.id", WebhookDeliveryEntity.class)
                    .setParameter("ids", won).getResultList().stream()
                    .map(d -> new Claim(d.id, owner, d.event.publicId, d.event.payload, d.endpoint.url,
                            service.secretOf(d.endpoint), d.attempts))
                    .toList();
        });
    }

    /**
     * Records an attempt's outcome: a 2xx succeeds; otherwise the next attempt is scheduled, or the delivery
     * fails after {@link WebhookRetries#MAX_ATTEMPTS}.
     *
     * @param status the HTTP status, or null when none came (connection error, time-out)
     */
    void settle(Claim claim, Integer status, String error) {
        Instant now = transactions.now();
        boolean success = status != null && status >= 200 && status < 300;
        String state = success ? WebhookDelivery.SUCCEEDED
                : claim.attempt() >= WebhookRetries.MAX_ATTEMPTS ? WebhookDelivery.FAILED : WebhookDelivery.PENDING;
        Instant next = state.equals(WebhookDelivery.PENDING) ? now.plus(WebhookRetries.delay(claim.attempt(), random))
                : null;
        String reason = success ? null : error != null ? error : "HTTP " + status;
        transactions.write(null, em -> em.createQuery("update WebhookDelivery d set d.status = :status,"
                        + " d.lastResponseCode = :code, d.lastError = :error, d.nextAttemptOn = :next,"
                        + " d.leaseOwner = null, d.leaseUntil = null, d.updatedOn = :now"
                        + " where d.id = :id and d.leaseOwner = :owner")
                .setParameter("status", state).setParameter("code", status)
                .setParameter("error", reason == null || reason.length() <= MAX_ERROR_LENGTH ? reason
                        : reason.substring(0, MAX_ERROR_LENGTH))
                .setParameter("next", next).setParameter("now", now).setParameter("id", claim.deliveryId())
                .setParameter("owner", claim.leaseOwner()).executeUpdate());
    }

    /** The deliveries' next due time, or null when none is pending (lets an idle worker sleep until then). */
    Instant nextDue() {
        return transactions.read(em -> em.createQuery("select min(d.nextAttemptOn) from WebhookDelivery d"
                + " join d.endpoint e where d.status = :pending and e.enabled = true", Instant.class)
                .setParameter("pending", WebhookDelivery.PENDING).getSingleResult());
    }
}
