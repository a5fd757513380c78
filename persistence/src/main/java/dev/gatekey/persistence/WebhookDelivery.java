package dev.gatekey.persistence;

import java.time.Instant;

/**
 * One event for one endpoint and how its delivery went.
 *
 * @param eventId the event's id, the {@code webhook-id} header ({@code msg_…})
 * @param status {@value #PENDING} (waiting for its next attempt), {@value #SUCCEEDED} (a 2xx answered) or
 *     {@value #FAILED} (every attempt failed)
 * @param lastResponseCode the HTTP status of the last attempt, null when none answered
 * @param lastError why the last attempt failed (status or connection error), null after a success
 * @param nextAttemptOn when it is attempted next, null once succeeded or failed
 */
public record WebhookDelivery(long id, String eventId, String type, String status, int attempts,
        Integer lastResponseCode, String lastError, Instant nextAttemptOn, Instant createdOn, Instant updatedOn) {

    public static final String PENDING = "pending";
    public static final String SUCCEEDED = "succeeded";
    public static final String FAILED = "failed";
}
