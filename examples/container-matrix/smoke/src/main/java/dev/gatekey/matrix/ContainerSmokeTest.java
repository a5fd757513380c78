package dev.gatekey.matrix;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.jboss.arquillian.container.test.api.Deployer;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.importer.ZipImporter;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The smoke test of the container matrix, run by each server module against its own standalone server:
 * the admin WAR and both example WARs, exactly as the reactor built them, deploy side by side on one
 * PostgreSQL schema that the server's own DataSource ({@code jdbc/gatekey}) points at; a consumer created
 * through the admin API calls both example APIs with its key, the key is revoked through the admin API,
 * and both APIs answer 401 within the change feed's poll interval.
 *
 * <p>The deployments are unmanaged so the schema is dropped and recreated before anything touches it.
 * A server module sets these system properties:
 * <table>
 * <caption>System properties</caption>
 * <tr><th>property</th><th>meaning</th></tr>
 * <tr><td>{@code gatekey.matrix.wars}</td><td>folder of the WARs (the parent POM copies them)</td></tr>
 * <tr><td>{@code gatekey.matrix.annotatedWar}</td><td>file name of the annotated app's WAR in it
 *     (default {@code gatekey-example-annotated-app.war}; Tomcat takes the {@code tomcat} variant with
 *     Weld)</td></tr>
 * <tr><td>{@code gatekey.matrix.baseUrl}</td><td>the server's HTTP root, e.g. {@code http://127.0.0.1:18680}</td></tr>
 * <tr><td>{@code gatekey.matrix.schema}</td><td>the PostgreSQL schema the server's DataSource uses</td></tr>
 * <tr><td>{@code gatekey.matrix.adminKeyFile}</td><td>where the admin WAR writes its first admin key on
 *     this server</td></tr>
 * </table>
 * and the environment variable {@code GATEKEY_TEST_JDBC_URL} names the PostgreSQL database.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
public abstract class ContainerSmokeTest {

    private static final String ADMIN = "admin";
    private static final String WEBXML_APP = "webxml-app";
    private static final String ANNOTATED_APP = "annotated-app";
    private static final List<String> DEPLOYMENTS = List.of(ADMIN, WEBXML_APP, ANNOTATED_APP);
    private static final Duration REVOCATION_WAIT = Duration.ofSeconds(20);

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    @ArquillianResource
    private Deployer deployer;

    @Deployment(name = ADMIN, managed = false, testable = false)
    static WebArchive admin() {
        return war("gatekey-admin-war.war", ADMIN);
    }

    @Deployment(name = WEBXML_APP, managed = false, testable = false)
    static WebArchive webXmlApp() {
        return war("gatekey-example-webxml-app.war", WEBXML_APP);
    }

    @Deployment(name = ANNOTATED_APP, managed = false, testable = false)
    static WebArchive annotatedApp() {
        return war(System.getProperty("gatekey.matrix.annotatedWar", "gatekey-example-annotated-app.war"),
                ANNOTATED_APP);
    }

    @Test
    void callAppsWhenKeyIssuedByTheAdminApiThenBothOpenUntilRevoked() throws Exception {
        MatrixDatabase.recreateSchema(setting("gatekey.matrix.schema"));
        Path adminKeyFile = Path.of(setting("gatekey.matrix.adminKeyFile"));
        Files.deleteIfExists(adminKeyFile);
        try {
            DEPLOYMENTS.forEach(deployer::deploy);
            String adminKey = Files.readString(adminKeyFile, StandardCharsets.UTF_8).strip();

            assertThat(send("POST", "admin/api/v1/buckets", adminKey,
                    "{\"name\":\"demo-live\",\"keyPrefix\":\"demo_live\",\"retrievable\":false}").statusCode())
                    .isEqualTo(201);
            HttpResponse<String> created = send("POST", "admin/api/v1/buckets/demo-live/consumers?with-api-key=true",
                    adminKey, "{\"name\":\"acme\",\"metadata\":{\"plan\":\"gold\"}}");
            assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
            JsonNode apiKey = JSON.readTree(created.body()).get("apiKeys").get(0);
            String key = apiKey.get("key").asText();

            for (String app : List.of(WEBXML_APP, ANNOTATED_APP)) {
                HttpResponse<String> whoami = send("GET", app + "/api/whoami", key, null);
                assertThat(whoami.statusCode()).as(app + ": " + whoami.body()).isEqualTo(200);
                JsonNode caller = JSON.readTree(whoami.body());
                assertThat(caller.get("sub").asText()).as(app).isEqualTo("acme");
                assertThat(caller.get("data").get("plan").asText()).as(app).isEqualTo("gold");
                assertThat(caller.get("bucket").asText()).as(app).isEqualTo("demo-live");

                HttpResponse<String> anonymous = send("GET", app + "/api/whoami", null, null);
                assertThat(anonymous.statusCode()).as(app).isEqualTo(401);
                assertThat(anonymous.headers().firstValue("Content-Type")).as(app)
                        .hasValueSatisfying(type -> assertThat(type).startsWith("application/problem+json"));
            }

            HttpResponse<String> revoked = send("DELETE", "admin/api/v1/buckets/demo-live/consumers/acme/keys/"
                    + apiKey.get("id").asText(), adminKey, null);
            assertThat(revoked.statusCode()).as(revoked.body()).isEqualTo(204);

            for (String app : List.of(WEBXML_APP, ANNOTATED_APP)) {
                await(app + " refuses the revoked key").atMost(REVOCATION_WAIT).pollInterval(Duration.ofMillis(200))
                        .until(() -> send("GET", app + "/api/whoami", key, null).statusCode() == 401);
            }
        } finally {
            List.of(ANNOTATED_APP, WEBXML_APP, ADMIN).forEach(this::undeployQuietly);
        }
    }

    private void undeployQuietly(String name) {
        try {
            deployer.undeploy(name);
        } catch (RuntimeException notDeployed) {
            // a deployment that failed has nothing to undeploy; the failure itself is already reported
        }
    }

    private static HttpResponse<String> send(String method, String path, String bearer, String json)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(setting("gatekey.matrix.baseUrl") + "/" + path))
                .timeout(Duration.ofSeconds(30))
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(json));
        if (json != null) {
            request.header("Content-Type", "application/json");
        }
        if (bearer != null) {
            request.header("Authorization", "Bearer " + bearer);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static WebArchive war(String file, String context) {
        Path path = Path.of(setting("gatekey.matrix.wars"), file);
        return ShrinkWrap.create(ZipImporter.class, context + ".war").importFrom(path.toFile()).as(WebArchive.class);
    }

    static String setting(String name) {
        String value = System.getProperty(name);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("The container matrix needs the system property " + name);
        }
        return value;
    }
}
