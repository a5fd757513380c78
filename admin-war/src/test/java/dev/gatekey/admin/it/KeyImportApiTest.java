package dev.gatekey.admin.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatekey.persistence.GatekeyDatabase;
import dev.gatekey.persistence.ImportService;
import dev.gatekey.persistence.KeyManagement;
import dev.gatekey.persistence.NewConsumer;
import dev.gatekey.store.KeyHashes;
import dev.gatekey.testsupport.http.Http;
import java.net.URL;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
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
 * {@code POST /buckets/{bucket}/import} over HTTP in embedded Tomcat: per-item results, idempotency, item errors
 * with exact messages, the imported mask in key views, roles, the item limit and the audit.
 */
@ExtendWith(ArquillianExtension.class)
class KeyImportApiTest {

    private static final TestDeployment DEPLOYMENT = new TestDeployment("gatekey-key-import");
    private static final String IMPORT = "/buckets/imports/import";
    private static final AtomicInteger SEQUENCE = new AtomicInteger();

    private static GatekeyDatabase database;
    private static String viewerKey;

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
        viewerKey = km.consumers().create("test", "gatekey-admin", new NewConsumer("import-viewer", null,
                Map.of("roles", List.of("viewer")), null), true).apiKeys().get(0).key();
        km.buckets().create("test", "imports", null, "imp", true);
        km.buckets().create("test", "elsewhere", null, "els", false);
        SeenKeys.ALL.add(viewerKey);
    }

    @AfterAll
    static void close() {
        database.close();
    }

    @BeforeEach
    void client() {
        admin = SeenKeys.client(base).withKey(DEPLOYMENT.adminKey());
    }

    private static String unique(String base) {
        return base + SEQUENCE.incrementAndGet();
    }

    private static String hashOf(String legacyKey) {
        return "sha256:" + KeyHashes.sha256Hex(legacyKey);
    }

    private static Map<String, Object> item(String consumer, String keyHash) {
        Map<String, Object> item = new LinkedHashMap<>();
        item.put("consumer", consumer);
        item.put("keyHash", keyHash);
        return item;
    }

    private JsonNode importOk(Object body) {
        Http.Response response = admin.api("POST", IMPORT, body);
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        return response.json();
    }

    @Test
    void importKeysWhenNewThenCreatedWithConsumerAndPerItemResults() {
        String consumer = unique("acme");
        Map<String, Object> first = item(consumer, hashOf(consumer + "-1"));
        first.put("description", "from the old table");
        first.put("createdOn", "2020-01-01T00:00:00Z");
        first.put("expiresOn", "2999-01-01T00:00:00Z");
        first.put("metadata", Map.of("plan", "gold", "roles", List.of("orders:read")));

        JsonNode answer = importOk(List.of(first, item(consumer, hashOf(consumer + "-2"))));

        assertThat(answer.path("created").asInt()).isEqualTo(2);
        assertThat(answer.path("exists").asInt()).isZero();
        assertThat(answer.path("failed").asInt()).isZero();
        JsonNode result = answer.path("data").get(0);
        assertThat(result.path("index").asInt()).isZero();
        assertThat(result.path("status").asText()).isEqualTo("created");
        assertThat(result.path("keyId").asText()).startsWith("key_");
        assertThat(result.has("errors")).isFalse();
        JsonNode read = admin.api("GET", "/buckets/imports/consumers/" + consumer + "?include-api-keys=true"
                + "&key-format=masked").json();
        assertThat(read.path("metadata").path("plan").asText()).isEqualTo("gold");
        JsonNode key = read.path("apiKeys").get(0);
        assertThat(key.path("id").asText()).isEqualTo(result.path("keyId").asText());
        assertThat(key.path("description").asText()).isEqualTo("from the old table");
        assertThat(key.path("createdOn").asText()).isEqualTo("2020-01-01T00:00:00Z");
        String hash = hashOf(consumer + "-1");
        assertThat(key.path("key").asText()).isEqualTo("imported\u2026" + hash.substring(hash.length() - 4));
    }

    @Test
    void importKeysWhenSentTwiceThenExistsWithTheSameKeyIds() {
        String consumer = unique("twice");
        List<Map<String, Object>> body = List.of(item(consumer, hashOf(consumer)));
        String keyId = importOk(body).path("data").get(0).path("keyId").asText();

        JsonNode again = importOk(body);

        assertThat(again.path("exists").asInt()).isEqualTo(1);
        assertThat(again.path("created").asInt()).isZero();
        assertThat(again.path("data").get(0).path("status").asText()).isEqualTo("exists");
        assertThat(again.path("data").get(0).path("keyId").asText()).isEqualTo(keyId);
    }

    @Test
    void importKeysWhenItemsBadThenPerItemErrorsWithExactMessagesAndTheGoodOnesCreated() {
        String taken = unique("taken");
        assertThat(admin.api("POST", "/buckets/elsewhere/import", List.of(item(taken, hashOf(taken)))).status())
                .isEqualTo(200);
        Map<String, Object> unknownProperty = item(unique("u"), hashOf(unique("u")));
        unknownProperty.put("color", "red");
        Map<String, Object> badDate = item(unique("d"), hashOf(unique("d")));
        badDate.put("expiresOn", "tomorrow");
        List<Object> body = new ArrayList<>(List.of(
                item("not a name", "sha256:" + "A".repeat(64)),
                item(unique("other"), hashOf(taken)),
                unknownProperty,
                badDate,
                "not an object",
                item(unique("good"), hashOf(unique("good")))));

        JsonNode answer = importOk(body);

        JsonNode data = answer.path("data");
        assertThat(answer.path("created").asInt()).isEqualTo(1);
        assertThat(answer.path("failed").asInt()).isEqualTo(5);
        assertThat(data.get(0).path("status").asText()).isEqualTo("error");
        assertThat(data.get(0).has("keyId")).isFalse();
        assertThat(errors(data.get(0))).containsExactly(
                "consumer: consumer must match ^[A-Za-z0-9][A-Za-z0-9._@-]{0,127}$",
                "keyHash: keyHash must be sha256: followed by 64 lowercase hex digits");
        assertThat(errors(data.get(1))).containsExactly("keyHash: keyHash belongs to another consumer or bucket");
        assertThat(errors(data.get(2))).containsExactly("color: unknown property");
        assertThat(errors(data.get(3))).containsExactly("expiresOn: invalid value");
        assertThat(errors(data.get(4))).containsExactly("body: an item must be a JSON object");
        assertThat(data.get(5).path("status").asText()).isEqualTo("created");
        assertThat(data.get(5).path("index").asInt()).isEqualTo(5);
    }

    private static List<String> errors(JsonNode result) {
        List<String> errors = new ArrayList<>();
        result.path("errors").forEach(e -> errors.add(e.path("field").asText() + ": " + e.path("message").asText()));
        return errors;
    }

    @Test
    void importKeysWhenMoreThanTenThousandItemsThenPayloadTooLargeAndNothingWritten() {
        String consumer = unique("many");
        List<Map<String, Object>> body = new ArrayList<>();
        for (int i = 0; i <= ImportService.MAX_ITEMS; i++) {
            body.add(item(consumer, hashOf(consumer + i)));
        }

        Http.Response response = admin.api("POST", IMPORT, body);

        assertThat(response.status()).as(response.toString()).isEqualTo(413);
        assertThat(response.contentType()).startsWith("application/problem+json");
        assertThat(response.json().path("detail").asText()).isEqualTo("an import must not have more than 10000 items");
        assertThat(admin.api("GET", "/buckets/imports/consumers/" + consumer).status()).isEqualTo(404);
    }

    @Test
    void importKeysWhenBodyOverTheServletLimitThenTheRouteLimitAppliesAndAllCreated() {
        String consumer = unique("full");
        List<Map<String, Object>> body = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            body.add(item(consumer, hashOf(consumer + "-" + i)));
        }
        assertThat(Http.JSON.valueToTree(body).toString().length()).as("over the default 64 KiB")
                .isGreaterThan(64 * 1024);

        JsonNode answer = importOk(body);

        assertThat(answer.path("created").asInt()).isEqualTo(1000);
        assertThat(answer.path("data").size()).isEqualTo(1000);
    }

    @Test
    void importKeysWhenBodyNotAnArrayThenBadRequest() {
        Http.Response response = admin.api("POST", IMPORT, Map.of("consumer", "x"));
        assertThat(response.status()).isEqualTo(400);
        assertThat(response.json().path("errors").get(0).path("message").asText())
                .isEqualTo("the body must be a JSON array");
    }

    @Test
    void importKeysWhenBucketMissingThenNotFound() {
        assertThat(admin.api("POST", "/buckets/" + unique("nobucket") + "/import", List.of()).status())
                .isEqualTo(404);
    }

    @Test
    void importKeysWhenViewerThenForbiddenAndNothingWritten() {
        String consumer = unique("viewer");
        Http.Response response = SeenKeys.client(base).withKey(viewerKey).api("POST", IMPORT,
                List.of(item(consumer, hashOf(consumer))));
        assertThat(response.status()).isEqualTo(403);
        assertThat(admin.api("GET", "/buckets/imports/consumers/" + consumer).status()).isEqualTo(404);
    }

    @Test
    void getKeyWhenImportedAndVisibleAskedThenTheImportedMaskNotAKey() {
        String consumer = unique("visible");
        String hash = hashOf(consumer);
        String keyId = importOk(List.of(item(consumer, hash))).path("data").get(0).path("keyId").asText();

        Http.Response key = admin.api("GET", "/buckets/imports/consumers/" + consumer + "/keys/" + keyId
                + "?key-format=visible");

        assertThat(key.status()).isEqualTo(200);
        assertThat(key.json().path("key").asText()).isEqualTo("imported\u2026" + hash.substring(hash.length() - 4));
    }

    @Test
    void rollKeyWhenImportedThenAGatekeyKey() {
        String consumer = unique("roll");
        importOk(List.of(item(consumer, hashOf(consumer))));

        Http.Response rolled = admin.api("POST", "/buckets/imports/consumers/" + consumer + "/roll-key",
                Map.of("expiresOn", "2999-01-01T00:00:00Z"));

        assertThat(rolled.status()).isEqualTo(201);
        assertThat(rolled.json().path("key").asText()).startsWith("imp_");
    }

    @Test
    void importKeysWhenDoneThenAuditedWithCountsAndNoHash() {
        String consumer = unique("audited");
        importOk(List.of(item(consumer, hashOf(consumer)), item(consumer, "sha256:bad")));

        JsonNode events = admin.api("GET", "/audit?limit=20").json().path("data");
        JsonNode imported = null;
        for (JsonNode event : events) {
            if (event.path("action").asText().equals("key.import")) {
                imported = event;
                break;
            }
        }
        assertThat(imported).isNotNull();
        assertThat(imported.path("targetId").asText()).isEqualTo("imports");
        assertThat(imported.path("detail").asText()).isEqualTo("created=1 exists=0 errors=0 items=0..0");
        assertThat(events.toString()).doesNotContain(KeyHashes.sha256Hex(consumer));
    }
}
