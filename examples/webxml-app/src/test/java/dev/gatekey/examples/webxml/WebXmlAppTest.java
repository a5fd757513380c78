package dev.gatekey.examples.webxml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gatekey.format.ApiKeyFormat;
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
 * The demo API as a Tomcat user deploys it: the module's {@code web.xml} registers the filter, the
 * DataSource comes from {@code META-INF/context.xml} through JNDI. In embedded Tomcat the WAR runs in the
 * test JVM, so the Gatekey jars come from the test class path.
 */
@ExtendWith(ArquillianExtension.class)
class WebXmlAppTest {

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
        keys.buckets().create("test", "demo-live", "demo keys", "demo_live", false);
        key = keys.consumers().create("test", "demo-live", new NewConsumer("acme", null, Map.of("plan", "gold"), null),
                true).apiKeys().get(0).key();

        Path webapp = Path.of("src", "main", "webapp");
        return ShrinkWrap.create(WebArchive.class, "webxml.war")
                .addClasses(WhoAmIServlet.class, OrdersServlet.class, PingServlet.class)
                .setWebXML(webapp.resolve("WEB-INF/web.xml").toFile())
                .addAsManifestResource(webapp.resolve("META-INF/context.xml").toFile(), "context.xml");
    }

    @AfterAll
    static void closeDatabase() {
        database.close();
    }

    @Test
    void whoamiWhenValidKeyThenCallerDescribed() throws Exception {
        Http.Response response = get("api/whoami", key);

        assertThat(response.status()).isEqualTo(200);
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.get("sub").asText()).isEqualTo("acme");
        assertThat(body.get("data").get("plan").asText()).isEqualTo("gold");
        assertThat(body.get("bucket").asText()).isEqualTo("demo-live");
        assertThat(body.get("keyId").asText()).startsWith("key_");
    }

    @Test
    void ordersWhenValidKeyThenTheCallersOrders() throws Exception {
        Http.Response response = get("api/orders", key);

        assertThat(response.status()).isEqualTo(200);
        assertThat(JSON.readTree(response.body()).get("data").get(0).get("customer").asText()).isEqualTo("acme");
    }

    @Test
    void pingWhenNoKeyThenProtectedPathRefusedAndPublicPathServed() throws Exception {
        Http.Response protectedPing = get("api/ping", null);
        Http.Response publicPing = get("public/ping", null);

        assertThat(protectedPing.status()).isEqualTo(401);
        assertThat(protectedPing.headers().firstValue("WWW-Authenticate")).hasValue("Bearer realm=\"api\"");
        assertThat(publicPing.status()).isEqualTo(200);
        assertThat(publicPing.body()).isEqualTo("pong");
    }

    @Test
    void whoamiWhenConsumerDeletedThenRefusedWithinThePollInterval() throws Exception {
        String doomed = keys.consumers().create("test", "demo-live", NewConsumer.named("leaving"), true)
                .apiKeys().get(0).key();
        assertThat(get("api/whoami", doomed).status()).isEqualTo(200);

        keys.consumers().delete("test", "demo-live", "leaving");

        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(100))
                .untilAsserted(() -> assertThat(get("api/whoami", doomed).status()).isEqualTo(401));
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
