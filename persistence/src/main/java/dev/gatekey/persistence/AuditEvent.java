package dev.gatekey.persistence;

import java.time.Instant;

/**
 * Who did what to which object, and when. Never contains key material.
 *
 * @param action e.g. {@code consumer.create}, {@code key.revoke}
 * @param targetType {@code bucket}, {@code consumer}, {@code key} or {@code cache}
 */
public record AuditEvent(long id, String actor, String action, String targetType, String targetId,
        String detail, Instant createdOn) {
}
