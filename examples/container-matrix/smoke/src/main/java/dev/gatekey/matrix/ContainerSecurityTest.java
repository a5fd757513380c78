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
 * Gatekey's Jakarta Security mechanism in a full Jakarta EE server (WildFly, Payara): the admin WAR and the matrix's
 * security application ({@code gatekey-matrix-security-app.war}) on the server the smoke test also uses. Keys issued
 * through the admin API; the container, not a request wrapper, knows the caller:
 * <ul>
 * <li>a key whose consumer has the metadata role {@code reader}: 200 from the {@code @RolesAllowed} JAX-RS resource,
 *     the {@code @RolesAllowed} EJB it calls, and {@code SecurityContext};</li>
 * <li>a key without the role: 403 from JAX-RS, 403 from the EJB;</li>
 * <li>no key: 401 problem+json from the mechanism on protected resources, anonymous 200 on an unprotected one;</li>
 * <li>a credential that is not a key: the application's other mechanism (the delegate) authenticates it, or 401;</li>
 * <li>the revoked key: 401 within the change feed's poll.</li>
 * </ul>
 * Same system properties as {@link ContainerSmokeTest}.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
public abstract class ContainerSecurityTest {

    private static final String ADMIN = "admin";
    private static final String APP = "security-app";
    private static final Duration REVOCATION_WAIT = Duration.ofSeconds(20);

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();

    @ArquillianResource
    private Deployer deployer;

    @Deployment(name = ADMIN, managed = false, testable = false)
    static WebArchive admin() {
        return war("gatekey-admin-war.war", ADMIN);
    }

    @Deployment(name = APP, managed = false, testable = false)
    static WebArchive securityApp() {
        return war("gatekey-matrix-security-app.war", APP);
    }

    @Test
    void callWhenKeyAuthenticatedByTheMechanismThenContainerRolesDecideUntilRevoked() throws Exception {
        MatrixDatabase.recreateSchema(ContainerSmokeTest.setting("gatekey.matrix.schema"));
        Path adminKeyFile = Path.of(ContainerSmokeTest.setting("gatekey.matrix.adminKeyFile"));
        Files.deleteIfExists(adminKeyFile);
        try {
            deployer.deploy(ADMIN);
            String adminKey = Files.readString(adminKeyFile, StandardCharsets.UTF_8).strip();
            assertThat(send("POST", "admin/api/v1/buckets", adminKey,
                    "{\"name\":\"sec-live\",\"keyPrefix\":\"sec_live\",\"retrievable\":false}").statusCode())
                    .isEqualTo(201);
            JsonNode readerKey = issue(adminKey, "reports-co", "{\"roles\":[\"reader\"]}");
            JsonNode plainKey = issue(adminKey, "plain-co", "{}");
            deployer.deploy(APP);
            String reader = readerKey.get("key").asText();
            String plain = plainKey.get("key").asText();

            HttpResponse<String> report = send("GET", APP + "/api/reports", reader, null);
            assertThat(report.statusCode()).as(report.body()).isEqualTo(200);
            JsonNode body = JSON.readTree(report.body());
            assertThat(body.get("caller").asText()).isEqualTo("reports-co");
            assertThat(body.get("reader").asBoolean()).as("SecurityContext.isCallerInRole").isTrue();
            assertThat(body.get("ejbCaller").asText()).isEqualTo("reports-co");
            assertThat(body.get("servletReader").asBoolean()).as("HttpServletRequest.isUserInRole").isTrue();
            assertThat(body.get("keyId").asText()).isEqualTo(readerKey.get("id").asText());

            HttpResponse<String> noRole = send("GET", APP + "/api/reports", plain, null);
            assertThat(noRole.statusCode()).as("JAX-RS @RolesAllowed: " + noRole.body()).isEqualTo(403);
            HttpResponse<String> ejb = send("GET", APP + "/api/ejb", plain, null);
            assertThat(ejb.statusCode()).as("EJB @RolesAllowed: " + ejb.body()).isEqualTo(403);
            HttpResponse<String> ejbReader = send("GET", APP + "/api/ejb", reader, null);
            assertThat(ejbReader.statusCode()).as(ejbReader.body()).isEqualTo(200);

            HttpResponse<String> keyless = send("GET", APP + "/api/reports", null, null);
            assertThat(keyless.statusCode()).isEqualTo(401);
            assertThat(keyless.headers().firstValue("Content-Type"))
                    .hasValueSatisfying(type -> assertThat(type).startsWith("application/problem+json"));
            assertThat(keyless.headers().firstValue("WWW-Authenticate")).hasValue("Bearer realm=\"reports\"");
            HttpResponse<String> open = send("GET", APP + "/api/public", null, null);
            assertThat(open.statusCode()).as(open.body()).isEqualTo(200);

            // foreignCredentials = "pass": what is not a key goes to the application's other mechanism
            HttpResponse<String> partner = send("GET", APP + "/api/reports", "partner-token-for-tests", null);
            assertThat(partner.statusCode()).as(partner.body()).isEqualTo(200);
            assertThat(JSON.readTree(partner.body()).get("ejbCaller").asText()).isEqualTo("partner");
            HttpResponse<String> garbage = send("GET", APP + "/api/reports", "not-a-token", null);
            assertThat(garbage.statusCode()).as(garbage.body()).isEqualTo(401);
            assertThat(garbage.headers().firstValue("WWW-Authenticate"))
                    .hasValue("Bearer realm=\"reports\", error=\"invalid_token\"");

            HttpResponse<String> revoked = send("DELETE", "admin/api/v1/buckets/sec-live/consumers/reports-co/keys/"
                    + readerKey.get("id").asText(), adminKey, null);
            assertThat(revoked.statusCode()).as(revoked.body()).isEqualTo(204);
            await("the mechanism refuses the revoked key").atMost(REVOCATION_WAIT).pollInterval(Duration.ofMillis(200))
                    .until(() -> send("GET", APP + "/api/reports", reader, null).statusCode() == 401);
        } finally {
            List.of(APP, ADMIN).forEach(this::undeployQuietly);
        }
    }

    private static JsonNode issue(String adminKey, String consumer, String metadata)
            throws IOException, InterruptedException {
        HttpResponse<String> created = send("POST", "admin/api/v1/buckets/sec-live/consumers?with-api-key=true",
                adminKey, "{\"name\":\"" + consumer + "\",\"metadata\":" + metadata + "}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        return JSON.readTree(created.body()).get("apiKeys").get(0);
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
        HttpRequest.Builder request = HttpRequest.newBuilder(
                        URI.create(ContainerSmokeTest.setting("gatekey.matrix.baseUrl") + "/" + path))
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
        Path path = Path.of(ContainerSmokeTest.setting("gatekey.matrix.wars"), file);
        return ShrinkWrap.create(ZipImporter.class, context + ".war").importFrom(path.toFile()).as(WebArchive.class);
    }
}
