package dev.gatekey.admin.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.gatekey.persistence.Page;
import dev.gatekey.persistence.Webhook;
import dev.gatekey.persistence.WebhookChanges;
import dev.gatekey.persistence.WebhookDelivery;
import dev.gatekey.persistence.WebhookService;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The lifecycle webhook routes: {@code /webhooks} (list, create with the secret shown once),
 * {@code /webhooks/{id}} (read, change, delete), {@code /webhooks/{id}/test} (enqueue a {@code webhook.test} event)
 * and {@code /webhooks/{id}/deliveries} (newest first, keyset paginated). Writes need the admin role.
 */
final class WebhookRoutes {

    static final String WEBHOOKS = "/webhooks";
    static final String WEBHOOK = WEBHOOKS + "/{webhookId}";

    record NewWebhookBody(String url, List<String> events, String description) {
    }

    record WebhookChangesBody(String url, List<String> events, String description, Boolean enabled) {
    }

    /** An endpoint; {@code secret} only in the answer that created it. */
    record WebhookView(String id, String url, List<String> events, String description, boolean enabled,
            Instant createdOn, Instant updatedOn, @JsonInclude(JsonInclude.Include.NON_NULL) String secret) {

        static WebhookView of(Webhook w) {
            return new WebhookView(w.id(), w.url(), w.events(), w.description(), w.enabled(), w.createdOn(),
                    w.updatedOn(), w.secret());
        }

        @Override
        public String toString() {
            return "WebhookView[id=" + id + "]";
        }
    }

    private final WebhookService webhooks;

    private WebhookRoutes(WebhookService webhooks) {
        this.webhooks = webhooks;
    }

    static void register(Router router, WebhookService webhooks) {
        WebhookRoutes routes = new WebhookRoutes(webhooks);
        router.add(AdminApi.GET, WEBHOOKS, false, routes::list)
                .add(AdminApi.POST, WEBHOOKS, true, routes::create)
                .add(AdminApi.GET, WEBHOOK, false, r -> ApiResponse.ok(WebhookView.of(webhooks.get(r.path("webhookId")))))
                .add(AdminApi.PATCH, WEBHOOK, true, routes::update)
                .add(AdminApi.DELETE, WEBHOOK, true, routes::delete)
                .add(AdminApi.POST, WEBHOOK + "/test", true, routes::test)
                .add(AdminApi.GET, WEBHOOK + "/deliveries", false, routes::deliveries);
    }

    private ApiResponse list(ApiRequest r) {
        return ApiResponse.ok(new Views.Listing<>(webhooks.list().stream().map(WebhookView::of).toList()));
    }

    private ApiResponse create(ApiRequest r) {
        NewWebhookBody body = r.body(NewWebhookBody.class, true);
        Webhook created = webhooks.create(r.actor(), body.url(), body.events(), body.description());
        return ApiResponse.created(WebhookView.of(created), r.location("webhooks", created.id()));
    }

    private ApiResponse update(ApiRequest r) {
        WebhookChangesBody body = r.body(WebhookChangesBody.class, true);
        return ApiResponse.ok(WebhookView.of(webhooks.update(r.actor(), r.path("webhookId"),
                new WebhookChanges(body.url(), body.events(), body.description(), body.enabled()))));
    }

    private ApiResponse delete(ApiRequest r) {
        webhooks.delete(r.actor(), r.path("webhookId"));
        return ApiResponse.noContent();
    }

    private ApiResponse test(ApiRequest r) {
        r.body(AdminApi.EmptyBody.class, false);
        String eventId = webhooks.sendTest(r.actor(), r.path("webhookId"));
        return new ApiResponse(202, Map.of("eventId", eventId), Map.of());
    }

    private ApiResponse deliveries(ApiRequest r) {
        Page<WebhookDelivery> page = webhooks.deliveries(r.path("webhookId"), r.intQuery("limit"), r.query("cursor"));
        return ApiResponse.ok(new Views.PageView<>(page.data(), page.nextCursor()));
    }
}
