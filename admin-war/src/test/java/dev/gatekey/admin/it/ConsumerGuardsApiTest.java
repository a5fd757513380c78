package dev.gatekey.admin.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatekey.admin.api.AdminApi;
import dev.gatekey.admin.api.Route;
import dev.gatekey.persistence.ApiKey;
import dev.gatekey.persistence.Consumer;
import dev.gatekey.persistence.GatekeyDatabase;
import dev.gatekey.persistence.KeyFormat;
import dev.gatekey.persistence.KeyManagement;
import dev.gatekey.persistence.NewConsumer;
import dev.gatekey.persistence.NotFoundException;
import dev.gatekey.testsupport.http.Http;
import java.net.URL;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
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
 * Managers and tag guards over HTTP in embedded Tomcat: {@code managers} in consumer bodies and views with their
 * field errors, {@code ?manager=ID} lists, and {@code tag.K=V} guards on every consumer and key route of the
 * router's own table, each called once with the consumer's tag (done) and once with another (404, byte for
 * byte the answer for a consumer that does not exist, and nothing changed).
 */
@ExtendWith(ArquillianExtension.class)
class ConsumerGuardsApiTest {

    private static final TestDeployment DEPLOYMENT = new TestDeployment("gatekey-guards");
    private static final String BUCKET = "tenants";
    private static final AtomicInteger SEQUENCE = new AtomicInteger();

    private static GatekeyDatabase database;
    private static KeyManagement keys;

    @ArquillianResource
    private URL base;

    private Http admin;

    /** One route's call: its body, and the status it answers when the tag guard admits the consumer. */
    private record Case(String body, int status) {
    }

    private static final Map<String, Case> CASES = Map.ofEntries(
            Map.entry("GET /buckets/{bucket}/consumers/{consumer}", new Case(null, 200)),
            Map.entry("PATCH /buckets/{bucket}/consumers/{consumer}", new Case("{\"description\":\"changed\"}", 200)),
            Map.entry("DELETE /buckets/{bucket}/consumers/{consumer}", new Case(null, 204)),
            Map.entry("POST /buckets/{bucket}/consumers/{consumer}/roll-key", new Case("{}", 201)),
            Map.entry("GET /buckets/{bucket}/consumers/{consumer}/keys", new Case(null, 200)),
            Map.entry("POST /buckets/{bucket}/consumers/{consumer}/keys", new Case("{}", 201)),
            Map.entry("GET /buckets/{bucket}/consumers/{consumer}/keys/{keyId}", new Case(null, 200)),
            Map.entry("PATCH /buckets/{bucket}/consumers/{consumer}/keys/{keyId}",
                    new Case("{\"description\":\"changed\"}", 200)),
            Map.entry("DELETE /buckets/{bucket}/consumers/{consumer}/keys/{keyId}", new Case(null, 204)),
            Map.entry("POST /buckets/{bucket}/consumers/{consumer}/keys/{keyId}/credits",
                    new Case("{\"op\":\"set\",\"amount\":5}", 200)),
            Map.entry("GET /buckets/{bucket}/consumers/{consumer}/usage", new Case(null, 200)));

    @Deployment(testable = false)
    static WebArchive deployment() {
        return DEPLOYMENT.archive();
    }

    @BeforeAll
    static void arrange() {
        database = DEPLOYMENT.openDatabase();
        keys = DEPLOYMENT.keyManagement(database);
        keys.buckets().create("test", BUCKET, null, "tenant", false);
    }

    @AfterAll
    static void close() {
        database.close();
    }

    @BeforeEach
    void client() {
        admin = SeenKeys.client(base).withKey(DEPLOYMENT.adminKey());
        SeenKeys.ALL.add(DEPLOYMENT.adminKey());
    }

    /** A new consumer of org {@code acme} with one key, managed by alice. */
    private static Consumer acmeConsumer() {
        Consumer consumer = keys.consumers().create("test", BUCKET, new NewConsumer("c" + SEQUENCE.incrementAndGet(),
                "original", null, Map.of("org", "acme"), List.of("alice")), true);
        SeenKeys.ALL.add(consumer.apiKeys().get(0).key());
        return consumer;
    }

    private static String path(Route route, String consumer, String keyId, String query) {
        return route.template().replace("{bucket}", BUCKET).replace("{consumer}", consumer)
                .replace("{keyId}", keyId) + query;
    }

    private static void assertFieldError(Http.Response response, String field, String message) {
        assertThat(response.status()).as(response.toString()).isEqualTo(400);
        assertThat(response.contentType()).startsWith("application/problem+json");
        JsonNode errors = response.json().path("errors");
        assertThat(errors.size()).as(response.toString()).isEqualTo(1);
        assertThat(errors.get(0).path("field").asText()).isEqualTo(field);
        assertThat(errors.get(0).path("message").asText()).isEqualTo(message);
    }

    private List<String> listed(String query) {
        Http.Response list = admin.api("GET", "/buckets/" + BUCKET + "/consumers?limit=1000" + query);
        assertThat(list.status()).as(list.toString()).isEqualTo(200);
        List<String> names = new ArrayList<>();
        list.json().path("data").forEach(c -> names.add(c.path("name").asText()));
        return names;
    }

    // ---------------------------------------------------------------- tag guards, route by route

    @Test
    void everyConsumerRouteWhenTableCoversItThenACaseForEachOne() {
        List<String> routes = new AdminApi(keys).router().routes().stream()
                .filter(r -> r.template().contains("{consumer}"))
                .map(r -> r.method() + " " + r.template()).toList();
        assertThat(routes).containsExactlyInAnyOrderElementsOf(CASES.keySet());
    }

    @Test
    void everyConsumerRouteWhenTagGuardExcludesTheConsumerThen404LikeAMissingConsumerAndNothingChanged() {
        for (Route route : new AdminApi(keys).router().routes()) {
            Case call = CASES.get(route.method() + " " + route.template());
            if (call == null) {
                continue;
            }
            Consumer acme = acmeConsumer();
            ApiKey key = acme.apiKeys().get(0);
            long audited = keys.audit().list(1, null).data().get(0).id();

            Http.Response guarded = admin.api(route.method(), path(route, acme.name(), key.id(), "?tag.org=globex"),
                    call.body());
            String missing = "z" + acme.name().substring(1);
            Http.Response absent = admin.api(route.method(), path(route, missing, key.id(), ""), call.body());

            assertThat(guarded.status()).as(route + " " + guarded).isEqualTo(404);
            assertThat(guarded.body()).as(route.toString()).isEqualTo(absent.body().replace(missing, acme.name()));
            assertThat(guarded.contentType()).isEqualTo(absent.contentType());
            Consumer after = keys.consumers().get(BUCKET, acme.name(), true, KeyFormat.NONE);
            assertThat(after.description()).as(route.toString()).isEqualTo("original");
            assertThat(after.apiKeys()).as(route.toString()).hasSize(1);
            assertThat(after.apiKeys().get(0).revokedOn()).as(route.toString()).isNull();
            assertThat(after.apiKeys().get(0).description()).as(route.toString()).isNull();
            assertThat(keys.audit().list(1, null).data().get(0).id()).as(route + " audited").isEqualTo(audited);
        }
    }

    @Test
    void everyConsumerRouteWhenTagGuardAdmitsTheConsumerThenDone() {
        for (Route route : new AdminApi(keys).router().routes()) {
            Case call = CASES.get(route.method() + " " + route.template());
            if (call == null) {
                continue;
            }
            Consumer acme = acmeConsumer();
            Http.Response answer = admin.api(route.method(),
                    path(route, acme.name(), acme.apiKeys().get(0).id(), "?tag.org=acme"), call.body());
            assertThat(answer.status()).as(route + " " + answer).isEqualTo(call.status());
        }
    }

    @Test
    void getConsumerWhenGuardHasATagTheConsumerLacksThen404() {
        Consumer acme = acmeConsumer();
        assertThat(admin.api("GET", "/buckets/" + BUCKET + "/consumers/" + acme.name() + "?tag.org=acme&tag.env=prod")
                .status()).isEqualTo(404);
    }

    @Test
    void listConsumersWhenTagGuardThenOnlyThatTenantsConsumers() {
        Consumer acme = acmeConsumer();
        Consumer globex = keys.consumers().create("test", BUCKET, new NewConsumer("g" + SEQUENCE.incrementAndGet(),
                null, null, Map.of("org", "globex"), null), false);
        assertThat(listed("&tag.org=acme")).contains(acme.name()).doesNotContain(globex.name());
        assertThat(listed("&tag.org=globex")).contains(globex.name()).doesNotContain(acme.name());
    }

    @Test
    void createConsumerWhenTagGuardThenTheConsumerCarriesTheTag() {
        String name = "n" + SEQUENCE.incrementAndGet();
        Http.Response created = admin.api("POST", "/buckets/" + BUCKET + "/consumers?tag.org=acme",
                Map.of("name", name, "tags", Map.of("env", "prod")));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        assertThat(created.json().path("tags").toString()).isIn("{\"org\":\"acme\",\"env\":\"prod\"}",
                "{\"env\":\"prod\",\"org\":\"acme\"}");
    }

    @Test
    void createConsumerWhenBodyTagContradictsTheGuardThen400AndNotCreated() {
        String name = "n" + SEQUENCE.incrementAndGet();
        assertFieldError(admin.api("POST", "/buckets/" + BUCKET + "/consumers?tag.org=acme",
                Map.of("name", name, "tags", Map.of("org", "globex"))),
                "tags.org", "tag org must be acme (the tag guard's value)");
        assertThat(admin.api("GET", "/buckets/" + BUCKET + "/consumers/" + name).status()).isEqualTo(404);
    }

    @Test
    void updateConsumerWhenTagsReplacedUnderTheGuardThenTheGuardsTagStays() {
        Consumer acme = acmeConsumer();
        Http.Response updated = admin.api("PATCH", "/buckets/" + BUCKET + "/consumers/" + acme.name()
                + "?tag.org=acme", Map.of("tags", Map.of("env", "dev")));
        assertThat(updated.status()).as(updated.toString()).isEqualTo(200);
        assertThat(keys.consumers().get(BUCKET, acme.name(), false, KeyFormat.NONE).tags())
                .isEqualTo(Map.of("org", "acme", "env", "dev"));
    }

    @Test
    void callWhenTagGuardGivenTwiceOrWithoutKeyThen400() {
        Consumer acme = acmeConsumer();
        String consumer = "/buckets/" + BUCKET + "/consumers/" + acme.name();
        assertFieldError(admin.api("GET", consumer + "?tag.org=acme&tag.org=globex"), "tag.org",
                "tag.org must be given at most once");
        assertFieldError(admin.api("GET", consumer + "/keys?tag.=acme"), "tag.", "tag filters look like tag.KEY=VALUE");
    }

    // ---------------------------------------------------------------- managers

    @Test
    void createConsumerWhenManagersGivenThenReturnedSortedEverywhere() {
        String name = "m" + SEQUENCE.incrementAndGet();
        Http.Response created = admin.api("POST", "/buckets/" + BUCKET + "/consumers",
                Map.of("name", name, "managers", List.of("bob@example.com", "alice@example.com")));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        assertThat(created.json().path("managers").toString()).isEqualTo("[\"alice@example.com\",\"bob@example.com\"]");
        assertThat(admin.api("GET", "/buckets/" + BUCKET + "/consumers/" + name).json().path("managers").toString())
                .isEqualTo("[\"alice@example.com\",\"bob@example.com\"]");
        JsonNode listed = admin.api("GET", "/buckets/" + BUCKET + "/consumers?name-prefix=" + name).json();
        assertThat(listed.path("data").get(0).path("managers").toString())
                .isEqualTo("[\"alice@example.com\",\"bob@example.com\"]");
    }

    @Test
    void updateConsumerWhenManagersGivenThenReplacedAndWhenAbsentThenKept() {
        Consumer acme = acmeConsumer();
        String consumer = "/buckets/" + BUCKET + "/consumers/" + acme.name();
        assertThat(admin.api("PATCH", consumer, Map.of("managers", List.of("carol"))).json().path("managers")
                .toString()).isEqualTo("[\"carol\"]");
        assertThat(admin.api("PATCH", consumer, Map.of("description", "d")).json().path("managers").toString())
                .isEqualTo("[\"carol\"]");
        assertThat(admin.api("PATCH", consumer, Map.of("managers", List.of())).json().path("managers").toString())
                .isEqualTo("[]");
    }

    @Test
    void createConsumerWhenManagersInvalidThenFieldErrorsWithExactMessages() {
        String consumers = "/buckets/" + BUCKET + "/consumers";
        assertFieldError(admin.api("POST", consumers, Map.of("name", "bad1",
                "managers", IntStream.range(0, 21).mapToObj(i -> "m" + i).toList())),
                "managers", "managers must not have more than 20 entries");
        assertFieldError(admin.api("POST", consumers, Map.of("name", "bad2", "managers", List.of("ok", ""))),
                "managers[1]", "managers must be 1 to 254 characters");
        assertFieldError(admin.api("POST", consumers, Map.of("name", "bad3", "managers", List.of("x".repeat(255)))),
                "managers[0]", "managers must be 1 to 254 characters");
        assertFieldError(admin.api("POST", consumers, "{\"name\":\"bad4\",\"managers\":\"alice\"}"),
                "managers", "invalid value");
        assertFieldError(admin.api("PATCH", consumers + "/" + acmeConsumer().name(), "{\"managers\":[null]}"),
                "managers[0]", "managers must be 1 to 254 characters");
    }

    @Test
    void listConsumersWhenManagerGivenThenOnlyTheConsumersTheyManage() {
        Consumer alices = acmeConsumer();
        Consumer bobs = keys.consumers().create("test", BUCKET, new NewConsumer("b" + SEQUENCE.incrementAndGet(),
                null, null, Map.of("org", "globex"), List.of("bob@example.com")), false);
        assertThat(listed("&manager=alice")).contains(alices.name()).doesNotContain(bobs.name());
        assertThat(listed("&manager=bob%40example.com")).containsExactly(bobs.name());
        assertThat(listed("&manager=bob%40example.com&tag.org=acme")).isEmpty();
        assertThat(listed("&manager=nobody")).isEmpty();
    }

    @Test
    void listConsumersWhenManagerEmptyTooLongOrRepeatedThen400() {
        String consumers = "/buckets/" + BUCKET + "/consumers";
        assertFieldError(admin.api("GET", consumers + "?manager="), "manager", "manager must be 1 to 254 characters");
        assertFieldError(admin.api("GET", consumers + "?manager=" + "m".repeat(255)), "manager",
                "manager must be 1 to 254 characters");
        assertFieldError(admin.api("GET", consumers + "?manager=a&manager=b"), "manager",
                "manager must be given at most once");
    }

    @Test
    void deleteConsumerWhenGuardAdmitsThenGone() {
        Consumer acme = acmeConsumer();
        assertThat(admin.api("DELETE", "/buckets/" + BUCKET + "/consumers/" + acme.name() + "?tag.org=acme").status())
                .isEqualTo(204);
        assertThatThrownBy(() -> keys.consumers().get(BUCKET, acme.name(), false, KeyFormat.NONE))
                .isInstanceOf(NotFoundException.class);
    }
}
