package dev.gatekey.quickstart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gatekey.testsupport.http.HttpTransport;
import dev.gatekey.testsupport.logging.LogCapture;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.SimpleFormatter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The quickstart in this JVM on a free port and a temporary data directory, driven over HTTP as a user would:
 * the admin API creates consumers and keys, the demo API checks them. The restart test runs last.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class QuickstartTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CONSUMERS = "/admin/api/v1/buckets/demo-live/consumers";

    @TempDir
    static Path dataDir;

    private final HttpClient http = HttpTransport.client();
    private Quickstart quickstart;
    private String adminKey;
    private String masterKeyFile;
    private JsonNode retrievableKey;

    @BeforeAll
    void start() throws Exception {
        quickstart = Quickstart.start("--port", "0", "--data", dataDir.toString());
        adminKey = Files.readString(quickstart.adminKeyFile()).trim();
        masterKeyFile = Files.readString(quickstart.masterKeyFile());
    }

    @AfterAll
    void stop() {
        if (quickstart != null) {
            quickstart.close();
        }
    }

    @Test
    @Order(1)
    void getHealthWhenStartedThenUp() throws Exception {
        HttpResponse<String> response = get("/health", null);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).startsWith("{\"status\":\"UP\",\"dependencies\":{")
                .contains("\"demo-live\":{\"database\":\"closed\"}", "\"gatekey-admin\":{\"database\":\"closed\"}");
    }

    @Test
    @Order(1)
    void getPublicPingWhenNoKeyThen200() throws Exception {
        assertThat(get("/public/ping", null).statusCode()).isEqualTo(200);
    }

    @Test
    @Order(1)
    void getApiPingWhenNoKeyThenUnauthorized() throws Exception {
        assertThat(get("/api/ping", null).statusCode()).isEqualTo(401);
    }

    @Test
    @Order(1)
    void startWhenFirstRunThenAdminKeyFileIsOwnerOnly() throws Exception {
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(quickstart.adminKeyFile())))
                .isEqualTo("rw-------");
        assertThat(adminKey).startsWith("gkadm_");
    }

    @Test
    @Order(1)
    void startWhenFirstRunThenMasterKeyFileIsGeneratedOwnerOnlyInTheDataDirectory() throws Exception {
        assertThat(quickstart.masterKeyFile()).isEqualTo(dataDir.toAbsolutePath().normalize().resolve("master-key"));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(quickstart.masterKeyFile())))
                .isEqualTo("rw-------");
        assertThat(masterKeyFile).startsWith(MasterKeyFile.KEY_ID + ":");
    }

    @Test
    @Order(2)
    void createBucketWhenRetrievableNotGivenThenRetrievableByDefaultAndItsKeyRevealed() throws Exception {
        HttpResponse<String> bucket = post("/admin/api/v1/buckets", "{\"name\":\"vault\",\"keyPrefix\":\"vault\"}");
        assertThat(bucket.statusCode()).as(bucket.body()).isEqualTo(201);
        assertThat(JSON.readTree(bucket.body()).path("retrievable").asBoolean()).isTrue();
        HttpResponse<String> consumer = post("/admin/api/v1/buckets/vault/consumers?with-api-key=true",
                "{\"name\":\"safe\"}");
        assertThat(consumer.statusCode()).as(consumer.body()).isEqualTo(201);
        retrievableKey = JSON.readTree(consumer.body()).path("apiKeys").path(0);

        HttpResponse<String> revealed = revealRetrievableKey();

        assertThat(revealed.statusCode()).as(revealed.body()).isEqualTo(200);
        assertThat(JSON.readTree(revealed.body()).path("key").asText()).isEqualTo(retrievableKey.path("key").asText())
                .startsWith("vault_");
    }

    @Test
    @Order(2)
    void callDemoApiWhenKeyFromAdminApiThenWorksUntilRevoked() throws Exception {
        JsonNode consumer = createConsumer("acme");
        String key = consumer.path("apiKeys").path(0).path("key").asText();
        String keyId = consumer.path("apiKeys").path(0).path("id").asText();

        HttpResponse<String> whoami = get("/api/whoami", key);
        assertThat(whoami.statusCode()).isEqualTo(200);
        JsonNode principal = JSON.readTree(whoami.body());
        assertThat(principal.path("sub").asText()).isEqualTo("acme");
        assertThat(principal.path("bucket").asText()).isEqualTo("demo-live");
        assertThat(principal.path("keyId").asText()).isEqualTo(keyId);
        assertThat(get("/api/orders", key).statusCode()).isEqualTo(200);

        HttpResponse<String> revoke = send(HttpRequest.newBuilder(uri(CONSUMERS + "/acme/keys/" + keyId)).DELETE()
                .header("Authorization", "Bearer " + adminKey));
        assertThat(revoke.statusCode()).isEqualTo(204);

        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(100))
                .until(() -> get("/api/whoami", key).statusCode() == 401);
    }

    @Test
    @Order(3)
    void getMetricsWhenValidRequestMadeThenCounted() throws Exception {
        String key = createConsumer("metrics-reader").path("apiKeys").path(0).path("key").asText();
        assertThat(get("/api/ping", key).statusCode()).isEqualTo(200);

        HttpResponse<String> metrics = get("/metrics", null);

        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("text/plain"));
        // the demo API's filter and the admin WAR's key filter count apart
        assertThat(metrics.body())
                .containsPattern("(?m)^gatekey_requests_total\\{bucket=\"demo-live\",outcome=\"valid\"\\} [1-9]")
                .containsPattern("(?m)^gatekey_requests_total\\{bucket=\"gatekey-admin\",outcome=\"valid\"\\} [1-9]");
    }

    @Test
    @Order(4)
    void runBannerRecipeWhenRunTwiceThenAWorkingKeyEachTime() throws Exception {
        for (int run = 0; run < 2; run++) {
            Process shell = new ProcessBuilder("bash", "-c", String.join("\n", quickstart.recipe()))
                    .redirectErrorStream(true).start();
            String output = new String(shell.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(shell.waitFor(30, TimeUnit.SECONDS)).isTrue();

            assertThat(output).as("run " + run).contains("\"sub\":\"demo-", "\"bucket\":\"demo-live\"");
        }
    }

    @Test
    @Order(4)
    void runBannerRecipeWhenNoKeyCameBackThenSaysSo() throws Exception {
        String broken = String.join("\n", quickstart.recipe()).replace("/buckets/demo-live/", "/buckets/no-such/");
        Process shell = new ProcessBuilder("bash", "-c", broken).redirectErrorStream(true).start();
        String output = new String(shell.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(shell.waitFor(30, TimeUnit.SECONDS)).isTrue();

        assertThat(output).contains("404", Quickstart.RECIPE_FAILED).doesNotContain("not valid");
    }

    @Test
    @Order(5)
    void requestWhenContainerAnswersAnErrorThenProblemJsonWithoutTraceOrVersionInBothApplications() throws Exception {
        Map<String, HttpResponse<String>> answers = new LinkedHashMap<>();
        answers.put("404 demo", get("/no/such/page", null));
        answers.put("404 admin", get("/admin/no/such/page", null));
        answers.put("405 demo", send(HttpRequest.newBuilder(uri("/public/ping")).method("PUT",
                HttpRequest.BodyPublishers.noBody())));
        answers.put("405 admin", send(HttpRequest.newBuilder(uri("/admin/index.html")).method("PUT",
                HttpRequest.BodyPublishers.noBody())));

        answers.forEach((name, answer) -> {
            assertThat(answer.statusCode()).as(name).isEqualTo(Integer.parseInt(name.substring(0, 3)));
            assertThat(answer.headers().firstValue("Content-Type")).as(name).hasValueSatisfying(
                    type -> assertThat(type).startsWith("application/problem+json"));
            assertThat(answer.body()).as(name).doesNotContain("Tomcat", "Exception", "no/such");
        });
    }

    /** Requests Tomcat refuses before any application sees them: its own page, without report or version. */
    @ParameterizedTest
    @Order(5)
    @ValueSource(strings = {"GET /api%2Fwhoami HTTP/1.1", "GET /admin/api/v1/buckets%2Fx HTTP/1.1",
            "TRACE /public/ping HTTP/1.1", "GET /public/ping?LONG HTTP/1.1"})
    void requestWhenRefusedByTomcatThenNoReportTraceOrVersion(String requestLine) throws Exception {
        String answer = raw(requestLine.replace("LONG", "x".repeat(20_000)) + "\r\nHost: localhost\r\n"
                + "Connection: close\r\n\r\n");

        assertThat(answer).startsWith("HTTP/1.1 4");
        assertThat(answer).doesNotContain("Apache Tomcat", "Exception", "\tat ", "Report", "xxxxxxxxxx");
    }

    /** A key with a stray CR ($(cat keyfile) with Windows line endings) or a control character in it. */
    @ParameterizedTest
    @Order(5)
    @ValueSource(strings = {"\r", "\u0000", "\u0001"})
    void requestWhenHeaderLineWithAKeyIsMalformedThenKeyNeitherShownNorLogged(String control) throws Exception {
        String key = createConsumer("crlf-" + (int) control.charAt(0)).path("apiKeys").path(0).path("key").asText();
        List<LogRecord> records;
        try (LogCapture capture = LogCapture.atLeast(Level.ALL, "")) {
            String answer = raw("GET /api/whoami HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + key
                    + control + "\r\nConnection: close\r\n\r\n");

            assertThat(answer).startsWith("HTTP/1.1 4").doesNotContain(key, "Apache Tomcat", "Exception");
            records = capture.records;
        }
        assertThat(records).allSatisfy(r -> assertThat(new SimpleFormatter().format(r)).doesNotContain(key));
    }

    @Test
    @Order(6)
    void startWhenDataDirInUseThenStopsBeforeTouchingItAndTheFirstKeepsServing() throws Exception {
        Path expandedAdmin = dataDir.resolve("webapps").resolve("admin");
        assertThat(expandedAdmin).isDirectory();

        assertThatThrownBy(() -> Quickstart.start("--port", "0", "--data", dataDir.toString()))
                .isInstanceOf(Quickstart.StartupException.class)
                .hasMessageContaining("in use by another quickstart");

        assertThat(expandedAdmin).isDirectory();
        assertThat(get("/admin/", null).statusCode()).isEqualTo(200);
        assertThat(send(HttpRequest.newBuilder(uri("/admin/api/v1/buckets"))
                .header("Authorization", "Bearer " + adminKey)).statusCode()).isEqualTo(200);
    }

    @Test
    @Order(6)
    void startWhenPortInUseThenStopsBeforeTouchingItsDataDir(@TempDir Path otherDir) throws Exception {
        Path data = otherDir.resolve("data");

        assertThatThrownBy(() -> Quickstart.start("--port", Integer.toString(quickstart.port()), "--data",
                data.toString())).isInstanceOf(Quickstart.StartupException.class).hasMessageContaining("in use");

        assertThat(data).doesNotExist();
    }

    @Test
    @Order(10)
    void restartWhenSameDataDirThenKeepsKeysAndCreatesNothing() throws Exception {
        String key = createConsumer("survivor").path("apiKeys").path(0).path("key").asText();
        String adminKeyFile = Files.readString(quickstart.adminKeyFile());

        quickstart.close();
        quickstart = Quickstart.start("--port", "0", "--data", dataDir.toString());

        assertThat(get("/api/whoami", key).statusCode()).isEqualTo(200);
        assertThat(Files.readString(quickstart.adminKeyFile())).isEqualTo(adminKeyFile);
        HttpResponse<String> buckets = send(HttpRequest.newBuilder(uri("/admin/api/v1/buckets"))
                .header("Authorization", "Bearer " + adminKey));
        assertThat(buckets.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(buckets.body()).path("data").findValuesAsText("name"))
                .containsExactlyInAnyOrder("demo-live", "gatekey-admin", "vault");
        HttpResponse<String> admins = send(HttpRequest.newBuilder(
                uri("/admin/api/v1/buckets/gatekey-admin/consumers?include-api-keys=true"))
                .header("Authorization", "Bearer " + adminKey));
        assertThat(JSON.readTree(admins.body()).path("data")).hasSize(1);
        assertThat(JSON.readTree(admins.body()).path("data").path(0).path("apiKeys")).hasSize(1);
    }

    @Test
    @Order(11)
    void restartWhenSameDataDirThenReusesTheMasterKeySoStoredKeysAreStillRevealed() throws Exception {
        assertThat(Files.readString(quickstart.masterKeyFile())).isEqualTo(masterKeyFile);

        HttpResponse<String> revealed = revealRetrievableKey();

        assertThat(revealed.statusCode()).as(revealed.body()).isEqualTo(200);
        assertThat(JSON.readTree(revealed.body()).path("key").asText()).isEqualTo(retrievableKey.path("key").asText());
    }

    private HttpResponse<String> revealRetrievableKey() throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(uri("/admin/api/v1/buckets/vault/consumers/safe/keys/"
                + retrievableKey.path("id").asText() + "?key-format=visible")).header("Authorization", "Bearer " + adminKey));
    }

    private HttpResponse<String> post(String path, String json) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(uri(path)).header("Authorization", "Bearer " + adminKey)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    private JsonNode createConsumer(String name) throws IOException, InterruptedException {
        HttpResponse<String> created = send(HttpRequest.newBuilder(uri(CONSUMERS + "?with-api-key=true"))
                .header("Authorization", "Bearer " + adminKey).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"" + name + "\"}")));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        return JSON.readTree(created.body());
    }

    private HttpResponse<String> get(String path, String key) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path));
        if (key != null) {
            request.header("Authorization", "Bearer " + key);
        }
        return send(request);
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return http.send(request.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** One request as raw bytes (ISO-8859-1, so a control character goes out as sent); the whole answer. */
    private String raw(String request) throws IOException {
        try (Socket socket = new Socket("localhost", quickstart.port())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }

    private URI uri(String path) {
        return URI.create("http://localhost:" + quickstart.port() + path);
    }
}
