package dev.gatekey.quickstart;

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
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code java -jar target/gatekey-quickstart.jar} as a user runs it (Failsafe, after the shade). */
class ShadedJarIT {

    @TempDir
    Path tmp;

    private final HttpClient http = HttpTransport.client();

    @Test
    void runJarWhenStartedThenServesAndStopsOnSigterm() throws Exception {
        Path jar = Path.of(System.getProperty("quickstart.jar", "target/gatekey-quickstart.jar"));
        assertThat(jar).isRegularFile();
        Path data = tmp.resolve("data");
        Path log = tmp.resolve("quickstart.log");
        int port = freePort();
        Process process = start(jar, data, log, port);
        try {
            assertThat(status(port, "/public/ping")).isEqualTo(200);
            assertThat(status(port, "/api/ping")).isEqualTo(401);
        } finally {
            process.destroy();
            assertThat(process.waitFor(20, TimeUnit.SECONDS)).as("stopped after SIGTERM").isTrue();
        }
        String output = Files.readString(log, StandardCharsets.UTF_8);
        String adminKey = Files.readString(data.resolve("admin-key")).trim();
        assertThat(output).contains("Gatekey quickstart is up.", "http://localhost:" + port + "/api/whoami",
                        "Gatekey quickstart stopped")
                .doesNotContain("SLF4J", "Exception");
        // printed once by the admin WAR's first-start banner, never logged
        assertThat(output.split(adminKey, -1)).hasSize(2);
    }

    @Test
    void runJarWhenQuietAdminKeyThenWritesTheKeyFileButNeverPrintsTheKey() throws Exception {
        Path jar = Path.of(System.getProperty("quickstart.jar", "target/gatekey-quickstart.jar"));
        Path data = tmp.resolve("quiet");
        Path log = tmp.resolve("quiet.log");
        int port = freePort();

        Process process = start(jar, data, log, port, Options.QUIET_ADMIN_KEY);
        try {
            assertThat(status(port, "/health")).isEqualTo(200);
        } finally {
            process.destroy();
            assertThat(process.waitFor(20, TimeUnit.SECONDS)).as("stopped after SIGTERM").isTrue();
        }
        String adminKey = Files.readString(data.resolve("admin-key")).trim();
        assertThat(adminKey).startsWith("gkadm_");
        assertThat(Files.readString(log, StandardCharsets.UTF_8)).contains("Gatekey quickstart is up.")
                .doesNotContain(adminKey);
    }

    private Process start(Path jar, Path data, Path log, int port, String... extra) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Xmx384m", "-jar", jar.toString(), "--port", Integer.toString(port), "--data",
                data.toString()));
        command.addAll(List.of(extra));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            await().atMost(Duration.ofSeconds(240)).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
                    .failFast("the quickstart exited", () -> !process.isAlive())
                    .until(() -> status(port, "/health") == 200);
        } catch (RuntimeException e) {
            process.destroyForcibly();
            throw new AssertionError(e.getMessage() + ":\n" + Files.readString(log, StandardCharsets.UTF_8), e);
        }
        return process;
    }

    private int status(int port, String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }
}
