package dev.gatekey.admin.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatekey.admin.api.AdminApi;
import dev.gatekey.admin.api.Route;
import dev.gatekey.format.ApiKeyFormat;
import dev.gatekey.persistence.AuditEvent;
import dev.gatekey.persistence.AuditService;
import dev.gatekey.persistence.GatekeyDatabase;
import dev.gatekey.persistence.KeyManagement;
import dev.gatekey.persistence.NewConsumer;
import dev.gatekey.testsupport.http.Http;
import dev.gatekey.testsupport.logging.LogCapture;
import java.io.ByteArrayInputStream;
import java.net.URL;
import java.net.http.HttpRequest.BodyPublishers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/** The admin API over HTTP in embedded Tomcat: routes, status codes, JSON shapes, roles, limits. */
@ExtendWith(ArquillianExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AdminApiTest {

    private static final LogCapture LOGS = LogCapture.install();
    private static final TestDeployment DEPLOYMENT = new TestDeployment("gatekey-admin-api");

    /** Fixture for role checks: a bucket with one consumer and one key, never changed. */
    private static final String FIXED_BUCKET = "fixture";
    private static final String FIXED_CONSUMER = "alice";

    private static GatekeyDatabase database;
    private static KeyManagement keys;
    private static String viewerKey;
    private static String noRoleKey;
    private static String fixedKeyId;
    private static String fixedWebhookId;

    @ArquillianResource
    private URL base;

    private Http anonymous;
    private Http admin;

    @Deployment(testable = false)
    static WebArchive deployment() {
        return DEPLOYMENT.archive();
    }

    @BeforeAll
    static void arrange() {
        database = DEPLOYMENT.openDatabase();
        keys = DEPLOYMENT.keyManagement(database);
        viewerKey = keys.consumers().create("test", "gatekey-admin", new NewConsumer("viewer", null,
                Map.of("roles", List.of("viewer")), null), true).apiKeys().get(0).key();
        noRoleKey = keys.consumers().create("test", "gatekey-admin", NewConsumer.named("nobody"), true)
                .apiKeys().get(0).key();
        keys.buckets().create("test", FIXED_BUCKET, null, "fixture", false);
        fixedKeyId = keys.consumers().create("test", FIXED_BUCKET, NewConsumer.named(FIXED_CONSUMER), true)
                .apiKeys().get(0).id();
        SeenKeys.ALL.addAll(List.of(viewerKey, noRoleKey));
        fixedWebhookId = keys.webhooks().create("test", "https://hooks.example.com/fixture", List.of("*"), null).id();
    }

    @AfterAll
    static void close() {
        database.close();
    }

    @BeforeEach
    void clients() {
        anonymous = SeenKeys.client(base);
        admin = anonymous.withKey(DEPLOYMENT.adminKey());
        SeenKeys.ALL.add(DEPLOYMENT.adminKey());
    }

    /** Every route of the router's own table, its path variables filled with the fixture. */
    private static List<Route> routes() {
        return new AdminApi(keys).router().routes();
    }

    private static String fixturePath(Route route) {
        return route.template().replace("{bucket}", FIXED_BUCKET).replace("{consumer}", FIXED_CONSUMER)
                .replace("{keyId}", fixedKeyId).replace("{webhookId}", fixedWebhookId);
    }

    private static void assertProblem(Http.Response response, int status) {
        assertThat(response.status()).as(response.toString()).isEqualTo(status);
        assertThat(response.contentType()).startsWith("application/problem+json");
        JsonNode problem = response.json();
        assertThat(problem.path("status").asInt()).isEqualTo(status);
        assertThat(problem.has("type")).isTrue();
        assertThat(problem.has("title")).isTrue();
        assertThat(problem.has("detail")).isTrue();
        assertThat(response.body()).doesNotContain("Exception", "\tat ", "SELECT", "select ");
    }

    private static void assertFieldError(Http.Response response, String field) {
        assertProblem(response, 400);
        List<String> fields = new ArrayList<>();
        response.json().path("errors").forEach(e -> fields.add(e.path("field").asText()));
        assertThat(fields).as(response.toString()).contains(field);
    }

    // ---------------------------------------------------------------- authentication and roles

    @Test
    void deployWhenFirstStartThenOwnerOnlyAdminKeyFileWhoseKeyIsAnAdmin() throws Exception {
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(DEPLOYMENT.keyFile)))
                .isEqualTo("rw-------");
        assertThat(DEPLOYMENT.adminKey()).startsWith("gkadm_");

        Http.Response buckets = admin.api("GET", "/buckets");

        assertThat(buckets.status()).isEqualTo(200);
        JsonNode adminBucket = null;
        for (JsonNode bucket : buckets.json().path("data")) {
            if (bucket.path("name").asText().equals("gatekey-admin")) {
                adminBucket = bucket;
            }
        }
        assertThat(adminBucket).as(buckets.toString()).isNotNull();
        assertThat(adminBucket.path("keyPrefix").asText()).isEqualTo("gkadm");
        assertThat(adminBucket.path("retrievable").asBoolean()).isFalse();
    }

    @Test
    void callWhenNoCredentialsThenEveryRouteIs401WithBearerChallenge() {
        assertThat(routes()).hasSizeGreaterThan(15);
        for (Route route : routes()) {
            Http.Response response = anonymous.api(route.method(), fixturePath(route), route.method().equals("GET")
                    || route.method().equals("DELETE") ? null : "{}");

            assertProblem(response, 401);
            assertThat(response.header("WWW-Authenticate")).as(route.toString())
                    .isEqualTo("Bearer realm=\"gatekey-admin\"");
        }
    }

    @Test
    void callWhenUnknownRouteWithoutCredentialsThen401() {
        assertProblem(anonymous.api("GET", "/nope"), 401);
    }

    @Test
    void callWhenAdminKeyInvalidThen401InvalidToken() {
        Http.Response response = anonymous.withKey("gkadm_" + "0".repeat(40) + "_3o65Rv").api("GET", "/buckets");

        assertThat(response.status()).isEqualTo(401);
        assertThat(response.header("WWW-Authenticate")).contains("invalid_token");
    }

    @Test
    void callWhenKeyOfAnotherBucketThen401() {
        String fixtureKey = keys.keys().create("test", FIXED_BUCKET, FIXED_CONSUMER, null, null).key();
        SeenKeys.ALL.add(fixtureKey);

        assertThat(anonymous.withKey(fixtureKey).api("GET", "/buckets").status()).isEqualTo(401);
    }

    @Test
    void callWhenViewerThenReadsEveryGetRouteAndIsRefusedEveryWriteRoute() {
        Http viewer = anonymous.withKey(viewerKey);
        for (Route route : routes()) {
            Http.Response response = viewer.api(route.method(), fixturePath(route),
                    route.method().equals("GET") || route.method().equals("DELETE") ? null : "{}");
            if (route.write()) {
                assertProblem(response, 403);
            } else {
                assertThat(response.status()).as(route + " " + response).isEqualTo(200);
            }
        }
        // the refusals changed nothing
        assertThat(keys.keys().get(FIXED_BUCKET, FIXED_CONSUMER, fixedKeyId, null).revokedOn()).isNull();
    }

    @Test
    void listKeysWhenVisibleAskedByViewerThenRefusedButAnAdminGetsThem() {
        keys.buckets().create("test", "retrievable", null, "retr", true);
        keys.consumers().create("test", "retrievable", NewConsumer.named("dave"), true);
        String path = "/buckets/retrievable/consumers/dave/keys?key-format=visible";

        assertProblem(anonymous.withKey(viewerKey).api("GET", path), 403);
        assertProblem(anonymous.withKey(viewerKey).api("GET",
                "/buckets/retrievable/consumers/dave?include-api-keys=true&key-format=VISIBLE"), 403);
        assertThat(anonymous.withKey(viewerKey).api("GET", path.replace("visible", "masked")).status()).isEqualTo(200);
        assertThat(admin.api("GET", path).json().path("data").get(0).path("key").asText()).startsWith("retr_");
    }

    /** Every spelling of {@code visible} that the parser accepts, on every route that shows keys. */
    @Test
    void callWhenViewerAsksVisibleInAnySpellingThenRefusedOnEveryRouteThatShowsKeys() {
        keys.buckets().create("test", "reveal-probe", null, "rvprobe", true);
        String keyId = keys.consumers().create("test", "reveal-probe", NewConsumer.named("erin"), true)
                .apiKeys().get(0).id();
        Http viewer = anonymous.withKey(viewerKey);
        String consumer = "/buckets/reveal-probe/consumers/erin";

        for (String spelling : List.of("%20visible", "visible%09", "%20VISIBLE%20", "Visible")) {
            for (String path : List.of(consumer + "/keys?key-format=" + spelling,
                    consumer + "/keys/" + keyId + "?key-format=" + spelling,
                    consumer + "?include-api-keys=true&key-format=" + spelling,
                    "/buckets/reveal-probe/consumers?include-api-keys=true&key-format=" + spelling)) {
                Http.Response answer = viewer.api("GET", path);
                assertProblem(answer, 403);
                assertThat(answer.body()).as(path).doesNotContain("rvprobe_");
            }
        }
        assertThat(keys.audit().list(1, null).data().get(0).action()).isNotEqualTo(AuditService.KEY_REVEALED);
    }

    @Test
    void getKeyWhenAdminReadsItInFullThenAuditedAsKeyRevealedWithItsIdOnly() {
        keys.buckets().create("test", "revealed", null, "revealed", true);
        String keyId = keys.consumers().create("test", "revealed", NewConsumer.named("frank"), true).apiKeys().get(0).id();

        Http.Response answer = admin.api("GET", "/buckets/revealed/consumers/frank/keys/" + keyId
                + "?key-format=%20visible");

        assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
        String key = answer.json().path("key").asText();
        assertThat(key).startsWith("revealed_");
        AuditEvent event = keys.audit().list(1, null).data().get(0);
        assertThat(event).extracting(AuditEvent::actor, AuditEvent::action, AuditEvent::targetType,
                AuditEvent::targetId).containsExactly("admin", AuditService.KEY_REVEALED, "key", keyId);
        assertThat(String.valueOf(event.detail())).doesNotContain(key);
    }

    @Test
    void readWhenAdminKeyWithoutRoleThen403() {
        assertProblem(anonymous.withKey(noRoleKey).api("GET", "/buckets"), 403);
    }

    @Test
    void callWhenContainerUserInRoleGatekeyAdminThenAnAdminAndTheActor() {
        // as after a BASIC login: the Authorization header of another scheme is not an API key
        Http ops = anonymous.with(ContainerUserFilter.USER_HEADER, "ops")
                .with(ContainerUserFilter.ROLES_HEADER, "gatekey-admin")
                .with("Authorization", "Basic b3BzOm9wcy1wYXNzd29yZA==");

        Http.Response created = ops.api("POST", "/buckets", Map.of("name", "ops-bucket", "keyPrefix", "ops",
                "retrievable", false));

        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        JsonNode event = ops.api("GET", "/audit?limit=1").json().path("data").get(0);
        assertThat(event.path("actor").asText()).isEqualTo("ops");
        assertThat(event.path("action").asText()).isEqualTo("bucket.create");
    }

    @Test
    void callWhenContainerUserHasAVeryLongNameThenRecordedShortenedNotRefused() {
        Http ops = anonymous.with(ContainerUserFilter.USER_HEADER, "u".repeat(400))
                .with(ContainerUserFilter.ROLES_HEADER, "gatekey-admin");

        Http.Response flushed = ops.api("POST", "/cache/flush");

        assertThat(flushed.status()).as(flushed.toString()).isEqualTo(202);
        String actor = ops.api("GET", "/audit?limit=1").json().path("data").get(0).path("actor").asText();
        assertThat(actor).hasSize(256).startsWith("uuu").endsWith("…");
    }

    @Test
    void callWhenContainerUserWithoutTheRoleThen403() {
        Http other = anonymous.with(ContainerUserFilter.USER_HEADER, "guest")
                .with(ContainerUserFilter.ROLES_HEADER, "manager");

        assertProblem(other.api("GET", "/buckets"), 403);
    }

    // ---------------------------------------------------------------- routing

    @Test
    void callWhenUnknownRouteThen404() {
        assertProblem(admin.api("GET", "/nope"), 404);
        assertProblem(admin.api("GET", "/buckets/" + FIXED_BUCKET + "/consumers/" + FIXED_CONSUMER + "/nope"), 404);
        assertProblem(admin.api("GET", "/buckets/"), 404);
    }

    @Test
    void callWhenWrongMethodThen405WithAllow() {
        Http.Response response = admin.api("PUT", "/buckets", "{}");

        assertProblem(response, 405);
        assertThat(response.header("Allow")).isEqualTo("GET, POST");
        assertThat(admin.api("POST", "/audit", "{}").header("Allow")).isEqualTo("GET");
    }

    @Test
    void getOpenApiWhenAskedThenServedAsYaml() {
        Http.Response response = admin.api("GET", "/openapi.yaml");

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.contentType()).startsWith("application/yaml");
        assertThat(response.body()).startsWith("openapi: 3.1");
    }

    // ---------------------------------------------------------------- buckets

    @Test
    void bucketWhenCreatedReadPatchedAndDeletedThenEachStepAnswersAsDocumented() {
        Http.Response created = admin.api("POST", "/buckets", Map.of("name", "acme-live", "description", "Acme",
                "keyPrefix", "acme_live"));

        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        assertThat(created.header("Location")).endsWith("/api/v1/buckets/acme-live");
        JsonNode bucket = created.json();
        assertThat(bucket.path("retrievable").asBoolean()).isTrue();
        assertThat(Instant.parse(bucket.path("createdOn").asText())).isBefore(Instant.now().plusSeconds(1));
        assertThat(bucket.path("createdOn").asText()).endsWith("Z");

        assertThat(admin.api("GET", "/buckets/acme-live").json().path("description").asText()).isEqualTo("Acme");
        Http.Response patched = admin.api("PATCH", "/buckets/acme-live", Map.of("description", "Acme Inc."));
        assertThat(patched.status()).isEqualTo(200);
        assertThat(patched.json().path("description").asText()).isEqualTo("Acme Inc.");
        assertThat(patched.json().path("keyPrefix").asText()).isEqualTo("acme_live");

        assertThat(admin.api("DELETE", "/buckets/acme-live").status()).isEqualTo(204);
        assertProblem(admin.api("GET", "/buckets/acme-live"), 404);
    }

    @Test
    void createBucketWhenNameOrPrefixTakenThen409() {
        admin.api("POST", "/buckets", Map.of("name", "dup-bucket", "keyPrefix", "dup"));

        assertProblem(admin.api("POST", "/buckets", Map.of("name", "dup-bucket", "keyPrefix", "dup2")), 409);
        assertProblem(admin.api("POST", "/buckets", Map.of("name", "dup-bucket2", "keyPrefix", "dup")), 409);
    }

    @Test
    void createBucketWhenFieldsInvalidThen400NamingThem() {
        Http.Response response = admin.api("POST", "/buckets", Map.of("name", "X", "keyPrefix", "9bad"));

        assertFieldError(response, "name");
        assertFieldError(response, "keyPrefix");
    }

    @Test
    void createBucketWhenUnknownPropertyThen400NamingIt() {
        assertFieldError(admin.api("POST", "/buckets", Map.of("name", "colourful", "keyPrefix", "col",
                "colour", "red")), "colour");
    }

    @Test
    void createWhenWrongJsonTypeThen400NamingTheJsonPath() {
        assertFieldError(admin.api("POST", "/buckets/" + FIXED_BUCKET + "/consumers",
                "{\"name\":\"typed\",\"tags\":{\"env\":{\"nested\":1}}}"), "tags.env");
        assertFieldError(admin.api("POST", "/buckets", "{\"name\":\"typed\",\"keyPrefix\":\"t\",\"retrievable\":\"maybe\"}"),
                "retrievable");
    }

    @Test
    void createBucketWhenJsonMalformedThen400OnBodyWithoutEchoingIt() {
        Http.Response response = admin.api("POST", "/buckets", "{\"name\": secret-garbage");

        assertFieldError(response, "body");
        assertThat(response.body()).doesNotContain("secret-garbage");
        assertFieldError(admin.api("POST", "/buckets", "[1,2]"), "body");
    }

    @Test
    void createBucketWhenBodyMissingThen400() {
        assertFieldError(admin.api("POST", "/buckets"), "body");
    }

    @Test
    void deleteBucketWhenItHasConsumersThen409() {
        assertProblem(admin.api("DELETE", "/buckets/" + FIXED_BUCKET), 409);
    }

    @Test
    void callWhenBucketUnknownThen404() {
        assertProblem(admin.api("GET", "/buckets/no-such-bucket"), 404);
        assertProblem(admin.api("GET", "/buckets/no-such-bucket/consumers"), 404);
        assertProblem(admin.api("PATCH", "/buckets/no-such-bucket", Map.of("description", "x")), 404);
    }

    // ---------------------------------------------------------------- body limits and media types

    @Test
    void createBucketWhenBodyOverTheLimitThen413() {
        String big = "{\"name\":\"big\",\"keyPrefix\":\"big\",\"description\":\"" + "x".repeat(70 * 1024) + "\"}";

        assertProblem(admin.api("POST", "/buckets", big), 413);
    }

    @Test
    void createBucketWhenChunkedBodyOverTheLimitThen413WithoutContentLength() {
        byte[] big = ("{\"description\":\"" + "x".repeat(70 * 1024) + "\"}").getBytes(StandardCharsets.UTF_8);

        Http.Response response = admin.send("POST", "api/v1/buckets", "application/json",
                BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(big)));

        assertProblem(response, 413);
    }

    @Test
    void createBucketWhenBodyIsNotJsonThen415() {
        assertProblem(admin.send("POST", "api/v1/buckets", "text/plain", BodyPublishers.ofString("name=x")), 415);
        assertProblem(admin.send("POST", "api/v1/buckets", "application/x-www-form-urlencoded",
                BodyPublishers.ofString("name=x")), 415);
        assertProblem(admin.send("PATCH", "api/v1/buckets/" + FIXED_BUCKET, "application/xml",
                BodyPublishers.ofString("<x/>")), 415);
    }

    @Test
    void createBucketWhenJsonWithCharsetThenAccepted() {
        Http.Response response = admin.send("POST", "api/v1/buckets", "application/json; charset=UTF-8",
                BodyPublishers.ofString("{\"name\":\"charset-ok\",\"keyPrefix\":\"charset\"}"));

        assertThat(response.status()).as(response.toString()).isEqualTo(201);
    }

    // ---------------------------------------------------------------- consumers

    @Test
    void consumerWhenCreatedWithApiKeyReadPatchedAndDeletedThenEachStepAnswersAsDocumented() {
        admin.api("POST", "/buckets", Map.of("name", "people", "keyPrefix", "people", "retrievable", false));

        Http.Response created = admin.api("POST", "/buckets/people/consumers?with-api-key=true", Map.of(
                "name", "bob", "description", "Bob", "metadata", Map.of("plan", "gold"), "tags", Map.of("env", "prod")));

        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        assertThat(created.header("Location")).endsWith("/api/v1/buckets/people/consumers/bob");
        JsonNode bob = created.json();
        assertThat(bob.path("id").asText()).startsWith("con_");
        assertThat(bob.path("metadata").path("plan").asText()).isEqualTo("gold");
        assertThat(bob.path("tags").path("env").asText()).isEqualTo("prod");
        String key = bob.path("apiKeys").get(0).path("key").asText();
        assertThat(ApiKeyFormat.crc32().isValid(key)).isTrue();
        assertThat(key).startsWith("people_");

        JsonNode read = admin.api("GET", "/buckets/people/consumers/bob").json();
        assertThat(read.has("apiKeys")).isFalse();
        JsonNode masked = admin.api("GET", "/buckets/people/consumers/bob?include-api-keys=true&key-format=masked")
                .json().path("apiKeys").get(0);
        assertThat(masked.path("key").asText()).isEqualTo(ApiKeyFormat.mask(key));
        assertProblem(admin.api("GET", "/buckets/people/consumers/bob?include-api-keys=true&key-format=visible"), 409);

        Http.Response patched = admin.api("PATCH", "/buckets/people/consumers/bob",
                Map.of("metadata", Map.of("plan", "silver"), "tags", Map.of("env", "dev")));
        assertThat(patched.status()).isEqualTo(200);
        assertThat(patched.json().path("metadata").path("plan").asText()).isEqualTo("silver");
        assertThat(patched.json().path("description").asText()).isEqualTo("Bob");

        assertThat(admin.api("DELETE", "/buckets/people/consumers/bob").status()).isEqualTo(204);
        assertProblem(admin.api("GET", "/buckets/people/consumers/bob"), 404);
        assertThat(admin.api("DELETE", "/buckets/people").status()).isEqualTo(204);
    }

    @Test
    void createConsumerWhenWithoutApiKeyThenHasNoApiKeys() {
        Http.Response created = admin.api("POST", "/buckets/" + FIXED_BUCKET + "/consumers",
                Map.of("name", "keyless"));

        assertThat(created.status()).isEqualTo(201);
        assertThat(created.json().has("apiKeys")).isFalse();
    }

    @Test
    void createConsumerWhenNameTakenThen409() {
        assertProblem(admin.api("POST", "/buckets/" + FIXED_BUCKET + "/consumers", Map.of("name", FIXED_CONSUMER)),
                409);
    }

    @Test
    void createConsumerWhenFieldsInvalidThen400NamingThem() {
        assertFieldError(admin.api("POST", "/buckets/" + FIXED_BUCKET + "/consumers", Map.of("name", "-bad name")),
                "name");
        assertFieldError(admin.api("POST", "/buckets/" + FIXED_BUCKET + "/consumers",
                Map.of("name", "tagged", "tags", Map.of("bad key!", "x"))), "tags");
    }

    @Test
    void createConsumerWhenMetadataOversizedThen413() {
        assertProblem(admin.api("POST", "/buckets/" + FIXED_BUCKET + "/consumers",
                Map.of("name", "heavy", "metadata", Map.of("blob", "x".repeat(2000)))), 413);
    }

    @Test
    void createConsumerWhenJsonHasInfiniteNumberNulOrLoneSurrogateThen400NamingTheField() {
        String consumers = "/buckets/" + FIXED_BUCKET + "/consumers";
        assertFieldError(admin.api("POST", consumers, "{\"name\":\"inf\",\"metadata\":{\"n\":1e999999}}"),
                "metadata.n");
        assertFieldError(admin.api("POST", consumers, "{\"name\":\"nul\",\"description\":\"a\\u0000b\"}"),
                "description");
        assertFieldError(admin.api("POST", consumers, "{\"name\":\"lone\",\"metadata\":{\"m\":\"\\ud800\"}}"),
                "metadata.m");
        assertFieldError(admin.api("POST", consumers, "{\"name\":\"tagnul\",\"tags\":{\"env\":\"\\u0000\"}}"),
                "tags.env");
        assertFieldError(admin.api("POST", consumers, "{\"name\":\"fast\",\"metadata\":{\"rateLimit\":\"9999999999/1s\"}}"),
                "metadata.rateLimit");
        assertThat(admin.api("GET", consumers + "/inf").status()).isEqualTo(404);
    }

    /** Tomcat refuses %00 in paths itself; query parameters reach the API. */
    @Test
    void listConsumersWhenFiltersHoldNulThen400NamingThemNotADatabaseFailure() {
        String consumers = "/buckets/" + FIXED_BUCKET + "/consumers";
        assertFieldError(admin.api("GET", consumers + "?name-prefix=a%00"), "name-prefix");
        assertFieldError(admin.api("GET", consumers + "?tag.env=%00"), "tag.env");
    }

    @Test
    void listConsumersWhenQueryParametersInvalidThen400NamingThem() {
        String consumers = "/buckets/" + FIXED_BUCKET + "/consumers";
        assertFieldError(admin.api("GET", consumers + "?limit=0"), "limit");
        assertFieldError(admin.api("GET", consumers + "?limit=1001"), "limit");
        assertFieldError(admin.api("GET", consumers + "?limit=ten"), "limit");
        assertFieldError(admin.api("GET", consumers + "?cursor=garbage"), "cursor");
        assertFieldError(admin.api("GET", consumers + "?include-api-keys=yes"), "include-api-keys");
        assertFieldError(admin.api("GET", consumers + "?include-api-keys=true&key-format=plain"), "key-format");
        assertFieldError(admin.api("POST", consumers + "?with-api-key=sure", Map.of("name", "q")), "with-api-key");
        assertFieldError(admin.api("GET", "/audit?limit=-1"), "limit");
    }

    @Test
    void listConsumersWhenPagedWithTagFilterThenNoDuplicatesOrGapsAndEndsWithNullCursor() {
        keys.buckets().create("test", "paging", null, "paging", false);
        List<String> prod = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            String name = "c" + String.format("%02d", i);
            String env = i % 3 == 0 ? "prod" : "dev";
            keys.consumers().create("test", "paging", new NewConsumer(name, null, null, Map.of("env", env,
                    "team", i % 2 == 0 ? "a" : "b")), false);
            if (env.equals("prod")) {
                prod.add(name);
            }
        }

        assertThat(walk("/buckets/paging/consumers?limit=4&tag.env=prod")).containsExactlyElementsOf(prod);
        assertThat(walk("/buckets/paging/consumers?limit=7")).hasSize(25).doesNotHaveDuplicates();
        assertThat(walk("/buckets/paging/consumers?limit=2&tag.env=prod&tag.team=a"))
                .containsExactlyElementsOf(prod.stream().filter(n -> Integer.parseInt(n.substring(1)) % 2 == 0).toList());
        assertThat(walk("/buckets/paging/consumers?limit=3&name-prefix=c1&tag.env=prod")).containsExactly("c12", "c15", "c18");
        assertThat(walk("/buckets/paging/consumers?limit=4&name-prefix=c2")).containsExactly("c20", "c21", "c22", "c23", "c24");
        Http.Response tooLong = admin.api("GET", "/buckets/paging/consumers?name-prefix=" + "c".repeat(129));
        assertThat(tooLong.status()).isEqualTo(400);
        assertThat(tooLong.json().path("errors").get(0).path("field").asText()).isEqualTo("name-prefix");
        JsonNode all = admin.api("GET", "/buckets/paging/consumers?limit=1000").json();
        assertThat(all.path("data")).hasSize(25);
        assertThat(all.path("nextCursor").isNull()).isTrue();
    }

    private List<String> walk(String firstPage) {
        List<String> names = new ArrayList<>();
        String url = firstPage;
        Set<String> cursors = new HashSet<>();
        for (int pages = 0; pages < 50; pages++) {
            Http.Response page = admin.api("GET", url);
            assertThat(page.status()).as(page.toString()).isEqualTo(200);
            page.json().path("data").forEach(c -> names.add(c.path("name").asText()));
            JsonNode next = page.json().path("nextCursor");
            assertThat(page.json().has("nextCursor")).isTrue();
            if (next.isNull()) {
                return names;
            }
            assertThat(cursors.add(next.asText())).isTrue();
            url = firstPage + "&cursor=" + next.asText();
        }
        throw new AssertionError("pagination did not end");
    }

    // ---------------------------------------------------------------- keys

    @Test
    void keyWhenCreatedListedReadPatchedAndRevokedThenEachStepAnswersAsDocumented() {
        admin.api("POST", "/buckets", Map.of("name", "vault", "keyPrefix", "vault"));
        admin.api("POST", "/buckets/vault/consumers", Map.of("name", "carol"));
        String expiry = Instant.now().plus(30, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS).toString();

        Http.Response created = admin.api("POST", "/buckets/vault/consumers/carol/keys",
                Map.of("description", "ci", "expiresOn", expiry));

        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        JsonNode key = created.json();
        String id = key.path("id").asText();
        String text = key.path("key").asText();
        assertThat(text).startsWith("vault_");
        assertThat(key.path("expiresOn").asText()).isEqualTo(expiry);
        assertThat(created.header("Location")).endsWith("/api/v1/buckets/vault/consumers/carol/keys/" + id);

        JsonNode listed = admin.api("GET", "/buckets/vault/consumers/carol/keys").json().path("data").get(0);
        assertThat(listed.has("key")).isFalse();
        assertThat(listed.path("description").asText()).isEqualTo("ci");
        assertThat(admin.api("GET", "/buckets/vault/consumers/carol/keys?key-format=visible").json()
                .path("data").get(0).path("key").asText()).isEqualTo(text);
        assertThat(admin.api("GET", "/buckets/vault/consumers/carol/keys/" + id + "?key-format=masked").json()
                .path("key").asText()).isEqualTo(ApiKeyFormat.mask(text));

        Map<String, Object> neverExpires = new LinkedHashMap<>();
        neverExpires.put("expiresOn", null);
        Http.Response patched = admin.api("PATCH", "/buckets/vault/consumers/carol/keys/" + id, neverExpires);
        assertThat(patched.status()).isEqualTo(200);
        assertThat(patched.json().path("expiresOn").isNull()).isTrue();
        assertThat(patched.json().path("description").asText()).isEqualTo("ci");

        assertThat(admin.api("DELETE", "/buckets/vault/consumers/carol/keys/" + id).status()).isEqualTo(204);
        assertThat(admin.api("GET", "/buckets/vault/consumers/carol/keys/" + id).json().path("revokedOn").isNull())
                .isFalse();
    }

    @Test
    void createKeyWhenExpiryPastOrInvalidThen400NamingIt() {
        String keys = "/buckets/" + FIXED_BUCKET + "/consumers/" + FIXED_CONSUMER + "/keys";
        assertFieldError(admin.api("POST", keys, Map.of("expiresOn", "2001-01-01T00:00:00Z")), "expiresOn");
        assertFieldError(admin.api("PATCH", keys + "/" + fixedKeyId, Map.of("expiresOn", "2001-01-01T00:00:00Z")),
                "expiresOn");
        assertFieldError(admin.api("POST", keys, Map.of("expiresOn", "next tuesday")), "expiresOn");
    }

    @Test
    void callWhenKeyOrConsumerUnknownThen404() {
        String keys = "/buckets/" + FIXED_BUCKET + "/consumers/" + FIXED_CONSUMER + "/keys";
        assertProblem(admin.api("GET", keys + "/key_nope"), 404);
        assertProblem(admin.api("DELETE", keys + "/key_nope"), 404);
        assertProblem(admin.api("GET", "/buckets/" + FIXED_BUCKET + "/consumers/nobody-here/keys"), 404);
    }

    @Test
    void listKeysWhenVisibleAskedOfAnIrretrievableBucketThen409() {
        assertProblem(admin.api("GET", "/buckets/" + FIXED_BUCKET + "/consumers/" + FIXED_CONSUMER
                + "/keys?key-format=visible"), 409);
    }

    @Test
    void rollKeyWhenConsumerHasAKeyThen201WithTheNewKeyVisible() {
        admin.api("POST", "/buckets/" + FIXED_BUCKET + "/consumers", Map.of("name", "roller"));
        admin.api("POST", "/buckets/" + FIXED_BUCKET + "/consumers/roller/keys");

        Http.Response rolled = admin.api("POST", "/buckets/" + FIXED_BUCKET + "/consumers/roller/roll-key",
                Map.of("expiresOn", Instant.now().plus(1, ChronoUnit.HOURS).toString()));

        assertThat(rolled.status()).as(rolled.toString()).isEqualTo(201);
        assertThat(rolled.json().path("key").asText()).startsWith("fixture_");
        assertThat(rolled.header("Location")).contains("/consumers/roller/keys/key_");
        assertProblem(admin.api("POST", "/buckets/" + FIXED_BUCKET + "/consumers/nobody-here/roll-key"), 404);
    }

    @Test
    void rollKeyWhenDescriptionGivenThenItLabelsTheNewKey() {
        admin.api("POST", "/buckets/" + FIXED_BUCKET + "/consumers", Map.of("name", "labelled-roller"));

        Http.Response rolled = admin.api("POST", "/buckets/" + FIXED_BUCKET + "/consumers/labelled-roller/roll-key",
                Map.of("description", "billing service", "expiresOn", Instant.now().plus(1, ChronoUnit.HOURS).toString()));

        assertThat(rolled.status()).as(rolled.toString()).isEqualTo(201);
        assertThat(rolled.json().path("description").asText()).isEqualTo("billing service");
    }

    // ---------------------------------------------------------------- cache and audit

    @Test
    void flushCacheWhenAskedThen202AndAudited() {
        Http.Response flushed = admin.api("POST", "/cache/flush");

        assertThat(flushed.status()).isEqualTo(202);
        JsonNode event = admin.api("GET", "/audit?limit=1").json().path("data").get(0);
        assertThat(event.path("action").asText()).isEqualTo("cache.flush");
        assertThat(event.path("actor").asText()).isEqualTo("admin");
    }

    @Test
    void listAuditWhenPagedThenNewestFirstAndEndsWithNullCursor() {
        List<Long> ids = new ArrayList<>();
        String url = "/audit?limit=3";
        String cursor;
        do {
            JsonNode page = admin.api("GET", url).json();
            page.path("data").forEach(e -> ids.add(e.path("id").asLong()));
            assertThat(page.has("nextCursor")).isTrue();
            cursor = page.path("nextCursor").isNull() ? null : page.path("nextCursor").asText();
            url = "/audit?limit=3&cursor=" + cursor;
        } while (cursor != null);

        assertThat(ids).hasSizeGreaterThan(3).doesNotHaveDuplicates();
        assertThat(ids).isSortedAccordingTo((a, b) -> Long.compare(b, a));
    }

    // ---------------------------------------------------------------- logs

    @Test
    @Order(Integer.MAX_VALUE)
    void logWhenAllTestsRanThenStartLineButNoKeyMaterialOrSecrets() {
        List<String> lines = LOGS.lines();

        assertThat(lines).anyMatch(l -> l.contains("Gatekey admin API started"));
        assertThat(SeenKeys.ALL).hasSizeGreaterThan(5);
        for (String line : lines) {
            for (String key : SeenKeys.ALL) {
                assertThat(line).doesNotContain(key);
            }
            assertThat(line).doesNotContain(DEPLOYMENT.masterKeys.substring(3));
        }
    }
}
