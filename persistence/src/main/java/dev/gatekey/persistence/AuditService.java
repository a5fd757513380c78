package dev.gatekey.persistence;

/**
 * The audit trail: every mutation of the other services, and every key shown in full, as {@link AuditEvent}s
 * naming the actor and the target (never key material or hashes). Get one from {@link KeyManagement#audit()}.
 *
 * <p>Errors are typed: {@link InvalidInputException} (400) for a bad page limit or cursor, and
 * {@link DatabaseUnavailableException} (503) for every failure of the database itself. Thread-safe.
 */
public final class AuditService {

    /** Audit action of a key shown in full ({@link KeyFormat#VISIBLE}) by a read. */
    public static final String KEY_REVEALED = "key.revealed";

    /** Audit action of a credit adjustment ({@link KeyService#adjustCredits}). */
    public static final String KEY_CREDITS = "key.credits";

    private final Transactions transactions;

    AuditService(Transactions transactions) {
        this.transactions = transactions;
    }

    /**
     * Audit events, newest first, keyset paginated.
     *
     * @throws InvalidInputException for a bad limit or cursor
     */
    public Page<AuditEvent> list(Integer limit, String cursor) {
        return Pages.newestFirst(transactions, "AuditEvent", AuditEventEntity.class, limit, cursor, a -> a.id,
                a -> new AuditEvent(a.id, a.actor, a.action, a.targetType, a.targetId, a.detail, a.createdOn));
    }
}
