package dev.gatekey.examples.selfserve;

import static dev.gatekey.testsupport.container.Ports.freePort;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

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
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's command, {@code java -jar target/gatekey-self-serve-app.jar}, as a user runs it (Failsafe). */
class ShadedJarIT {

    @TempDir
    Path tmp;

    private final HttpClient http = HttpTransport.client();

    @Test
    void runJarWhenStartedThenSignInPagePortalAndProtectedApiAnswerAndItStopsOnSigterm() throws Exception {
        Path jar = Path.of(System.getProperty("selfserve.jar", "target/gatekey-self-serve-app.jar"));
        assertThat(jar).isRegularFile();
        Path data = tmp.resolve("data");
        Path log = tmp.resolve("self-serve.log");
        int port = freePort();
        Process process = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx384m", "-jar", jar.toString(), "--port", Integer.toString(port), "--data", data.toString()))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            try {
                await().atMost(Duration.ofSeconds(240)).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
                        .failFast("the example exited", () -> !process.isAlive())
                        .until(() -> get(port, "/home").statusCode() == 200);
            } catch (RuntimeException e) {
                throw new AssertionError(e.getMessage() + ":\n" + Files.readString(log, StandardCharsets.UTF_8), e);
            }
            assertThat(get(port, "/home").body()).contains("j_security_check");
            assertThat(get(port, "/api/whoami").statusCode()).isEqualTo(401);
            assertThat(get(port, "/admin/portal/").statusCode()).isEqualTo(200);
        } finally {
            process.destroy();
            assertThat(process.waitFor(20, TimeUnit.SECONDS)).as("stopped after SIGTERM").isTrue();
        }
        assertThat(data.resolve(AppFiles.USERS)).isRegularFile();
        assertThat(Files.readString(log, StandardCharsets.UTF_8)).contains("Gatekey self-serve example is up.",
                "http://localhost:" + port + "/admin/portal/", "Gatekey self-serve example stopped")
                .doesNotContain("Exception");
    }

    private HttpResponse<String> get(int port, String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
