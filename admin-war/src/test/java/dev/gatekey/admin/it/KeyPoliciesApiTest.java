package dev.gatekey.admin.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatekey.persistence.GatekeyDatabase;
import dev.gatekey.persistence.KeyManagement;
import dev.gatekey.persistence.NewConsumer;
import dev.gatekey.testsupport.http.Http;
import java.net.URL;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashMap;
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
 * Key policies over HTTP in embedded Tomcat: {@code scopes}, {@code allowedIps} and {@code credits} on key create,
 * PATCH, roll and every key view, {@code POST .../keys/{keyId}/credits}, their field errors, 409, roles and audit.
 */
@ExtendWith(ArquillianExtension.class)
class KeyPoliciesApiTest {

    private static final TestDeployment DEPLOYMENT = new TestDeployment("gatekey-key-policies");
    private static final String BUCKET = "/buckets/policies";
    private static final AtomicInteger SEQUENCE = new AtomicInteger();
    private static final Map<String, Object> CREDITS = Map.of("remaining", 500,
            "refill", Map.of("interval", "monthly", "amount", 1000, "refillDay", 15));

    private static GatekeyDatabase database;
    private static String viewerKey;

    @ArquillianResource
    private URL base;

    private Http admin;
    private String keys;

    @Deployment(testable = false)
    static WebArchive deployment() {
        return DEPLOYMENT.archive();
    }

    @BeforeAll
    static void arrange() {
        database = DEPLOYMENT.openDatabase();
        KeyManagement km = DEPLOYMENT.keyManagement(database);
        viewerKey = km.consumers().create("test", "gatekey-admin", new NewConsumer("policy-viewer", null,
                Map.of("roles", List.of("viewer")), null), true).apiKeys().get(0).key();
        km.buckets().create("test", "policies", null, "pol", false);
        SeenKeys.ALL.add(viewerKey);
    }

    @AfterAll
    static void close() {
        database.close();
    }

    /** A new consumer per test; {@code keys} is its keys' path. */
    @BeforeEach
    void consumer() {
        admin = SeenKeys.client(base).withKey(DEPLOYMENT.adminKey());
        String name = "c" + SEQUENCE.incrementAndGet();
        assertThat(admin.api("POST", BUCKET + "/consumers", Map.of("name", name)).status()).isEqualTo(201);
        keys = BUCKET + "/consumers/" + name + "/keys";
    }

    private static Map<String, Object> policy() {
        return Map.of("scopes", List.of("orders:read", "orders:write"),
                "allowedIps", List.of("10.0.0.0/8", "2001:db8::/32"), "credits", CREDITS);
    }

    private JsonNode createKey(Map<String, Object> body) {
        Http.Response created = admin.api("POST", keys, body);
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        return created.json();
    }

    private static void assertFieldError(Http.Response response, String field, String message) {
        assertThat(response.status()).as(response.toString()).isEqualTo(400);
        assertThat(response.contentType()).startsWith("application/problem+json");
        JsonNode errors = response.json().path("errors");
        assertThat(errors.size()).as(response.toString()).isEqualTo(1);
        assertThat(errors.get(0).path("field").asText()).isEqualTo(field);
        assertThat(errors.get(0).path("message").asText()).isEqualTo(message);
    }

    private void assertCreateRefused(Map<String, Object> body, String field, String message) {
        assertFieldError(admin.api("POST", keys, body), field, message);
    }

    private static Map<String, Object> withNull(String property) {
        Map<String, Object> body = new HashMap<>();
        body.put(property, null);
        return body;
    }

    private static String nextFifteenth() {
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        LocalDate day = today.getDayOfMonth() < 15 ? today.withDayOfMonth(15) : today.plusMonths(1).withDayOfMonth(15);
        return day.atStartOfDay(ZoneOffset.UTC).toInstant().toString();
    }

    private Http.Response adjust(String keyId, String op, long amount) {
        return admin.api("POST", keys + "/" + keyId + "/credits", Map.of("op", op, "amount", amount));
    }

    // ---------------------------------------------------------------- round trips

    @Test
    void createKeyWhenPolicyGivenThen201WithIt() {
        JsonNode key = createKey(policy());
        assertThat(key.path("scopes").toString()).isEqualTo("[\"orders:read\",\"orders:write\"]");
        assertThat(key.path("allowedIps").toString()).isEqualTo("[\"10.0.0.0/8\",\"2001:db8::/32\"]");
        assertThat(key.path("credits").toString()).isEqualTo("{\"remaining\":500,\"refill\":{\"interval\":\"monthly\","
                + "\"amount\":1000,\"refillDay\":15},\"nextRefillAt\":\"" + nextFifteenth() + "\"}");
    }

    @Test
    void getKeyWhenCreatedWithPolicyThenTheSamePolicy() {
        JsonNode key = createKey(policy());
        JsonNode read = admin.api("GET", keys + "/" + key.path("id").asText()).json();
        for (String field : List.of("scopes", "allowedIps", "credits")) {
            assertThat(read.path(field)).as(field).isEqualTo(key.path(field));
        }
    }

    @Test
    void listKeysWhenKeyHasPolicyThenListedWithIt() {
        JsonNode key = createKey(policy());
        JsonNode listed = admin.api("GET", keys).json().path("data").get(0);
        assertThat(listed.path("credits")).isEqualTo(key.path("credits"));
        assertThat(listed.path("scopes")).isEqualTo(key.path("scopes"));
    }

    @Test
    void createKeyWhenNoPolicyThenEmptyListsAndNullCredits() {
        JsonNode key = createKey(Map.of());
        assertThat(key.path("scopes").toString()).isEqualTo("[]");
        assertThat(key.path("allowedIps").toString()).isEqualTo("[]");
        assertThat(key.has("credits")).isTrue();
        assertThat(key.path("credits").isNull()).isTrue();
    }

    @Test
    void createKeyWhenCreditsWithoutRefillThenNoRefillOrNextRefillAt() {
        JsonNode key = createKey(Map.of("credits", Map.of("remaining", 3)));
        assertThat(key.path("credits").toString()).isEqualTo("{\"remaining\":3}");
    }

    @Test
    void updateKeyWhenScopesOnlyThenTheRestKept() {
        JsonNode key = createKey(policy());
        JsonNode patched = admin.api("PATCH", keys + "/" + key.path("id").asText(),
                Map.of("scopes", List.of("admin"))).json();
        assertThat(patched.path("scopes").toString()).isEqualTo("[\"admin\"]");
        assertThat(patched.path("allowedIps")).isEqualTo(key.path("allowedIps"));
        assertThat(patched.path("credits")).isEqualTo(key.path("credits"));
    }

    @Test
    void updateKeyWhenEmptyAllowlistThenAnywhere() {
        JsonNode key = createKey(policy());
        JsonNode patched = admin.api("PATCH", keys + "/" + key.path("id").asText(),
                Map.of("allowedIps", List.of())).json();
        assertThat(patched.path("allowedIps").toString()).isEqualTo("[]");
    }

    @Test
    void updateKeyWhenCreditsNullThenUnlimited() {
        JsonNode key = createKey(policy());
        Http.Response patched = admin.api("PATCH", keys + "/" + key.path("id").asText(), withNull("credits"));
        assertThat(patched.status()).as(patched.toString()).isEqualTo(200);
        assertThat(patched.json().path("credits").isNull()).isTrue();
        assertThat(patched.json().path("scopes")).isEqualTo(key.path("scopes"));
    }

    @Test
    void updateKeyWhenPolicyChangedThenAuditedAsKeyUpdate() {
        JsonNode key = createKey(policy());
        admin.api("PATCH", keys + "/" + key.path("id").asText(), Map.of("credits", Map.of("remaining", 1)));
        JsonNode event = admin.api("GET", "/audit?limit=1").json().path("data").get(0);
        assertThat(event.path("action").asText()).isEqualTo("key.update");
        assertThat(event.path("targetId").asText()).isEqualTo(key.path("id").asText());
    }

    @Test
    void rollKeyWhenKeyHasPolicyThenTheNewKeyHasIt() {
        JsonNode key = createKey(policy());
        adjust(key.path("id").asText(), "decrement", 100);
        Http.Response rolled = admin.api("POST", keys.replace("/keys", "/roll-key"),
                Map.of("expiresOn", Instant.now().plusSeconds(3600).toString()));
        assertThat(rolled.status()).as(rolled.toString()).isEqualTo(201);
        assertThat(rolled.json().path("scopes")).isEqualTo(key.path("scopes"));
        assertThat(rolled.json().path("allowedIps")).isEqualTo(key.path("allowedIps"));
        assertThat(rolled.json().path("credits").path("remaining").asLong()).isEqualTo(400);
        assertThat(rolled.json().path("credits").path("nextRefillAt")).isEqualTo(key.path("credits").path("nextRefillAt"));
    }

    @Test
    void getConsumerWhenKeysIncludedThenEachWithItsPolicy() {
        createKey(policy());
        JsonNode consumer = admin.api("GET", keys.replace("/keys", "?include-api-keys=true")).json();
        assertThat(consumer.path("apiKeys").get(0).path("scopes").toString())
                .isEqualTo("[\"orders:read\",\"orders:write\"]");
    }

    // ---------------------------------------------------------------- field errors

    @Test
    void createKeyWhenThirtyThreeScopesThen400OnScopes() {
        assertCreateRefused(Map.of("scopes", IntStream.range(0, 33).mapToObj(i -> "s" + i).toList()),
                "scopes", "at most 32 scopes");
    }

    @Test
    void createKeyWhenScopeMalformedThen400OnScopes() {
        assertCreateRefused(Map.of("scopes", List.of("Orders")), "scopes",
                "scope must match ^[a-z][a-z0-9:._-]{0,63}$");
    }

    @Test
    void createKeyWhenFiftyOneAddressesThen400OnAllowedIps() {
        assertCreateRefused(Map.of("allowedIps", IntStream.range(0, 51).mapToObj(i -> "10.1.1." + i).toList()),
                "allowedIps", "at most 50 addresses");
    }

    @Test
    void createKeyWhenAddressNotACidrThen400OnAllowedIps() {
        assertCreateRefused(Map.of("allowedIps", List.of("10.0.0.0/33")), "allowedIps",
                "not an IPv4 or IPv6 CIDR: 10.0.0.0/33");
    }

    @Test
    void createKeyWhenRemainingNegativeThen400OnCreditsRemaining() {
        assertCreateRefused(Map.of("credits", Map.of("remaining", -1)), "credits.remaining", "must be >= 0");
    }

    @Test
    void createKeyWhenRemainingMissingThen400OnCreditsRemaining() {
        assertCreateRefused(Map.of("credits", Map.of()), "credits.remaining", "must be >= 0");
    }

    @Test
    void createKeyWhenIntervalWeeklyThen400OnCreditsRefillInterval() {
        assertCreateRefused(Map.of("credits", Map.of("remaining", 1, "refill", Map.of("interval", "weekly",
                "amount", 1))), "credits.refill.interval", "must be daily or monthly");
    }

    @Test
    void createKeyWhenRefillAmountZeroThen400OnCreditsRefillAmount() {
        assertCreateRefused(Map.of("credits", Map.of("remaining", 1, "refill", Map.of("interval", "daily",
                "amount", 0))), "credits.refill.amount", "must be > 0");
    }

    @Test
    void createKeyWhenRefillDayOnDailyThen400OnCreditsRefillRefillDay() {
        assertCreateRefused(Map.of("credits", Map.of("remaining", 1, "refill", Map.of("interval", "daily",
                "amount", 1, "refillDay", 1))), "credits.refill.refillDay", "must be 1..28, monthly refills only");
    }

    @Test
    void createKeyWhenRefillDayTwentyNineThen400OnCreditsRefillRefillDay() {
        assertCreateRefused(Map.of("credits", Map.of("remaining", 1, "refill", Map.of("interval", "monthly",
                "amount", 1, "refillDay", 29))), "credits.refill.refillDay", "must be 1..28, monthly refills only");
    }

    @Test
    void createKeyWhenCreditsHaveAnUnknownPropertyThen400NamingIt() {
        Http.Response response = admin.api("POST", keys, Map.of("credits", Map.of("remaining", 1, "limit", 2)));
        assertThat(response.status()).isEqualTo(400);
        assertThat(response.json().path("errors").get(0).path("field").asText()).isEqualTo("credits.limit");
    }

    @Test
    void updateKeyWhenAddressNotACidrThen400AndNothingChanged() {
        JsonNode key = createKey(policy());
        String path = keys + "/" + key.path("id").asText();
        assertFieldError(admin.api("PATCH", path, Map.of("allowedIps", List.of("example.com"))), "allowedIps",
                "not an IPv4 or IPv6 CIDR: example.com");
        assertThat(admin.api("GET", path).json().path("allowedIps")).isEqualTo(key.path("allowedIps"));
    }

    // ---------------------------------------------------------------- credits route

    @Test
    void adjustCreditsWhenSetThen200WithTheKeyView() {
        JsonNode key = createKey(policy());
        Http.Response adjusted = adjust(key.path("id").asText(), "set", 42);
        assertThat(adjusted.status()).as(adjusted.toString()).isEqualTo(200);
        assertThat(adjusted.json().path("id").asText()).isEqualTo(key.path("id").asText());
        assertThat(adjusted.json().has("key")).isFalse();
        assertThat(adjusted.json().path("credits").path("remaining").asLong()).isEqualTo(42);
    }

    @Test
    void adjustCreditsWhenIncrementThenAdded() {
        JsonNode key = createKey(policy());
        assertThat(adjust(key.path("id").asText(), "increment", 8).json().path("credits").path("remaining").asLong())
                .isEqualTo(508);
    }

    @Test
    void adjustCreditsWhenDecrementThenTaken() {
        JsonNode key = createKey(policy());
        assertThat(adjust(key.path("id").asText(), "decrement", 8).json().path("credits").path("remaining").asLong())
                .isEqualTo(492);
    }

    @Test
    void adjustCreditsWhenDecrementBelowZeroThen400OnAmount() {
        JsonNode key = createKey(policy());
        assertFieldError(adjust(key.path("id").asText(), "decrement", 501), "amount", "would make remaining negative");
    }

    @Test
    void adjustCreditsWhenUnknownOperationThen400OnOp() {
        JsonNode key = createKey(policy());
        assertFieldError(adjust(key.path("id").asText(), "double", 1), "op", "must be set, increment or decrement");
    }

    @Test
    void adjustCreditsWhenAmountMissingThen400OnAmount() {
        JsonNode key = createKey(policy());
        assertFieldError(admin.api("POST", keys + "/" + key.path("id").asText() + "/credits", Map.of("op", "set")),
                "amount", "must be >= 0");
    }

    @Test
    void adjustCreditsWhenIncrementOfUnlimitedThen409() {
        JsonNode key = createKey(Map.of());
        Http.Response response = adjust(key.path("id").asText(), "increment", 1);
        assertThat(response.status()).isEqualTo(409);
        assertThat(response.json().path("detail").asText()).isEqualTo("the key has unlimited credits");
    }

    @Test
    void adjustCreditsWhenSetOnUnlimitedThenLimited() {
        JsonNode key = createKey(Map.of());
        assertThat(adjust(key.path("id").asText(), "set", 10).json().path("credits").toString())
                .isEqualTo("{\"remaining\":10}");
    }

    @Test
    void adjustCreditsWhenKeyUnknownThen404() {
        assertThat(adjust("key_nope", "set", 1).status()).isEqualTo(404);
    }

    @Test
    void adjustCreditsWhenViewerThen403AndUnchanged() {
        JsonNode key = createKey(policy());
        String path = keys + "/" + key.path("id").asText();
        Http.Response response = SeenKeys.client(base).withKey(viewerKey).api("POST", path + "/credits",
                Map.of("op", "set", "amount", 1));
        assertThat(response.status()).isEqualTo(403);
        assertThat(admin.api("GET", path).json().path("credits").path("remaining").asLong()).isEqualTo(500);
    }

    @Test
    void adjustCreditsWhenAdjustedThenAuditedAsKeyCreditsByTheAdmin() {
        JsonNode key = createKey(policy());
        adjust(key.path("id").asText(), "increment", 5);
        JsonNode event = admin.api("GET", "/audit?limit=1").json().path("data").get(0);
        assertThat(event.path("action").asText()).isEqualTo("key.credits");
        assertThat(event.path("actor").asText()).isEqualTo("admin");
        assertThat(event.path("targetId").asText()).isEqualTo(key.path("id").asText());
        assertThat(event.path("detail").asText()).endsWith("op=increment amount=5 remaining=505");
    }
}
