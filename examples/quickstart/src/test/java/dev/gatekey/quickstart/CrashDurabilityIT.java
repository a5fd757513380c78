package dev.gatekey.quickstart;

import static dev.gatekey.testsupport.container.Ports.freePort;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gatekey.testsupport.http.HttpTransport;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A 2xx means durable: the shaded jar is killed with SIGKILL ({@link Process#destroyForcibly()} on Linux) right
 * after acknowledged creations and revocations, restarted on the same data directory, and every acknowledged
 * write is checked.
 */
class CrashDurabilityIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CONSUMERS = "/admin/api/v1/buckets/demo-live/consumers";

    @TempDir
    Path tmp;

    private final HttpClient http = HttpTransport.client();
    private int port;

    @Test
    void restartWhenKilledWithSigkillThenAcknowledgedCreationsAndRevocationsSurvive() throws Exception {
        Path data = tmp.resolve("data");
        port = freePort();
        Process first = start(data, tmp.resolve("first.log"));
        Map<String, String> keysByConsumer = new LinkedHashMap<>();
        List<String> revoked = new ArrayList<>();
        try {
            String adminKey = Files.readString(data.resolve("admin-key")).trim();
            for (int i = 0; i < 30; i++) {
                HttpResponse<String> created = send(HttpRequest.newBuilder(uri(CONSUMERS + "?with-api-key=true"))
                        .header("Authorization", "Bearer " + adminKey).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"crash-" + i + "\"}")));
                assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
                JsonNode key = JSON.readTree(created.body()).path("apiKeys").path(0);
                keysByConsumer.put("crash-" + i, key.path("key").asText());
                if (i % 3 == 0) {
                    revoked.add("crash-" + i + "/keys/" + key.path("id").asText());
                }
            }
            for (String path : revoked) {
                HttpResponse<String> revoke = send(HttpRequest.newBuilder(uri(CONSUMERS + "/" + path)).DELETE()
                        .header("Authorization", "Bearer " + adminKey));
                assertThat(revoke.statusCode()).as(revoke.body()).isEqualTo(204);
            }
        } finally {
            first.destroyForcibly();
            assertThat(first.waitFor(20, TimeUnit.SECONDS)).as("killed").isTrue();
        }

        Process second = start(data, tmp.resolve("second.log"));
        try {
            List<String> lost = new ArrayList<>();
            for (Map.Entry<String, String> entry : keysByConsumer.entrySet()) {
                boolean wasRevoked = revoked.stream().anyMatch(p -> p.startsWith(entry.getKey() + "/"));
                int status = send(HttpRequest.newBuilder(uri("/api/whoami"))
                        .header("Authorization", "Bearer " + entry.getValue())).statusCode();
                if (status != (wasRevoked ? 401 : 200)) {
                    lost.add(entry.getKey() + (wasRevoked ? " (revoked)" : " (created)") + " answered " + status);
                }
            }
            assertThat(lost).as("acknowledged writes lost after SIGKILL").isEmpty();
        } finally {
            second.destroy();
            second.waitFor(20, TimeUnit.SECONDS);
        }
    }

    private Process start(Path data, Path log) throws Exception {
        Path jar = Path.of(System.getProperty("quickstart.jar", "target/gatekey-quickstart.jar"));
        assertThat(jar).isRegularFile();
        Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx384m", "-jar", jar.toString(), "--port", Integer.toString(port), "--data", data.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            await().atMost(Duration.ofSeconds(240)).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
                    .failFast("the quickstart exited", () -> !process.isAlive())
                    .until(() -> send(HttpRequest.newBuilder(uri("/health"))).statusCode() == 200);
        } catch (RuntimeException e) {
            process.destroyForcibly();
            throw new AssertionError(e.getMessage() + ":\n" + Files.readString(log, StandardCharsets.UTF_8), e);
        }
        return process;
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return http.send(request.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(String path) {
        return URI.create("http://localhost:" + port + path);
    }
}
