package dev.gatekey.persistence;

import jakarta.persistence.EntityManager;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The events no admin operation causes: expiry warnings found by a periodic scan, and limit refusals reported by the
 * filters' usage flush. Each is written once across all nodes thanks to a marker row ({@code gk_webhook_mark},
 * primary key = what it marks) inserted in the event's own transaction: a node that loses the race rolls back.
 */
final class WebhookTriggers {

    /** {@code ratelimit.exceeded} / {@code credits.exhausted}: at most one event per key in this window. */
    static final Duration LIMIT_EVENT_WINDOW = Duration.ofMinutes(5);
    /** Keys that expired longer ago than this get no {@code key.expired} (say, at the first scan after an upgrade). */
    static final Duration EXPIRED_LOOKBACK = Duration.ofDays(7);
    /** Markers are kept this long after they stop mattering, then pruned. */
    static final Duration MARK_RETENTION = Duration.ofDays(1);
    /** Succeeded and failed deliveries (and events left without deliveries) are kept this long, then pruned. */
    static final Duration DELIVERY_RETENTION = Duration.ofDays(30);

    private static final Duration WEEK = Duration.ofDays(7);
    private static final Duration DAY = Duration.ofDays(1);

    private final Transactions transactions;
    private final WebhookEvents events;

    WebhookTriggers(Transactions transactions, WebhookEvents events) {
        this.transactions = transactions;
        this.events = events;
    }

    /**
     * The triggers over a database outside any {@link KeyManagement}: for {@link JpaKeyStore}'s usage flush, which
     * reports refusals through {@link #limitRefused} after its own transaction commits (each report then takes a
     * transaction of its own, so a marker conflict with another node never fails the flush).
     */
    static WebhookTriggers over(GatekeyDatabase database) {
        return new WebhookTriggers(new Transactions(database, Clock.systemUTC()), new WebhookEvents());
    }

    int scanExpiries(Instant now) {
        List<Object[]> due = transactions.read(em -> em.createQuery("select k.id, k.publicId, k.expiresOn from ApiKey k"
                        + " join k.consumer c where k.revokedOn is null and c.deletedOn is null and k.expiresOn is not null"
                        + " and k.expiresOn > :from and k.expiresOn <= :to", Object[].class)
                .setParameter("from", now.minus(EXPIRED_LOOKBACK)).setParameter("to", now.plus(WEEK))
                .getResultList());
        int written = 0;
        Set<String> marked = existingMarks(due);
        for (Object[] row : due) {
            Instant expiresOn = (Instant) row[2];
            String mark = markOf(expiresOn, now, (String) row[1]);
            if (!marked.contains(mark) && writeOnce((Long) row[0], mark, expiresOn.plus(EXPIRED_LOOKBACK), expiresOn, now)) {
                written++;
            }
        }
        prune(now);
        return written;
    }

    /** Old markers, settled deliveries past their retention, and the events no delivery refers to any more. */
    private void prune(Instant now) {
        transactions.write(null, em -> {
            em.createNativeQuery("delete from gk_webhook_mark where until_on < ?1")
                    .setParameter(1, now.minus(MARK_RETENTION)).executeUpdate();
            Instant cutoff = now.minus(DELIVERY_RETENTION);
            em.createQuery("delete from WebhookDelivery d where d.status <> :pending and d.updatedOn < :cutoff")
                    .setParameter("pending", WebhookDelivery.PENDING).setParameter("cutoff", cutoff).executeUpdate();
            return em.createQuery("delete from WebhookEvent e where e.createdOn < :cutoff"
                            + " and not exists (select d.id from WebhookDelivery d where d.event = e)")
                    .setParameter("cutoff", cutoff).executeUpdate();
        });
    }

    /** {@code key.expired:…}, {@code key.expiring.1d:…} or {@code key.expiring.7d:…}, per expiry date. */
    private static String markOf(Instant expiresOn, Instant now, String keyId) {
        String stage = !expiresOn.isAfter(now) ? "key.expired" : expiresOn.isAfter(now.plus(DAY)) ? "key.expiring.7d"
                : "key.expiring.1d";
        return stage + ":" + keyId + ":" + expiresOn.getEpochSecond();
    }

    private Set<String> existingMarks(List<Object[]> due) {
        if (due.isEmpty()) {
            return Set.of();
        }
        return transactions.read(em -> {
            Set<String> names = new HashSet<>();
            for (Object name : em.createNativeQuery("select name from gk_webhook_mark where name like 'key.%'")
                    .getResultList()) {
                names.add((String) name);
            }
            return names;
        });
    }

    private boolean writeOnce(long keyRowId, String mark, Instant until, Instant expiresOn, Instant now) {
        try {
            return transactions.write(() -> "marked", em -> {
                insertMark(em, mark, until);
                ApiKeyEntity key = em.createQuery("select k from ApiKey k join fetch k.consumer c join fetch c.bucket"
                        + " where k.id = :id", ApiKeyEntity.class).setParameter("id", keyRowId)
                        .getResultStream().findFirst().orElse(null);
                if (key == null || key.revokedOn != null || !expiresOn.equals(key.expiresOn)) {
                    return false;
                }
                Map<String, Object> data = WebhookEvents.keyData(key);
                if (mark.startsWith("key.expired")) {
                    events.emit(em, WebhookService.KEY_EXPIRED, data, now);
                } else {
                    data.put("daysBefore", mark.startsWith("key.expiring.7d") ? 7 : 1);
                    events.emit(em, WebhookService.KEY_EXPIRING, data, now);
                }
                return true;
            });
        } catch (ConflictException e) {
            return false; // another node wrote it
        }
    }

    boolean limitRefused(String keyId, String outcome, long minute, long count) {
        String type = WebhookService.OUTCOME_RATE_LIMITED.equals(outcome) ? WebhookService.RATELIMIT_EXCEEDED
                : WebhookService.OUTCOME_USAGE_EXCEEDED.equals(outcome) ? WebhookService.CREDITS_EXHAUSTED : null;
        if (type == null || keyId == null) {
            return false;
        }
        Instant start = Instant.ofEpochSecond(minute * 60);
        Instant until = start.plus(LIMIT_EVENT_WINDOW);
        String mark = type + ":" + keyId;
        try {
            return transactions.write(() -> "marked", em -> {
                ApiKeyEntity key = em.createQuery("select k from ApiKey k join fetch k.consumer c join fetch c.bucket"
                        + " where k.publicId = :id", ApiKeyEntity.class).setParameter("id", keyId)
                        .getResultStream().findFirst().orElse(null);
                if (key == null) {
                    return false;
                }
                int moved = em.createNativeQuery("update gk_webhook_mark set until_on = ?1 where name = ?2 and until_on <= ?3")
                        .setParameter(1, until).setParameter(2, mark).setParameter(3, start).executeUpdate();
                if (moved == 0) {
                    boolean exists = !em.createNativeQuery("select name from gk_webhook_mark where name = ?1")
                            .setParameter(1, mark).getResultList().isEmpty();
                    if (exists) {
                        return false; // reported less than the window ago
                    }
                    insertMark(em, mark, until);
                }
                Map<String, Object> data = WebhookEvents.keyData(key);
                data.put("minute", start.toString());
                data.put("refused", count);
                events.emit(em, type, data, transactions.now());
                return true;
            });
        } catch (ConflictException e) {
            return false; // another node reported the same window first
        }
    }

    private static void insertMark(EntityManager em, String mark, Instant until) {
        em.createNativeQuery("insert into gk_webhook_mark (name, until_on) values (?1, ?2)")
                .setParameter(1, mark).setParameter(2, until).executeUpdate();
    }
}
