package dev.gatekey.persistence;

import java.time.Instant;
import java.util.List;

/**
 * A webhook endpoint.
 *
 * @param id public id ({@code wh_…})
 * @param url where events are POSTed: https, or http to a loopback address
 * @param events the event types it receives, or {@code ["*"]} for all
 * @param secret the signing secret ({@code whsec_…}): only in the result of
 *     {@link WebhookService#create}, null everywhere else
 */
public record Webhook(String id, String url, List<String> events, String description, boolean enabled,
        Instant createdOn, Instant updatedOn, String secret) {

    public Webhook {
        events = List.copyOf(events);
    }

    /** Without the secret: records print every component, and a secret must never reach a log. */
    @Override
    public String toString() {
        return "Webhook[id=" + id + ", url=" + url + ", events=" + events + ", enabled=" + enabled + "]";
    }
}
