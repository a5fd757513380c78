package dev.gatekey.quickstart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The quickstart in this JVM on a free port and a temporary data directory, driven over HTTP as a user would:
 * the admin API creates consumers and keys, the demo API checks them. The restart test runs last.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class QuickstartTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CONSUMERS = "/admin/api/v1/buckets/demo-live/consumers";

    @TempDir
    static Path dataDir;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private Quickstart quickstart;
    private String adminKey;

    @BeforeAll
    void start() throws Exception {
        quickstart = Quickstart.start("--port", "0", "--data", dataDir.toString());
        adminKey = Files.readString(quickstart.adminKeyFile()).trim();
    }

    @AfterAll
    void stop() {
        if (quickstart != null) {
            quickstart.close();
        }
    }

    @Test
    @Order(1)
    void healthIsUp() throws Exception {
        HttpResponse<String> response = get("/health", null);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).startsWith("{\"status\":\"UP\",\"dependencies\":{")
                .contains("\"demo-live\":{\"database\":\"closed\"}", "\"gatekey-admin\":{\"database\":\"closed\"}");
    }

    @Test
    @Order(1)
    void publicPingNeedsNoKey() throws Exception {
        assertThat(get("/public/ping", null).statusCode()).isEqualTo(200);
    }

    @Test
    @Order(1)
    void apiPingWithoutKeyIsUnauthorized() throws Exception {
        assertThat(get("/api/ping", null).statusCode()).isEqualTo(401);
    }

    @Test
    @Order(1)
    void adminKeyFileIsOwnerOnly() throws Exception {
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(quickstart.adminKeyFile())))
                .isEqualTo("rw-------");
        assertThat(adminKey).startsWith("gkadm_");
    }

    @Test
    @Order(2)
    void consumerKeyFromAdminApiWorksOnDemoApiUntilRevoked() throws Exception {
        JsonNode consumer = createConsumer("acme");
        String key = consumer.path("apiKeys").path(0).path("key").asText();
        String keyId = consumer.path("apiKeys").path(0).path("id").asText();

        HttpResponse<String> whoami = get("/api/whoami", key);
        assertThat(whoami.statusCode()).isEqualTo(200);
        JsonNode principal = JSON.readTree(whoami.body());
        assertThat(principal.path("sub").asText()).isEqualTo("acme");
        assertThat(principal.path("bucket").asText()).isEqualTo("demo-live");
        assertThat(principal.path("keyId").asText()).isEqualTo(keyId);
        assertThat(get("/api/orders", key).statusCode()).isEqualTo(200);

        HttpResponse<String> revoke = send(HttpRequest.newBuilder(uri(CONSUMERS + "/acme/keys/" + keyId)).DELETE()
                .header("Authorization", "Bearer " + adminKey));
        assertThat(revoke.statusCode()).isEqualTo(204);

        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(100))
                .until(() -> get("/api/whoami", key).statusCode() == 401);
    }

    @Test
    @Order(3)
    void metricsCountValidRequests() throws Exception {
        String key = createConsumer("metrics-reader").path("apiKeys").path(0).path("key").asText();
        assertThat(get("/api/ping", key).statusCode()).isEqualTo(200);

        HttpResponse<String> metrics = get("/metrics", null);

        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("text/plain"));
        // the demo API's filter and the admin WAR's key filter count apart
        assertThat(metrics.body())
                .containsPattern("(?m)^gatekey_requests_total\\{bucket=\"demo-live\",outcome=\"valid\"\\} [1-9]")
                .containsPattern("(?m)^gatekey_requests_total\\{bucket=\"gatekey-admin\",outcome=\"valid\"\\} [1-9]");
    }

    @Test
    @Order(10)
    void restartOnSameDataDirKeepsKeysAndCreatesNothing() throws Exception {
        String key = createConsumer("survivor").path("apiKeys").path(0).path("key").asText();
        String adminKeyFile = Files.readString(quickstart.adminKeyFile());

        quickstart.close();
        quickstart = Quickstart.start("--port", "0", "--data", dataDir.toString());

        assertThat(get("/api/whoami", key).statusCode()).isEqualTo(200);
        assertThat(Files.readString(quickstart.adminKeyFile())).isEqualTo(adminKeyFile);
        HttpResponse<String> buckets = send(HttpRequest.newBuilder(uri("/admin/api/v1/buckets"))
                .header("Authorization", "Bearer " + adminKey));
        assertThat(buckets.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(buckets.body()).path("data").findValuesAsText("name"))
                .containsExactlyInAnyOrder("demo-live", "gatekey-admin");
        HttpResponse<String> admins = send(HttpRequest.newBuilder(
                uri("/admin/api/v1/buckets/gatekey-admin/consumers?include-api-keys=true"))
                .header("Authorization", "Bearer " + adminKey));
        assertThat(JSON.readTree(admins.body()).path("data")).hasSize(1);
        assertThat(JSON.readTree(admins.body()).path("data").path(0).path("apiKeys")).hasSize(1);
    }

    private JsonNode createConsumer(String name) throws IOException, InterruptedException {
        HttpResponse<String> created = send(HttpRequest.newBuilder(uri(CONSUMERS + "?with-api-key=true"))
                .header("Authorization", "Bearer " + adminKey).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"" + name + "\"}")));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        return JSON.readTree(created.body());
    }

    private HttpResponse<String> get(String path, String key) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path));
        if (key != null) {
            request.header("Authorization", "Bearer " + key);
        }
        return send(request);
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return http.send(request.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(String path) {
        return URI.create("http://localhost:" + quickstart.port() + path);
    }
}
