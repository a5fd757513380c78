package dev.gatekey.persistence;

import java.util.List;

/** Changes to a webhook endpoint; a null component leaves that field unchanged (a null description too). */
public record WebhookChanges(String url, List<String> events, String description, Boolean enabled) {
}
