package dev.gatekey.examples.tomcat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.gatekey.testsupport.http.HttpTransport;
import java.io.IOException;
import java.io.UncheckedIOException;
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
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An example started exactly as its README says, {@code java -jar target/tomcat/run.jar}, on a free port:
 * for the examples' tests (test-jar). {@link #close()} stops it as Ctrl-C does and checks that Tomcat is gone.
 */
public final class RunningExample implements AutoCloseable {

    private static final Pattern DEMO_API = Pattern.compile("demo API +(http://localhost:\\d+)/api/whoami");
    private static final Pattern ADMIN_KEY = Pattern.compile("admin key +(gkadm_\\w+)");

    private final Process runner;
    private final Path output;
    private final HttpClient http = HttpTransport.client();
    private URI base;
    private String adminKey;

    private RunningExample(Process runner, Path output) {
        this.runner = runner;
        this.output = output;
    }

    /**
     * Runs {@code runJar --port 0} and waits for its banner.
     *
     * @param output where the runner's and Tomcat's output goes (the assertion messages quote it)
     */
    public static RunningExample start(Path runJar, Path output) throws IOException {
        assertThat(runJar).as("built by the example's package phase").isRegularFile();
        Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", runJar.toString(), "--port", "0")
                .redirectErrorStream(true).redirectOutput(output.toFile()).start();
        RunningExample example = new RunningExample(process, output);
        try {
            await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(250))
                    .failFast("run.jar exited", () -> !process.isAlive())
                    .until(example::bannerPrinted);
        } catch (RuntimeException e) { // timed out, or run.jar exited (fail fast)
            example.close();
            throw new AssertionError(e.getMessage() + "; output:\n" + example.output(), e);
        }
        return example;
    }

    private boolean bannerPrinted() {
        String text = output();
        Matcher api = DEMO_API.matcher(text);
        Matcher key = ADMIN_KEY.matcher(text);
        if (api.find() && key.find()) {
            base = URI.create(api.group(1));
            adminKey = key.group(1);
            return true;
        }
        return false;
    }

    /** {@code http://localhost:PORT}, as the banner prints it. */
    public URI base() {
        return base;
    }

    /** The admin key the banner prints. */
    public String adminKey() {
        return adminKey;
    }

    /** Everything run.jar and Tomcat printed so far. */
    public String output() {
        try {
            return Files.readString(output, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A request to the example, with a bearer key when {@code key} is not null. */
    public HttpResponse<String> send(String method, String path, String key, String json)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(10))
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(json));
        if (json != null) {
            request.header("Content-Type", "application/json");
        }
        if (key != null) {
            request.header("Authorization", "Bearer " + key);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    /**
     * The README's round trip, what the examples' {@code RunInTomcatIT} check: consumer {@code consumer} (metadata
     * {@code plan: gold}) created with a key through the admin API, {@code /api/whoami} called with that key, the
     * consumer deleted again (the example's database outlives the test); the answer of {@code /api/whoami}.
     */
    public HttpResponse<String> whoamiOfNewConsumer(String consumer) throws IOException, InterruptedException {
        HttpResponse<String> created = send("POST", "/admin/api/v1/buckets/demo-live/consumers?with-api-key=true",
                adminKey(), "{\"name\":\"" + consumer + "\",\"metadata\":{\"plan\":\"gold\"}}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        String key = created.body().replaceAll("(?s).*\"key\":\"(demo_live_\\w+)\".*", "$1");

        HttpResponse<String> whoami = send("GET", "/api/whoami", key, null);

        assertThat(send("DELETE", "/admin/api/v1/buckets/demo-live/consumers/" + consumer, adminKey(), null)
                .statusCode()).isEqualTo(204);
        return whoami;
    }

    /** Stops run.jar with SIGTERM (what Ctrl-C sends) and checks that it and its Tomcat have exited. */
    @Override
    public void close() {
        List<ProcessHandle> tomcat = runner.descendants().toList();
        runner.destroy();
        boolean stopped;
        try {
            stopped = runner.waitFor(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stopped = false;
        }
        // run.jar exits only after its Tomcat has: whatever is still alive now was left behind
        List<ProcessHandle> leftBehind = tomcat.stream().filter(ProcessHandle::isAlive).toList();
        leftBehind.forEach(ProcessHandle::destroyForcibly);
        if (!stopped) {
            runner.destroyForcibly();
        }
        assertThat(stopped).as("run.jar stopped within 60 s of SIGTERM; output:%n%s", output()).isTrue();
        assertThat(leftBehind).as("Tomcat processes still running after run.jar stopped").isEmpty();
    }
}
