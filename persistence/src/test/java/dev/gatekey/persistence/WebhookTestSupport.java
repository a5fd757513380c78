package dev.gatekey.persistence;

import com.fasterxml.jackson.core.type.TypeReference;
import java.util.List;
import java.util.Map;

/** Reading what the outbox holds for one endpoint, for the webhook contracts. */
final class WebhookTestSupport {

    private WebhookTestSupport() {
    }

    /** The bodies of the events queued for {@code webhookId}, oldest first, as maps. */
    static List<Map<String, Object>> eventsOf(TestDatabase db, String webhookId) {
        return db.strings("select ev.payload from gk_webhook_delivery d join gk_webhook_event ev on ev.id = d.event_id"
                        + " join gk_webhook_endpoint e on e.id = d.endpoint_id where e.public_id = '" + webhookId
                        + "' order by d.id").stream().map(WebhookTestSupport::parse).toList();
    }

    static Map<String, Object> parse(String json) {
        try {
            return Json.MAPPER.readValue(json, new TypeReference<Map<String, Object>>() {
            });
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> data(Map<String, Object> event) {
        return (Map<String, Object>) event.get("data");
    }

    @SuppressWarnings("unchecked")
    static Object at(Map<String, Object> event, String... path) {
        Object value = event.get("data");
        for (String step : path) {
            value = ((Map<String, Object>) value).get(step);
        }
        return value;
    }

    static List<String> types(List<Map<String, Object>> events) {
        return events.stream().map(e -> (String) e.get("type")).toList();
    }
}
