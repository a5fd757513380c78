package dev.gatekey.examples.annotated;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gatekey.format.ApiKeyFormat;
import dev.gatekey.persistence.ApiKey;
import dev.gatekey.persistence.GatekeyDatabase;
import dev.gatekey.persistence.KeyManagement;
import dev.gatekey.persistence.NewConsumer;
import dev.gatekey.store.StoreSettings;
import dev.gatekey.testsupport.http.Http;
import java.net.URL;
import java.net.http.HttpRequest.BodyPublishers;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The annotated app in Tomcat with Weld Servlet (Tomcat has no CDI of its own): the WAR's own classes,
 * {@code WEB-INF/beans.xml} and {@code META-INF/context.xml} with the DataSource. In embedded Tomcat the
 * WAR runs in the test JVM, so the Gatekey jars and Weld come from the test class path, where Weld finds
 * the filter jar's {@code beans.xml} and its principal producer as it does in {@code WEB-INF/lib} (packing
 * them into the WAR as well would make Weld see every bean twice).
 */
@ExtendWith(ArquillianExtension.class)
class AnnotatedAppTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static GatekeyDatabase database;
    private static KeyManagement keys;
    private static String key;

    @ArquillianResource
    private URL base;

    @Deployment(testable = false)
    static WebArchive deployment() {
        // the same H2 file as META-INF/context.xml names, so the test issues the keys the app will see
        String jdbcUrl = "jdbc:h2:file:" + System.getProperty("catalina.base") + "/gatekey-data/gatekey";
        database = GatekeyDatabase.open(StoreSettings.jdbc(jdbcUrl, null, null));
        keys = new KeyManagement(database, ApiKeyFormat.crc32(), null, Clock.systemUTC());
        keys.buckets().create("test", "demo-live", "example keys", "demo_live", false);
        key = keys.consumers().create("test", "demo-live", new NewConsumer("acme", null,
                Map.of("plan", "gold", "roles", List.of("reader")), null), true).apiKeys().get(0).key();

        Path webapp = Path.of("src", "main", "webapp");
        return ShrinkWrap.create(WebArchive.class, "annotated.war")
                .addClasses(ApiKeyAuthentication.class, WhoAmIServlet.class, Plans.class, PublicPingServlet.class)
                .addAsWebInfResource(webapp.resolve("WEB-INF/beans.xml").toFile(), "beans.xml")
                .setWebXML(webapp.resolve("WEB-INF/web.xml").toFile())
                .addAsManifestResource(webapp.resolve("META-INF/context.xml").toFile(), "context.xml");
    }

    @AfterAll
    static void closeDatabase() {
        database.close();
    }

    @Test
    void whoamiWhenValidKeyThenInjectedPrincipalDescribesTheConsumer() throws Exception {
        Http.Response response = get("api/whoami", key);

        assertThat(response.status()).isEqualTo(200);
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.get("sub").asText()).isEqualTo("acme");
        assertThat(body.get("bucket").asText()).isEqualTo("demo-live");
        assertThat(body.get("keyId").asText()).startsWith("key_");
        assertThat(body.get("data").get("roles").get(0).asText()).isEqualTo("reader");
        assertThat(body.get("plan").asText()).isEqualTo("gold");
    }

    @Test
    void whoamiWhenNoKeyThenUnauthorizedProblem() throws Exception {
        Http.Response response = get("api/whoami", null);

        assertThat(response.status()).isEqualTo(401);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/problem+json"));
        assertThat(response.headers().firstValue("WWW-Authenticate")).hasValue("Bearer realm=\"annotated-app\"");
    }

    @Test
    void publicPathWhenNoKeyThenServed() throws Exception {
        Http.Response response = get("public/ping", null);

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("pong");
    }

    @Test
    void whoamiWhenKeyRevokedThenRefusedWithinThePollInterval() throws Exception {
        ApiKey doomed = keys.keys().create("test", "demo-live", "acme", "to revoke", null);
        assertThat(get("api/whoami", doomed.key()).status()).isEqualTo(200);

        keys.keys().revoke("test", "demo-live", "acme", doomed.id());

        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(100))
                .untilAsserted(() -> assertThat(get("api/whoami", doomed.key()).status()).isEqualTo(401));
    }

    @Test
    void containerErrorsWhenUnknownPathOrMethodThenProblemJsonWithoutTraceOrVersion() throws Exception {
        Http.Response missing = Http.of(base).get("no/such/page");
        Http.Response wrongMethod = Http.of(base).send("PUT", "public/ping", null, BodyPublishers.noBody());

        assertThat(missing.status()).isEqualTo(404);
        assertThat(wrongMethod.status()).isEqualTo(405);
        for (Http.Response answer : List.of(missing, wrongMethod)) {
            assertThat(answer.headers().firstValue("Content-Type")).hasValueSatisfying(
                    type -> assertThat(type).startsWith("application/problem+json"));
            assertThat(JSON.readTree(answer.body()).get("status").asInt()).isEqualTo(answer.status());
            assertThat(answer.body()).doesNotContain("Tomcat", "Exception", "no/such/page");
        }
    }

    private Http.Response get(String path, String apiKey) throws Exception {
        return apiKey == null ? Http.of(base).get(path) : Http.of(base).withKey(apiKey).get(path);
    }
}
