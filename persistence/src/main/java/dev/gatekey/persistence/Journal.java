package dev.gatekey.persistence;

import dev.gatekey.store.Change;
import jakarta.persistence.EntityManager;
import java.time.Instant;

/**
 * Writes the change feed (what the filters' caches follow), the audit trail and the webhook outbox
 * ({@link #webhooks()}), in the caller's transaction. Audit rows and events name the actor and the target, never key
 * material or hashes.
 */
final class Journal {

    private final Transactions transactions;
    private final WebhookEvents webhooks;

    Journal(Transactions transactions, WebhookEvents webhooks) {
        this.transactions = transactions;
        this.webhooks = webhooks;
    }

    /** The webhook outbox, written in the same transaction as the change it reports. */
    WebhookEvents webhooks() {
        return webhooks;
    }

    /** A KEY change row: every filter forgets what it cached of this key. */
    void keyChanged(EntityManager em, ApiKeyEntity key, Instant now) {
        ChangeEntity change = new ChangeEntity();
        change.type = Change.Type.KEY.name();
        change.keyHash = key.keyHash;
        change.createdOn = now;
        em.persist(change);
    }

    /** A FLUSH change row: every filter drops its whole cache. */
    void flushed(EntityManager em) {
        ChangeEntity change = new ChangeEntity();
        change.type = Change.Type.FLUSH.name();
        change.createdOn = transactions.now();
        em.persist(change);
    }

    void audit(EntityManager em, String actor, String action, String targetType, String targetId, String detail) {
        AuditEventEntity event = new AuditEventEntity();
        event.actor = actor;
        event.action = action;
        event.targetType = targetType;
        event.targetId = targetId;
        event.detail = detail;
        event.createdOn = transactions.now();
        em.persist(event);
    }

    /** Revokes an active key: the change row lets every filter drop it within a poll. */
    void revoke(EntityManager em, String actor, ApiKeyEntity key, String bucketName, String consumerName,
            Instant now) {
        key.revokedOn = now;
        keyChanged(em, key, now);
        webhooks.keyRevoked(em, key, now);
        audit(em, actor, "key.revoke", "key", key.publicId, "bucket=" + bucketName + " consumer=" + consumerName);
    }
}
