package dev.gatekey.admin.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatekey.persistence.GatekeyDatabase;
import dev.gatekey.persistence.KeyManagement;
import dev.gatekey.persistence.NewConsumer;
import dev.gatekey.testsupport.http.Http;
import java.net.URL;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Lifecycle webhooks over HTTP in embedded Tomcat: the {@code /webhooks} routes (secret once, field errors, 404,
 * roles, audit) and the WAR's own delivery worker sending signed events to a real local receiver.
 */
@ExtendWith(ArquillianExtension.class)
class WebhooksApiTest {

    private static final TestDeployment DEPLOYMENT = new TestDeployment("gatekey-webhooks");
    private static final Duration WAIT = Duration.ofSeconds(30);

    private static GatekeyDatabase database;
    private static String viewerKey;
    private static SignedWebhookReceiver receiver;

    @ArquillianResource
    private URL base;

    private Http admin;

    @Deployment(testable = false)
    static WebArchive deployment() {
        return DEPLOYMENT.archive();
    }

    @BeforeAll
    static void arrange() {
        database = DEPLOYMENT.openDatabase();
        KeyManagement km = DEPLOYMENT.keyManagement(database);
        viewerKey = km.consumers().create("test", "gatekey-admin", new NewConsumer("hook-viewer", null,
                Map.of("roles", List.of("viewer")), null), true).apiKeys().get(0).key();
        km.buckets().create("test", "hooked", null, "hook", false);
        SeenKeys.ALL.add(viewerKey);
        receiver = new SignedWebhookReceiver();
    }

    @AfterAll
    static void close() {
        receiver.close();
        database.close();
    }

    @BeforeEach
    void client() {
        admin = SeenKeys.client(base).withKey(DEPLOYMENT.adminKey());
    }

    private JsonNode create(List<String> events) {
        Http.Response created = admin.api("POST", "/webhooks", Map.of("url", receiver.url(), "events", events,
                "description", "ops"));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        return created.json();
    }

    private static void assertFieldError(Http.Response response, String field, String message) {
        assertThat(response.status()).as(response.toString()).isEqualTo(400);
        JsonNode errors = response.json().path("errors");
        assertThat(errors.size()).as(response.toString()).isEqualTo(1);
        assertThat(errors.get(0).path("field").asText()).isEqualTo(field);
        assertThat(errors.get(0).path("message").asText()).isEqualTo(message);
    }

    @Test
    void postWebhookWhenValidThenSecretOnceAndReadsWithoutIt() {
        Http.Response created = admin.api("POST", "/webhooks", Map.of("url", receiver.url(), "events",
                List.of("key.created"), "description", "ops"));
        assertThat(created.status()).isEqualTo(201);
        String id = created.json().path("id").asText();
        assertThat(created.header("Location")).endsWith("/api/v1/webhooks/" + id);
        assertThat(created.json().path("secret").asText()).startsWith("whsec_");
        assertThat(created.json().path("enabled").asBoolean()).isTrue();

        JsonNode read = admin.api("GET", "/webhooks/" + id).json();
        assertThat(read.has("secret")).isFalse();
        assertThat(read.path("events").get(0).asText()).isEqualTo("key.created");
        assertThat(admin.api("GET", "/webhooks").json().path("data").findValues("secret")).isEmpty();
        JsonNode event = admin.api("GET", "/audit?limit=1").json().path("data").get(0);
        assertThat(event.path("action").asText()).isEqualTo("webhook.create");
        assertThat(event.path("targetId").asText()).isEqualTo(id);
    }

    @Test
    void postWebhookWhenBadUrlOrEventThenExactFieldErrors() {
        assertFieldError(admin.api("POST", "/webhooks", Map.of("url", "http://hooks.example.com/x", "events",
                List.of("*"))), "url", "url must use https (http is allowed for loopback addresses only)");
        assertFieldError(admin.api("POST", "/webhooks", Map.of("url", "https://hooks.example.com/x", "events",
                List.of("key.created", "key.lost"))), "events[1]", "events[1] must be one of key.created, key.rolled,"
                + " key.revoked, key.expiring, key.expired, key.leaked, consumer.created, consumer.deleted,"
                + " ratelimit.exceeded, credits.exhausted, or \"*\" alone");
        assertFieldError(admin.api("POST", "/webhooks", Map.of("url", "https://hooks.example.com/x", "events",
                List.of("*"), "secret", "mine")), "secret", "unknown property");
    }

    @Test
    void patchWebhookWhenDisabledThenChangedAndAudited() {
        String id = create(List.of("*")).path("id").asText();
        Http.Response patched = admin.api("PATCH", "/webhooks/" + id, Map.of("enabled", false, "events",
                List.of("key.leaked"), "description", "quiet"));
        assertThat(patched.status()).as(patched.toString()).isEqualTo(200);
        assertThat(patched.json().path("enabled").asBoolean()).isFalse();
        assertThat(patched.json().path("description").asText()).isEqualTo("quiet");
        assertThat(patched.json().path("events").toString()).isEqualTo("[\"key.leaked\"]");
        JsonNode event = admin.api("GET", "/audit?limit=1").json().path("data").get(0);
        assertThat(event.path("action").asText()).isEqualTo("webhook.update");
        assertFieldError(admin.api("PATCH", "/webhooks/" + id, Map.of("url", "ftp://x.example.com")), "url",
                "url must be an absolute https URL");
    }

    @Test
    void deleteWebhookWhenDeletedThenNotFoundEverywhere() {
        String id = create(List.of("*")).path("id").asText();
        assertThat(admin.api("DELETE", "/webhooks/" + id).status()).isEqualTo(204);
        for (String[] call : new String[][] {{"GET", ""}, {"PATCH", ""}, {"DELETE", ""}, {"POST", "/test"},
                {"GET", "/deliveries"}}) {
            Http.Response answer = call[0].equals("PATCH") ? admin.api("PATCH", "/webhooks/" + id, Map.of())
                    : admin.api(call[0], "/webhooks/" + id + call[1]);
            assertThat(answer.status()).as(call[0] + call[1]).isEqualTo(404);
        }
    }

    @Test
    void viewerWhenReadingThenAllowedAndWhenWritingThenForbidden() {
        String id = create(List.of("*")).path("id").asText();
        Http viewer = SeenKeys.client(base).withKey(viewerKey);
        assertThat(viewer.api("GET", "/webhooks").status()).isEqualTo(200);
        assertThat(viewer.api("GET", "/webhooks/" + id + "/deliveries").status()).isEqualTo(200);
        assertThat(viewer.api("POST", "/webhooks/" + id + "/test").status()).isEqualTo(403);
        assertThat(viewer.api("DELETE", "/webhooks/" + id).status()).isEqualTo(403);
        assertThat(viewer.api("POST", "/webhooks", Map.of("url", receiver.url(), "events", List.of("*"))).status())
                .isEqualTo(403);
        assertThat(SeenKeys.client(base).api("GET", "/webhooks").status()).isEqualTo(401);
    }

    @Test
    void createKeyWhenSubscribedThenWorkerDeliversSignedEventAndDeliveryShowsIt() {
        JsonNode hook = create(List.of("key.created"));
        Http.Response consumer = admin.api("POST", "/buckets/hooked/consumers?with-api-key=true",
                Map.of("name", "alice"));
        assertThat(consumer.status()).isEqualTo(201);
        String keyId = consumer.json().path("apiKeys").get(0).path("id").asText();
        SignedWebhookReceiver.Received got = receiver.await(keyId, hook.path("secret").asText(), WAIT);
        assertThat(got.signedWith(hook.path("secret").asText())).isTrue();
        assertThat(got.body()).startsWith("{\"type\":\"key.created\",\"timestamp\":")
                .contains("\"consumer\":{\"id\":\"" + consumer.json().path("id").asText() + "\",\"name\":\"alice\"}")
                .doesNotContain(consumer.json().path("apiKeys").get(0).path("key").asText());

        String deliveries = "/webhooks/" + hook.path("id").asText() + "/deliveries";
        SignedWebhookReceiver.awaitCondition(WAIT, "the delivery settled", () -> admin.api("GET", deliveries).json()
                .path("data").get(0).path("status").asText().equals("succeeded"));
        JsonNode delivery = admin.api("GET", deliveries).json().path("data").get(0);
        assertThat(delivery.path("eventId").asText()).isEqualTo(got.id());
        assertThat(delivery.path("type").asText()).isEqualTo("key.created");
        assertThat(delivery.path("attempts").asInt()).isEqualTo(1);
        assertThat(delivery.path("lastResponseCode").asInt()).isEqualTo(204);
        assertThat(delivery.path("nextAttemptOn").isNull()).isTrue();
        assertFieldError(admin.api("GET", deliveries + "?limit=0"), "limit", "limit must be between 1 and 1000");
    }

    @Test
    void postTestWhenEndpointSubscribedToOtherEventsThenTestEventDelivered() {
        JsonNode hook = create(List.of("key.leaked"));
        Http.Response queued = admin.api("POST", "/webhooks/" + hook.path("id").asText() + "/test");
        assertThat(queued.status()).as(queued.toString()).isEqualTo(202);
        String eventId = queued.json().path("eventId").asText();
        SignedWebhookReceiver.awaitCondition(WAIT, "the test event", () -> receiver.received.stream()
                .anyMatch(r -> eventId.equals(r.id())));
        SignedWebhookReceiver.Received got = receiver.received.stream().filter(r -> eventId.equals(r.id()))
                .findFirst().orElseThrow();
        assertThat(got.body()).startsWith("{\"type\":\"webhook.test\"");
        assertThat(got.signedWith(hook.path("secret").asText())).isTrue();
    }
}
