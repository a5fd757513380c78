package dev.gatekey.admin.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatekey.admin.api.AdminApi;
import dev.gatekey.admin.api.Route;
import dev.gatekey.format.ApiKeyFormat;
import dev.gatekey.persistence.Consumer;
import dev.gatekey.persistence.GatekeyDatabase;
import dev.gatekey.persistence.KeyManagement;
import dev.gatekey.persistence.NewConsumer;
import dev.gatekey.persistence.PortalLink;
import dev.gatekey.testsupport.http.Http;
import dev.gatekey.testsupport.http.HttpTransport;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
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
 * The self-serve portal over HTTP in embedded Tomcat: {@code POST /buckets/{b}/portal-sessions}, the exchange of
 * a link for the portal's cookie, the manager's routes, CSRF, and that a portal session opens nothing of the
 * admin API while no admin route answers under {@code /portal/}.
 */
@ExtendWith(ArquillianExtension.class)
class PortalApiTest {

    private static final TestDeployment DEPLOYMENT = new TestDeployment("gatekey-admin-portal");
    private static final HttpClient CLIENT = HttpTransport.client();
    private static final AtomicInteger SEQUENCE = new AtomicInteger();
    private static final String BUCKET = "portal-demo";

    private static GatekeyDatabase database;
    private static KeyManagement keys;

    @ArquillianResource
    private URL base;

    private URI root;
    private Http admin;

    @Deployment(testable = false)
    static WebArchive deployment() {
        return UiDeployment.archive(DEPLOYMENT);
    }

    @BeforeAll
    static void arrange() {
        database = DEPLOYMENT.openDatabase();
        keys = DEPLOYMENT.keyManagement(database);
        keys.buckets().create("test", BUCKET, null, "portaldemo", false);
        keys.buckets().create("test", "portal-other", null, "portalother", false);
    }

    @AfterAll
    static void close() {
        database.close();
    }

    @BeforeEach
    void clients() {
        root = UiDeployment.root(base);
        admin = SeenKeys.client(base).withKey(DEPLOYMENT.adminKey());
    }

    /** A portal session in the browser's place: its cookie ({@code name=value}) and CSRF token. */
    private record Portal(String cookie, String csrfToken, HttpResponse<String> answer) {
    }

    private static String unique(String base) {
        return base + SEQUENCE.incrementAndGet();
    }

    private static Consumer managedBy(String bucket, String manager) {
        return keys.consumers().create("test", bucket, new NewConsumer(unique("c"), null, null, null,
                List.of(manager)), true);
    }

    private String openLink(String manager) {
        Http.Response answer = admin.api("POST", "/buckets/" + BUCKET + "/portal-sessions",
                Map.of("manager", manager, "returnUrl", "https://app.example.com/settings"));
        assertThat(answer.status()).as(answer.toString()).isEqualTo(201);
        String url = answer.json().path("url").asText();
        return url.substring(url.indexOf('#') + 1);
    }

    private HttpResponse<String> send(String method, String path, String cookie, String csrf, String json)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(root.resolve(path)).timeout(Duration.ofSeconds(20))
                .method(method, json == null ? BodyPublishers.noBody() : BodyPublishers.ofString(json));
        if (json != null) {
            request.header("Content-Type", "application/json");
        }
        if (cookie != null) {
            request.header("Cookie", cookie);
        }
        if (csrf != null) {
            request.header("X-CSRF-Token", csrf);
        }
        return CLIENT.send(request.build(), BodyHandlers.ofString());
    }

    private Portal exchange(String token) throws Exception {
        HttpResponse<String> answer = send("POST", "portal/api/session", null, null,
                Http.JSON.writeValueAsString(Map.of("token", token)));
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        String setCookie = answer.headers().firstValue("Set-Cookie").orElseThrow();
        return new Portal(setCookie.split(";", 2)[0], Http.JSON.readTree(answer.body()).path("csrfToken").asText(),
                answer);
    }

    private Portal portalOf(String manager) throws Exception {
        return exchange(openLink(manager));
    }

    private HttpResponse<String> call(Portal portal, String method, String path, String json) throws Exception {
        return send(method, "portal/api/" + path, portal.cookie(), portal.csrfToken(), json);
    }

    private static void assertProblem(HttpResponse<String> answer, int status) throws Exception {
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(status);
        assertThat(answer.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
        assertThat(Http.JSON.readTree(answer.body()).path("status").asInt()).isEqualTo(status);
    }

    // ---------------------------------------------------------------- POST /buckets/{b}/portal-sessions

    @Test
    void openPortalSessionWhenAdminThen201WithPortalUrlAndExpiry() {
        Instant before = Instant.now();
        Http.Response answer = admin.api("POST", "/buckets/" + BUCKET + "/portal-sessions",
                Map.of("manager", "alice@example.com", "expiresInSeconds", 120));

        assertThat(answer.status()).as(answer.toString()).isEqualTo(201);
        JsonNode body = answer.json();
        assertThat(body.path("url").asText()).startsWith(base.toString().replaceAll("/$", "") + "/portal/#")
                .matches(".*#[A-Za-z0-9_-]{43}");
        Instant expiresOn = Instant.parse(body.path("expiresOn").asText());
        assertThat(expiresOn).isBetween(before.plusSeconds(119), Instant.now().plusSeconds(121));
        assertThat(keys.audit().list(1, null).data().get(0).action()).isEqualTo("portal.open");
    }

    @Test
    void openPortalSessionWhenInvalidBodyThen400WithFieldErrors() {
        Http.Response answer = admin.api("POST", "/buckets/" + BUCKET + "/portal-sessions",
                Map.of("manager", "", "returnUrl", "javascript:alert(1)", "expiresInSeconds", 7200));

        assertThat(answer.status()).as(answer.toString()).isEqualTo(400);
        assertThat(answer.json().path("errors").findValuesAsText("field"))
                .containsExactlyInAnyOrder("manager", "returnUrl", "expiresInSeconds");
    }

    @Test
    void openPortalSessionWhenBucketUnknownThen404() {
        assertThat(admin.api("POST", "/buckets/nope/portal-sessions", Map.of("manager", "m")).status())
                .isEqualTo(404);
    }

    @Test
    void openPortalSessionWhenViewerThen403() {
        String viewerKey = keys.consumers().create("test", "gatekey-admin", new NewConsumer(unique("viewer"), null,
                Map.of("roles", List.of("viewer")), null), true).apiKeys().get(0).key();
        SeenKeys.ALL.add(viewerKey);
        Http.Response answer = SeenKeys.client(base).withKey(viewerKey)
                .api("POST", "/buckets/" + BUCKET + "/portal-sessions", Map.of("manager", "m"));

        assertThat(answer.status()).as(answer.toString()).isEqualTo(403);
    }

    // ---------------------------------------------------------------- the exchange and the cookie

    @Test
    void exchangeWhenLinkValidThenHttpOnlyStrictCookieScopedToThePortal() throws Exception {
        Portal portal = portalOf("bob@example.com");

        List<String> cookies = portal.answer().headers().allValues("Set-Cookie");
        assertThat(cookies).hasSize(1);
        String contextPath = URI.create(base.toString()).getPath().replaceAll("/$", "");
        assertThat(cookies.get(0)).startsWith("GATEKEY_PORTAL=").contains("; Path=" + contextPath + "/portal;")
                .contains("HttpOnly").contains("SameSite=Strict").doesNotContain("Secure").doesNotContain("Max-Age");
        JsonNode body = Http.JSON.readTree(portal.answer().body());
        assertThat(body.path("manager").asText()).isEqualTo("bob@example.com");
        assertThat(body.path("returnUrl").asText()).isEqualTo("https://app.example.com/settings");
        assertThat(portal.csrfToken()).hasSize(43).isNotEqualTo(portal.cookie().split("=", 2)[1]);
        assertThat(portal.answer().headers().firstValue("Cache-Control")).hasValue("no-store");
    }

    @Test
    void exchangeWhenLinkReusedThen401() throws Exception {
        String token = openLink("carol@example.com");
        exchange(token);

        assertProblem(send("POST", "portal/api/session", null, null, "{\"token\":\"" + token + "\"}"), 401);
    }

    @Test
    void exchangeWhenLinkForgedOrMalformedThen401() throws Exception {
        String token = openLink("dave@example.com");
        String forged = token.substring(0, 42) + (token.endsWith("A") ? "B" : "A");
        for (String body : List.of("{\"token\":\"" + forged + "\"}", "{\"token\":\"x\"}", "{}")) {
            HttpResponse<String> answer = send("POST", "portal/api/session", null, null, body);
            assertProblem(answer, 401);
            assertThat(answer.headers().allValues("Set-Cookie")).isEmpty();
        }
    }

    @Test
    void exchangeWhenLinkExpiredThen401() throws Exception {
        // a link opened an hour ago (with a clock an hour behind) for 60 seconds
        KeyManagement past = new KeyManagement(database, ApiKeyFormat.crc32(), null,
                Clock.offset(Clock.systemUTC(), Duration.ofHours(-1)));
        PortalLink link = past.portal().open("test", BUCKET, "erin@example.com", null, Duration.ofSeconds(60));

        assertProblem(send("POST", "portal/api/session", null, null, "{\"token\":\"" + link.token() + "\"}"), 401);
    }

    @Test
    void exchangeWhenFormPostedThen415SoNoOtherSiteCanSignSomeoneIn() throws Exception {
        String token = openLink("frank@example.com");
        HttpResponse<String> answer = CLIENT.send(HttpRequest.newBuilder(root.resolve("portal/api/session"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(BodyPublishers.ofString("token=" + token)).build(), BodyHandlers.ofString());

        assertProblem(answer, 415);
    }

    @Test
    void portalWhenUsedThenNeverCreatesAServletSession() throws Exception {
        Portal portal = portalOf("gina@example.com");
        for (HttpResponse<String> answer : List.of(portal.answer(), call(portal, "GET", "consumers", null),
                send("GET", "portal/", null, null, null))) {
            assertThat(answer.headers().allValues("Set-Cookie")).noneMatch(c -> c.startsWith("GATEKEY_ADMIN_SESSION")
                    || c.startsWith("JSESSIONID"));
        }
    }

    @Test
    void signOutWhenCalledThenCookieClearedAndSessionEnded() throws Exception {
        Portal portal = portalOf("hank@example.com");
        HttpResponse<String> out = call(portal, "DELETE", "session", null);

        assertThat(out.statusCode()).isEqualTo(204);
        assertThat(out.headers().firstValue("Set-Cookie").orElseThrow()).contains("Max-Age=0");
        assertProblem(call(portal, "GET", "session", null), 401);
    }

    // ---------------------------------------------------------------- the manager's routes

    @Test
    void consumersWhenListedThenOnlyTheManagersWithKeysMasked() throws Exception {
        Consumer mine = managedBy(BUCKET, "ivy@example.com");
        managedBy(BUCKET, "someone@example.com");
        managedBy("portal-other", "ivy@example.com");
        Portal portal = portalOf("ivy@example.com");

        HttpResponse<String> answer = call(portal, "GET", "consumers", null);

        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        JsonNode data = Http.JSON.readTree(answer.body()).path("data");
        assertThat(data.findValuesAsText("name")).containsExactly(mine.name());
        String masked = data.get(0).path("keys").get(0).path("key").asText();
        assertThat(masked).contains("…");
        assertThat(answer.body()).doesNotContain(mine.apiKeys().get(0).key()).doesNotContain("managers")
                .doesNotContain("tags");
    }

    @Test
    void keyLifecycleWhenManagerActsThenCreatedShownOnceRolledLabelledRevokedAndAudited() throws Exception {
        Consumer mine = managedBy(BUCKET, "jack@example.com");
        Portal portal = portalOf("jack@example.com");
        String path = "consumers/" + mine.name();

        HttpResponse<String> created = call(portal, "POST", path + "/keys", "{\"description\":\"laptop\"}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        JsonNode key = Http.JSON.readTree(created.body());
        assertThat(ApiKeyFormat.crc32().isValid(key.path("key").asText())).isTrue();
        SeenKeys.ALL.add(key.path("key").asText());

        HttpResponse<String> rolled = call(portal, "POST", path + "/roll", "{\"transitionSeconds\":3600}");
        assertThat(rolled.statusCode()).as(rolled.body()).isEqualTo(201);
        SeenKeys.ALL.add(Http.JSON.readTree(rolled.body()).path("key").asText());
        assertThat(keys.keys().get(BUCKET, mine.name(), key.path("id").asText(), null).expiresOn())
                .isBetween(Instant.now().plus(Duration.ofMinutes(59)), Instant.now().plus(Duration.ofMinutes(61)));

        HttpResponse<String> labelled = call(portal, "PATCH", path + "/keys/" + key.path("id").asText(),
                "{\"description\":\"old laptop\"}");
        assertThat(labelled.statusCode()).as(labelled.body()).isEqualTo(200);
        assertThat(Http.JSON.readTree(labelled.body()).path("description").asText()).isEqualTo("old laptop");

        HttpResponse<String> revoked = call(portal, "DELETE", path + "/keys/" + key.path("id").asText(), null);
        assertThat(revoked.statusCode()).as(revoked.body()).isEqualTo(204);
        assertThat(keys.keys().get(BUCKET, mine.name(), key.path("id").asText(), null).revokedOn()).isNotNull();
        assertThat(keys.audit().list(1, null).data().get(0).actor()).isEqualTo("manager:jack@example.com");
    }

    @Test
    void rollWhenTransitionNotOfferedThen400() throws Exception {
        Consumer mine = managedBy(BUCKET, "kim@example.com");
        HttpResponse<String> answer = call(portalOf("kim@example.com"), "POST", "consumers/" + mine.name() + "/roll",
                "{\"transitionSeconds\":7200}");

        assertProblem(answer, 400);
        assertThat(Http.JSON.readTree(answer.body()).path("errors").get(0).path("field").asText())
                .isEqualTo("transitionSeconds");
    }

    @Test
    void writeWhenConsumerNotManagedOrInAnotherBucketThen404AndNothingChanges() throws Exception {
        Consumer theirs = managedBy(BUCKET, "someone-else@example.com");
        Consumer elsewhere = managedBy("portal-other", "lea@example.com");
        Portal portal = portalOf("lea@example.com");
        for (Consumer c : List.of(theirs, elsewhere)) {
            String keyId = c.apiKeys().get(0).id();
            String path = "consumers/" + c.name();
            assertProblem(call(portal, "POST", path + "/keys", "{}"), 404);
            assertProblem(call(portal, "POST", path + "/roll", "{\"transitionSeconds\":0}"), 404);
            assertProblem(call(portal, "PATCH", path + "/keys/" + keyId, "{\"description\":\"x\"}"), 404);
            assertProblem(call(portal, "DELETE", path + "/keys/" + keyId, null), 404);
        }
        assertThat(keys.keys().list(BUCKET, theirs.name(), null)).hasSize(1)
                .allSatisfy(k -> assertThat(k.revokedOn()).isNull());
        assertThat(keys.keys().list("portal-other", elsewhere.name(), null)).hasSize(1)
                .allSatisfy(k -> assertThat(k.revokedOn()).isNull());
    }

    @Test
    void writeWhenCsrfTokenMissingOrWrongThen403() throws Exception {
        Consumer mine = managedBy(BUCKET, "mia@example.com");
        Portal portal = portalOf("mia@example.com");
        Portal other = portalOf("mia@example.com");
        String keyId = mine.apiKeys().get(0).id();
        for (String csrf : new String[] {null, "", other.csrfToken(), portal.cookie().split("=", 2)[1]}) {
            HttpResponse<String> answer = send("DELETE", "portal/api/consumers/" + mine.name() + "/keys/" + keyId,
                    portal.cookie(), csrf, null);
            assertProblem(answer, 403);
        }
        assertThat(keys.keys().get(BUCKET, mine.name(), keyId, null).revokedOn()).isNull();
    }

    @Test
    void callWhenNoOrUnknownCookieThen401() throws Exception {
        assertProblem(send("GET", "portal/api/consumers", null, null, null), 401);
        assertProblem(send("GET", "portal/api/consumers", "GATEKEY_PORTAL=" + "A".repeat(43), null, null), 401);
        assertProblem(send("GET", "portal/api/session", null, null, null), 401);
    }

    // ---------------------------------------------------------------- the portal opens nothing else

    @Test
    void everyAdminRouteWhenOnlyAPortalSessionThen401() throws Exception {
        Portal portal = portalOf("nina@example.com");
        String sessionId = portal.cookie().split("=", 2)[1];
        String token = openLink("nina@example.com");
        List<Route> routes = new AdminApi(keys).router().routes();
        assertThat(routes).hasSizeGreaterThan(20);
        for (Route route : routes) {
            String path = "api/v1" + route.template().replace("{bucket}", BUCKET).replace("{consumer}", "c")
                    .replace("{keyId}", "key_x").replaceAll("\\{[^}]+}", "x"); // {webhookId} and any later variable
            String json = route.method().equals("GET") || route.method().equals("DELETE") ? null : "{}";
            // the portal's cookie with its CSRF token
            HttpResponse<String> withCookie = send(route.method(), path, portal.cookie(), portal.csrfToken(), json);
            assertProblem(withCookie, 401);
        }
        // its secrets presented as keys (a few routes: every refusal counts against the address's failed attempts)
        for (String path : List.of("api/v1/buckets", "api/v1/buckets/" + BUCKET + "/consumers")) {
            for (String secret : List.of(sessionId, token, portal.csrfToken())) {
                HttpResponse<String> asKey = CLIENT.send(HttpRequest.newBuilder(root.resolve(path))
                        .header("Authorization", "Bearer " + secret).GET().build(), BodyHandlers.ofString());
                assertThat(asKey.statusCode()).as(path + " with a portal secret as key").isEqualTo(401);
            }
        }
        // the web UI's sign-in does not know the portal's session either
        HttpResponse<String> ui = send("GET", "session", portal.cookie(), null, null);
        assertThat(ui.statusCode()).isEqualTo(204);
        assertThat(exchange(token).answer().statusCode()).as("the link was not used up by the attempts").isEqualTo(200);
    }

    @Test
    void adminRoutesWhenAskedUnderThePortalThen404() throws Exception {
        Http.Response buckets = admin.get("portal/api/v1/buckets");
        assertThat(buckets.status()).as(buckets.toString()).isEqualTo(404);
        assertThat(buckets.body()).doesNotContain(BUCKET);
        for (String path : List.of("portal/api/v1/buckets/" + BUCKET + "/consumers", "portal/api/v1/openapi.yaml",
                "portal/api/buckets", "portal/session", "portal/js/main.js", "portal/css/app.css",
                "portal/index.html/x", "portal/WEB-INF/web.xml", "portal/api/v1/audit")) {
            HttpResponse<String> answer = send("GET", path, null, null, null);
            assertThat(answer.statusCode()).as(path).isEqualTo(404);
        }
    }

    @Test
    void portalPageWhenLoadedThenItsFilesWithAStrictPolicyNotFramable() throws Exception {
        HttpResponse<String> redirect = send("GET", "portal", null, null, null);
        assertThat(redirect.statusCode()).isEqualTo(302);
        assertThat(redirect.headers().firstValue("Location").orElseThrow()).endsWith("/portal/");
        HttpResponse<String> page = send("GET", "portal/", null, null, null);
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("portal.js").doesNotContain("<script>");
        assertThat(page.headers().firstValue("Content-Security-Policy").orElseThrow())
                .contains("script-src 'self'").contains("frame-ancestors 'none'").doesNotContain("unsafe-inline");
        assertThat(page.headers().firstValue("X-Frame-Options")).hasValue("DENY");
        for (String file : List.of("portal/portal.js", "portal/portal.css", "portal/app.css", "portal/dom.js")) {
            assertThat(send("GET", file, null, null, null).statusCode()).as(file).isEqualTo(200);
        }
        assertThat(send("POST", "portal/portal.js", null, null, "{}").statusCode()).isEqualTo(405);
    }
}
