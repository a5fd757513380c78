package dev.gatekey.admin.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatekey.admin.AdminContextListener;
import dev.gatekey.admin.SecurityHeadersFilter;
import dev.gatekey.persistence.GatekeyDatabase;
import dev.gatekey.persistence.KeyManagement;
import dev.gatekey.persistence.NewConsumer;
import dev.gatekey.testsupport.http.Http;
import dev.gatekey.testsupport.http.HttpTransport;
import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
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

/** The web UI's session over plain HTTP: sign-in, cookie flags, CSRF, sign-out, security headers. */
@ExtendWith(ArquillianExtension.class)
class SessionApiTest {

    private static final TestDeployment DEPLOYMENT = new TestDeployment("gatekey-admin-session");
    private static final HttpClient CLIENT = HttpTransport.client();

    private static GatekeyDatabase database;
    private static KeyManagement keys;

    @ArquillianResource
    private URL base;

    private URI root;

    @Deployment(testable = false)
    static WebArchive deployment() {
        return UiDeployment.archive(DEPLOYMENT);
    }

    @BeforeAll
    static void arrange() {
        database = DEPLOYMENT.openDatabase();
        keys = DEPLOYMENT.keyManagement(database);
    }

    @AfterAll
    static void close() {
        database.close();
    }

    @BeforeEach
    void root() {
        root = UiDeployment.root(base);
    }

    /** A signed-in session: its cookie ({@code name=value}) and CSRF token. */
    private record Session(String cookie, String csrfToken, HttpResponse<String> answer) {
    }

    private Session signIn(String key) throws Exception {
        HttpResponse<String> answer = send(HttpRequest.newBuilder(root.resolve("session"))
                .header("Content-Type", "application/json")
                .POST(BodyPublishers.ofString(Http.JSON.writeValueAsString(Map.of("key", key)))));
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        String setCookie = answer.headers().firstValue("Set-Cookie").orElseThrow();
        return new Session(setCookie.split(";", 2)[0], Http.JSON.readTree(answer.body()).path("csrfToken").asText(),
                answer);
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return CLIENT.send(request.timeout(Duration.ofSeconds(20)).build(), BodyHandlers.ofString());
    }

    private HttpResponse<String> createBucket(Session session, String name, String csrfToken) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(root.resolve("api/v1/buckets"))
                .header("Cookie", session.cookie()).header("Content-Type", "application/json")
                .POST(BodyPublishers.ofString("{\"name\":\"" + name + "\",\"keyPrefix\":\"" + name.replace("-", "")
                        + "\",\"retrievable\":false}"));
        if (csrfToken != null) {
            request.header("X-CSRF-Token", csrfToken);
        }
        return send(request);
    }

    @Test
    void signInWhenAdminKeyThenSetsHttpOnlyStrictSessionCookieAndReturnsCsrfToken() throws Exception {
        Session session = signIn(DEPLOYMENT.adminKey());

        String setCookie = session.answer().headers().firstValue("Set-Cookie").orElseThrow();
        assertThat(setCookie).startsWith(AdminContextListener.SESSION_COOKIE + "=").contains("HttpOnly")
                .containsIgnoringCase("SameSite=Strict").contains("Path=" + URI.create(base.toString()).getPath()
                        .replaceAll("/$", ""))
                .doesNotContain("Secure");
        JsonNode body = Http.JSON.readTree(session.answer().body());
        assertThat(body.path("name").asText()).isEqualTo("admin");
        assertThat(body.path("role").asText()).isEqualTo("admin");
        assertThat(body.path("csrfToken").asText()).hasSizeGreaterThanOrEqualTo(40);
        assertThat(body.path("timeoutSeconds").asInt()).isEqualTo(30 * 60);
        assertThat(body.path("retrievableBuckets").isBoolean()).isTrue();
        assertThat(session.answer().body()).doesNotContain(DEPLOYMENT.adminKey());
        assertThat(session.answer().headers().firstValue("Cache-Control")).hasValue("no-store");
    }

    @Test
    void readWhenSessionCookieThenApiAnswersAndGetSessionTellsWhoIsSignedIn() throws Exception {
        Session session = signIn(DEPLOYMENT.adminKey());

        HttpResponse<String> buckets = send(HttpRequest.newBuilder(root.resolve("api/v1/buckets"))
                .header("Cookie", session.cookie()).GET());
        HttpResponse<String> who = send(HttpRequest.newBuilder(root.resolve("session"))
                .header("Cookie", session.cookie()).GET());

        assertThat(buckets.statusCode()).as(buckets.body()).isEqualTo(200);
        assertThat(who.statusCode()).isEqualTo(200);
        assertThat(Http.JSON.readTree(who.body()).path("csrfToken").asText()).isEqualTo(session.csrfToken());
    }

    @Test
    void signInWhenMasterKeysConfiguredThenTellsTheUiThatRetrievableBucketsWork() throws Exception {
        Session session = signIn(DEPLOYMENT.adminKey());

        assertThat(Http.JSON.readTree(session.answer().body()).path("retrievableBuckets").asBoolean()).isTrue();
    }

    @Test
    void getSessionWhenNoSessionThen204SoNoPageLoadLogsAFailure() throws Exception {
        HttpResponse<String> who = send(HttpRequest.newBuilder(root.resolve("session")).GET());

        assertThat(who.statusCode()).isEqualTo(204);
        assertThat(who.body()).isEmpty();
        assertThat(who.headers().firstValue("Cache-Control")).hasValue("no-store");
    }

    @Test
    void writeWhenSessionCookieAndCsrfTokenThenAllowed() throws Exception {
        Session session = signIn(DEPLOYMENT.adminKey());

        HttpResponse<String> created = createBucket(session, "csrf-ok", session.csrfToken());

        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        assertThat(keys.audit().list(100, null).data()).anyMatch(e -> e.actor().equals("admin")
                && "csrf-ok".equals(e.targetId()));
    }

    @Test
    void writeWhenSessionCookieButNoCsrfTokenThenForbidden() throws Exception {
        Session session = signIn(DEPLOYMENT.adminKey());

        HttpResponse<String> forged = createBucket(session, "forged-none", null);

        assertThat(forged.statusCode()).isEqualTo(403);
        assertThat(forged.headers().firstValue("Content-Type")).hasValueSatisfying(
                t -> assertThat(t).startsWith("application/problem+json"));
        assertThat(forged.body()).contains("X-CSRF-Token");
        assertThat(keys.buckets().list()).noneMatch(b -> b.name().equals("forged-none"));
    }

    @Test
    void writeWhenSessionCookieAndWrongCsrfTokenThenForbidden() throws Exception {
        Session session = signIn(DEPLOYMENT.adminKey());
        Session other = signIn(DEPLOYMENT.adminKey());

        HttpResponse<String> forged = createBucket(session, "forged-wrong", other.csrfToken());

        assertThat(forged.statusCode()).isEqualTo(403);
        assertThat(keys.buckets().list()).noneMatch(b -> b.name().equals("forged-wrong"));
    }

    @Test
    void writeWhenBearerKeyWithoutCsrfTokenThenAllowedAsBefore() throws Exception {
        HttpResponse<String> created = send(HttpRequest.newBuilder(root.resolve("api/v1/buckets"))
                .header("Authorization", "Bearer " + DEPLOYMENT.adminKey()).header("Content-Type", "application/json")
                .POST(BodyPublishers.ofString("{\"name\":\"bearer-ok\",\"keyPrefix\":\"bearerok\",\"retrievable\":false}")));

        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    }

    @Test
    void signOutWhenSignedInThenSessionEndsAndTheOldCookieGets401() throws Exception {
        Session session = signIn(DEPLOYMENT.adminKey());

        HttpResponse<String> out = send(HttpRequest.newBuilder(root.resolve("session"))
                .header("Cookie", session.cookie()).header("X-CSRF-Token", session.csrfToken()).DELETE());
        HttpResponse<String> after = send(HttpRequest.newBuilder(root.resolve("api/v1/buckets"))
                .header("Cookie", session.cookie()).GET());

        assertThat(out.statusCode()).isEqualTo(204);
        assertThat(after.statusCode()).isEqualTo(401);
    }

    @Test
    void signOutWhenNoCsrfTokenThenForbiddenAndKeepsTheSession() throws Exception {
        Session session = signIn(DEPLOYMENT.adminKey());

        HttpResponse<String> out = send(HttpRequest.newBuilder(root.resolve("session"))
                .header("Cookie", session.cookie()).DELETE());
        HttpResponse<String> after = send(HttpRequest.newBuilder(root.resolve("api/v1/buckets"))
                .header("Cookie", session.cookie()).GET());

        assertThat(out.statusCode()).isEqualTo(403);
        assertThat(after.statusCode()).isEqualTo(200);
    }

    @Test
    void signInWhenKeyUnknownThen401AndNoCookie() throws Exception {
        HttpResponse<String> answer = send(HttpRequest.newBuilder(root.resolve("session"))
                .header("Content-Type", "application/json")
                .POST(BodyPublishers.ofString("{\"key\":\"gkadm_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\"}")));

        assertThat(answer.statusCode()).isEqualTo(401);
        assertThat(answer.headers().firstValue("Set-Cookie")).isEmpty();
    }

    @Test
    void signInWhenNoKeyThen400WithFieldError() throws Exception {
        HttpResponse<String> answer = send(HttpRequest.newBuilder(root.resolve("session"))
                .header("Content-Type", "application/json").POST(BodyPublishers.ofString("{}")));

        assertThat(answer.statusCode()).isEqualTo(400);
        assertThat(Http.JSON.readTree(answer.body()).path("errors").get(0).path("field").asText()).isEqualTo("key");
    }

    @Test
    void signInWhenKeyOfAnotherBucketThen401() throws Exception {
        keys.buckets().create("test", "other", null, "other", false);
        String otherKey = keys.consumers().create("test", "other", new NewConsumer("admin", null,
                Map.of("roles", List.of("admin")), null), true).apiKeys().get(0).key();

        HttpResponse<String> answer = send(HttpRequest.newBuilder(root.resolve("session"))
                .header("Content-Type", "application/json")
                .POST(BodyPublishers.ofString("{\"key\":\"" + otherKey + "\"}")));

        assertThat(answer.statusCode()).isEqualTo(401);
    }

    @Test
    void revokeKeyWhenAdminKeyHasSessionsThenTheyEnd() throws Exception {
        var created = keys.consumers().create("test", "gatekey-admin", new NewConsumer("temporary", null,
                Map.of("roles", List.of("admin")), null), true).apiKeys().get(0);
        Session session = signIn(created.key());

        keys.keys().revoke("test", "gatekey-admin", "temporary", created.id());
        HttpResponse<String> after = send(HttpRequest.newBuilder(root.resolve("api/v1/buckets"))
                .header("Cookie", session.cookie()).GET());

        assertThat(after.statusCode()).isEqualTo(401);
    }

    @Test
    void writeWhenViewerSessionWithCsrfTokenThenForbidden() throws Exception {
        String viewerKey = keys.consumers().create("test", "gatekey-admin", new NewConsumer("viewer", null,
                Map.of("roles", List.of("viewer")), null), true).apiKeys().get(0).key();
        Session session = signIn(viewerKey);

        HttpResponse<String> answer = createBucket(session, "viewer-try", session.csrfToken());

        assertThat(Http.JSON.readTree(session.answer().body()).path("role").asText()).isEqualTo("viewer");
        assertThat(answer.statusCode()).isEqualTo(403);
    }

    @Test
    void getKeysInFullWhenViewerSessionThenRefusedHoweverKeyFormatIsSpelled() throws Exception {
        String viewerKey = keys.consumers().create("test", "gatekey-admin", new NewConsumer("viewer-reveal", null,
                Map.of("roles", List.of("viewer")), null), true).apiKeys().get(0).key();
        keys.buckets().create("test", "session-reveal", null, "sessrev", true);
        keys.consumers().create("test", "session-reveal", NewConsumer.named("gina"), true);
        Session session = signIn(viewerKey);

        HttpResponse<String> answer = send(HttpRequest.newBuilder(
                        root.resolve("api/v1/buckets/session-reveal/consumers/gina/keys?key-format=%20visible"))
                .header("Cookie", session.cookie()).GET());

        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(403);
        assertThat(answer.body()).doesNotContain("sessrev_");
    }

    @Test
    void getWhenUiPageOrApiThenAnswersCarrySecurityHeaders() throws Exception {
        HttpResponse<String> page = send(HttpRequest.newBuilder(root).GET());
        HttpResponse<String> api = send(HttpRequest.newBuilder(root.resolve("api/v1/buckets")).GET());

        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("<script type=\"module\" src=\"js/main.js\"></script>")
                .doesNotContain("style=\"", "onclick");
        for (HttpResponse<String> answer : List.of(page, api)) {
            assertThat(answer.headers().firstValue("Content-Security-Policy"))
                    .hasValue(SecurityHeadersFilter.CONTENT_SECURITY_POLICY);
            assertThat(answer.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
            assertThat(answer.headers().firstValue("X-Frame-Options")).hasValue("DENY");
            assertThat(answer.headers().firstValue("Referrer-Policy")).hasValue("no-referrer");
        }
        assertThat(api.statusCode()).isEqualTo(401);
        assertThat(api.headers().firstValue("Cache-Control")).hasValue("no-store");
    }
}
