package dev.gatekey.quickstart;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gatekey.testsupport.http.HttpTransport;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** A quickstart started with {@code --set} settings for the demo filter and the admin WAR, as the README shows. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class QuickstartSettingsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dataDir;

    private final HttpClient http = HttpTransport.client();
    private Quickstart quickstart;
    private String adminKey;

    @BeforeAll
    void start() throws Exception {
        quickstart = Quickstart.start("--port", "0", "--data", dataDir.toString(),
                "--set", "filter.rateLimitPerKey=5/1m", "--set", "gatekey.sessionTimeoutMinutes=5");
        adminKey = Files.readString(quickstart.adminKeyFile()).trim();
    }

    @AfterAll
    void stop() {
        if (quickstart != null) {
            quickstart.close();
        }
    }

    @Test
    void callWhenFilterRateLimitPerKeyIsSetThen429OnTheSixthQuickCall() throws Exception {
        HttpResponse<String> created = http.send(HttpRequest.newBuilder(uri(
                "/admin/api/v1/buckets/demo-live/consumers?with-api-key=true"))
                .header("Authorization", "Bearer " + adminKey).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"hasty\"}")).timeout(Duration.ofSeconds(10))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        String key = JSON.readTree(created.body()).path("apiKeys").path(0).path("key").asText();

        List<HttpResponse<String>> answers = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            answers.add(http.send(HttpRequest.newBuilder(uri("/api/ping")).header("Authorization", "Bearer " + key)
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString()));
        }

        assertThat(answers.subList(0, 5)).allSatisfy(answer -> assertThat(answer.statusCode()).isEqualTo(200));
        assertThat(answers.get(5).statusCode()).isEqualTo(429);
        assertThat(answers.get(5).headers().firstValue("Retry-After")).isPresent();
    }

    @Test
    void startWhenAdminSettingGivenThenItReachesTheAdminWar() throws Exception {
        HttpResponse<String> session = http.send(HttpRequest.newBuilder(uri("/admin/session"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"key\":\"" + adminKey + "\"}"))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(session.statusCode()).as(session.body()).isEqualTo(200);
        assertThat(JSON.readTree(session.body()).path("timeoutSeconds").asInt()).isEqualTo(5 * 60);
        assertThat(JSON.readTree(session.body()).path("retrievableBuckets").asBoolean()).isTrue();
    }

    private URI uri(String path) {
        return URI.create("http://localhost:" + quickstart.port() + path);
    }
}
