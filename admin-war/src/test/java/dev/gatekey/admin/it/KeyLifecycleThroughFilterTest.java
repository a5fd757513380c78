package dev.gatekey.admin.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatekey.persistence.GatekeyDatabase;
import dev.gatekey.testsupport.http.Http;
import java.net.URL;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
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
 * Keys administered over the API, validated by an ordinary {@code ApiKeyFilter} in front of a protected
 * servlet of the same deployment (change feed polled every 100 ms): what an administrator does reaches
 * the filter within the change-feed interval.
 */
@ExtendWith(ArquillianExtension.class)
class KeyLifecycleThroughFilterTest {

    private static final TestDeployment DEPLOYMENT = new TestDeployment("gatekey-admin-lifecycle");
    private static final Duration FEED_DEADLINE = Duration.ofSeconds(5);

    private static GatekeyDatabase database;

    @ArquillianResource
    private URL base;

    private Http admin;
    private Http anonymous;

    @Deployment(testable = false)
    static WebArchive deployment() {
        return DEPLOYMENT.archive();
    }

    @BeforeAll
    static void createDemoBucket() {
        database = DEPLOYMENT.openDatabase();
        DEPLOYMENT.keyManagement(database).buckets().create("test", TestDeployment.DEMO_BUCKET, null,
                TestDeployment.DEMO_PREFIX, false);
    }

    @AfterAll
    static void close() {
        database.close();
    }

    @BeforeEach
    void clients() {
        anonymous = SeenKeys.client(base);
        admin = anonymous.withKey(DEPLOYMENT.adminKey());
    }

    private String consumerWithKey(String name) {
        Http.Response created = admin.api("POST", "/buckets/demo-live/consumers?with-api-key=true",
                Map.of("name", name));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        return created.json().path("apiKeys").get(0).path("key").asText();
    }

    private int protectedStatus(String key) {
        return anonymous.withKey(key).send("GET", "protected/whoami", null,
                java.net.http.HttpRequest.BodyPublishers.noBody()).status();
    }

    @Test
    void rollKeyWhenTransitionThenOldKeyKeptUntilExpiredNowRejectsIt() {
        String first = consumerWithKey("alice");
        assertThat(protectedStatus(first)).isEqualTo(200);

        Http.Response rolled = admin.api("POST", "/buckets/demo-live/consumers/alice/roll-key",
                Map.of("expiresOn", Instant.now().plus(1, ChronoUnit.HOURS).toString()));
        assertThat(rolled.status()).as(rolled.toString()).isEqualTo(201);
        String second = rolled.json().path("key").asText();

        assertThat(protectedStatus(first)).as("old key during the transition").isEqualTo(200);
        assertThat(protectedStatus(second)).as("new key").isEqualTo(200);
        Http.Response who = anonymous.withKey(second).send("GET", "protected/whoami", null,
                java.net.http.HttpRequest.BodyPublishers.noBody());
        assertThat(who.field("sub") + " " + who.field("keyId"))
                .isEqualTo("alice " + rolled.json().path("id").asText());

        Http.Response rolledNow = admin.api("POST", "/buckets/demo-live/consumers/alice/roll-key",
                Map.of("expiresOn", Instant.now().toString()));
        assertThat(rolledNow.status()).isEqualTo(201);
        String third = rolledNow.json().path("key").asText();

        await().atMost(FEED_DEADLINE).pollInterval(Duration.ofMillis(50))
                .until(() -> protectedStatus(first) == 401 && protectedStatus(second) == 401);
        assertThat(protectedStatus(third)).isEqualTo(200);
        JsonNode keys = admin.api("GET", "/buckets/demo-live/consumers/alice/keys").json().path("data");
        assertThat(keys).hasSize(3);
        assertThat(keys.get(0).path("revokedOn").isNull()).isFalse();
        assertThat(keys.get(2).path("revokedOn").isNull()).isTrue();
    }

    @Test
    void revokeKeyWhenFilterCachedItThenRejectedWithinTheChangeFeedInterval() {
        String key = consumerWithKey("bob");
        assertThat(protectedStatus(key)).isEqualTo(200);
        String id = admin.api("GET", "/buckets/demo-live/consumers/bob/keys").json().path("data").get(0)
                .path("id").asText();

        assertThat(admin.api("DELETE", "/buckets/demo-live/consumers/bob/keys/" + id).status()).isEqualTo(204);

        await().atMost(FEED_DEADLINE).pollInterval(Duration.ofMillis(50)).until(() -> protectedStatus(key) == 401);
    }

    @Test
    void deleteConsumerWhenFilterCachedItsKeysThenRejectedWithinTheChangeFeedInterval() {
        String key = consumerWithKey("carol");
        assertThat(protectedStatus(key)).isEqualTo(200);

        assertThat(admin.api("DELETE", "/buckets/demo-live/consumers/carol").status()).isEqualTo(204);

        await().atMost(FEED_DEADLINE).pollInterval(Duration.ofMillis(50)).until(() -> protectedStatus(key) == 401);
    }

    @Test
    void revokeKeyWhenViewerAdminKeyThenRejectedByTheAdminFilterWithinTheChangeFeedInterval() {
        Http.Response created = admin.api("POST", "/buckets/gatekey-admin/consumers?with-api-key=true",
                Map.of("name", "temp-viewer", "metadata", Map.of("roles", java.util.List.of("viewer"))));
        String viewerKey = created.json().path("apiKeys").get(0).path("key").asText();
        String id = created.json().path("apiKeys").get(0).path("id").asText();
        assertThat(anonymous.withKey(viewerKey).api("GET", "/buckets").status()).isEqualTo(200);

        admin.api("DELETE", "/buckets/gatekey-admin/consumers/temp-viewer/keys/" + id);

        await().atMost(FEED_DEADLINE).pollInterval(Duration.ofMillis(50))
                .until(() -> anonymous.withKey(viewerKey).api("GET", "/buckets").status() == 401);
    }
}
