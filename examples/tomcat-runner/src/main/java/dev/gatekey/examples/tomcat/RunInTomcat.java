package dev.gatekey.examples.tomcat;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * {@code java -jar target/tomcat/run.jar [--port N]}: runs an example in the standalone Tomcat its build
 * prepared, with the admin WAR beside it, and prints what to call. The folder of this jar, {@code target/tomcat},
 * is the Tomcat's {@code CATALINA_BASE} (configuration, applications, data, logs); its {@code CATALINA_HOME} is
 * the distribution the build unpacked beside it, named by {@code home} in {@code gatekey-example.properties}.
 *
 * <ol>
 *   <li>starts Tomcat ({@code org.apache.catalina.startup.Bootstrap}, as {@code bin/catalina.sh run} does)
 *       as a child process whose output is this process's output;</li>
 *   <li>waits until the admin WAR has written its first-start admin key ({@code gatekey-admin-key}) and
 *       answers with it, and the example's API answers;</li>
 *   <li>creates bucket {@code demo-live} (key prefix {@code demo_live}) through the admin API, unless it
 *       exists;</li>
 *   <li>prints the URLs and the admin key, then waits for Tomcat. Ctrl-C (or SIGTERM) stops Tomcat, through
 *       its own shutdown hook.</li>
 * </ol>
 *
 * Exit codes: 2 for a bad command line, 1 when Tomcat cannot start (port in use, Tomcat exited or not ready
 * in time), each with one line on standard error; otherwise Tomcat's own exit code.
 */
public final class RunInTomcat {

    /** The system property server.xml reads the HTTP port from. */
    static final String PORT_PROPERTY = "gatekey.example.port";
    static final int DEFAULT_PORT = 8080;
    static final String BUCKET = "demo-live";
    static final String KEY_PREFIX = "demo_live";
    static final String ADMIN_KEY_FILE = "gatekey-admin-key";
    static final String ADMIN_CONTEXT = "/admin";
    static final Duration STARTUP_TIMEOUT = Duration.ofMinutes(3);
    static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

    static final String USAGE = """
            usage: java -jar target/tomcat/run.jar [--port N] [--help]
              --port N   HTTP port on 127.0.0.1 (default 8080, 0 = any free port)
            Starts this folder's Tomcat with the example at / and the admin WAR at /admin,
            creates bucket demo-live and prints the URLs and the admin key. Ctrl-C stops it.""";

    private static final Duration POLL = Duration.ofMillis(250);

    private final Path catalinaBase;
    private final int port;
    private final PrintStream out;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    RunInTomcat(Path catalinaBase, int port, PrintStream out) {
        this.catalinaBase = catalinaBase;
        this.port = port;
        this.out = out;
    }

    public static void main(String[] args) {
        int port;
        try {
            port = parsePort(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.println(USAGE);
            System.exit(2);
            return;
        }
        if (port < 0) {
            System.out.println(USAGE);
            return;
        }
        try {
            Path home = ownFolder();
            int chosen = port == 0 ? freePort() : requireFree(port);
            System.exit(new RunInTomcat(home, chosen, System.out).run());
        } catch (StartupException e) {
            System.err.println(e.getMessage());
            System.exit(1);
        }
    }

    /**
     * The port of the command line: {@value #DEFAULT_PORT} without {@code --port}, -1 for {@code --help}.
     *
     * @throws IllegalArgumentException naming what is wrong with the command line
     */
    static int parsePort(String... args) {
        int port = DEFAULT_PORT;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--help", "-h" -> {
                    return -1;
                }
                case "--port" -> {
                    if (i + 1 == args.length) {
                        throw new IllegalArgumentException("--port needs a value");
                    }
                    port = port(args[++i]);
                }
                default -> throw new IllegalArgumentException("unknown argument: " + args[i]);
            }
        }
        return port;
    }

    private static int port(String value) {
        try {
            int port = Integer.parseInt(value);
            if (port >= 0 && port <= 65535) {
                return port;
            }
        } catch (NumberFormatException e) {
            // same message as out of range
        }
        throw new IllegalArgumentException("--port must be a number from 0 to 65535, not: " + value);
    }

    /** Starts Tomcat, prepares it, prints the banner and waits for Tomcat to end. */
    int run() {
        Properties example = exampleProperties();
        Path catalinaHome = catalinaBase.resolve(example.getProperty("home", "")).normalize();
        if (!Files.isRegularFile(catalinaHome.resolve("bin").resolve("bootstrap.jar"))) {
            throw new StartupException("no Tomcat in " + catalinaHome + ": build the example again (mvn package)");
        }
        Process tomcat = startTomcat(catalinaHome);
        Thread stopTomcat = new Thread(() -> stop(tomcat), "stop-tomcat");
        Runtime.getRuntime().addShutdownHook(stopTomcat);
        try {
            String adminKey = awaitReady(tomcat);
            createBucket(adminKey);
            printBanner(example, adminKey);
        } catch (StartupException e) {
            Runtime.getRuntime().removeShutdownHook(stopTomcat);
            stop(tomcat);
            throw e;
        }
        try {
            return tomcat.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        }
    }

    private Properties exampleProperties() {
        Properties properties = new Properties();
        Path file = catalinaBase.resolve("gatekey-example.properties");
        try (InputStream in = Files.newInputStream(file)) {
            properties.load(in);
        } catch (IOException e) {
            throw new StartupException(file + " cannot be read (" + e.getMessage()
                    + "): run.jar works inside the Tomcat folder the example's build prepares (target/tomcat)");
        }
        return properties;
    }

    private Process startTomcat(Path catalinaHome) {
        for (String folder : List.of("logs", "temp", "work")) {
            try {
                Files.createDirectories(catalinaBase.resolve(folder));
            } catch (IOException e) {
                throw new StartupException("cannot create " + catalinaBase.resolve(folder) + ": " + e.getMessage());
            }
        }
        try {
            return new ProcessBuilder(tomcatCommand(catalinaHome)).inheritIO().start();
        } catch (IOException e) {
            throw new StartupException("cannot start Tomcat: " + e.getMessage());
        }
    }

    /** What {@code catalina.sh run} executes, with the example's port. */
    List<String> tomcatCommand(Path catalinaHome) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx512m");
        // the module openings catalina.sh passes: Tomcat's memory leak protection reads JDK internals
        for (String opened : List.of("java.base/java.lang", "java.base/java.io", "java.base/java.util",
                "java.base/java.util.concurrent", "java.rmi/sun.rmi.transport")) {
            command.add("--add-opens=" + opened + "=ALL-UNNAMED");
        }
        command.add("-Djava.util.logging.config.file=" + catalinaBase.resolve("conf").resolve("logging.properties"));
        command.add("-Djava.util.logging.manager=org.apache.juli.ClassLoaderLogManager");
        command.add("-Djdk.tls.ephemeralDHKeySize=2048");
        command.add("-Djava.protocol.handler.pkgs=org.apache.catalina.webresources");
        command.add("-Dorg.apache.catalina.security.SecurityListener.UMASK=0027");
        command.add("-D" + PORT_PROPERTY + "=" + port);
        command.add("-Dcatalina.home=" + catalinaHome);
        command.add("-Dcatalina.base=" + catalinaBase);
        command.add("-Djava.io.tmpdir=" + catalinaBase.resolve("temp"));
        command.add("-classpath");
        command.add(catalinaHome.resolve("bin").resolve("bootstrap.jar") + File.pathSeparator
                + catalinaHome.resolve("bin").resolve("tomcat-juli.jar"));
        command.add("org.apache.catalina.startup.Bootstrap");
        command.add("start");
        return command;
    }

    /**
     * Waits until the admin API accepts the first-start admin key and the example's API answers (401 without
     * a key), or Tomcat exits, or {@link #STARTUP_TIMEOUT} passes.
     *
     * @return the admin key
     */
    private String awaitReady(Process tomcat) {
        Path keyFile = catalinaBase.resolve(ADMIN_KEY_FILE);
        Instant deadline = Instant.now().plus(STARTUP_TIMEOUT);
        while (Instant.now().isBefore(deadline)) {
            String adminKey = Files.isRegularFile(keyFile) ? readKey(keyFile) : null;
            if (adminKey != null && status(get("/admin/api/v1/buckets", adminKey)) == 200
                    && status(get("/api/whoami", null)) == 401) {
                return adminKey;
            }
            // waiting on Tomcat itself: returns at once when it exits before it is ready
            if (waitFor(tomcat, POLL)) {
                throw new StartupException("Tomcat exited with code " + tomcat.exitValue()
                        + " before the example was ready; its logs: " + catalinaBase.resolve("logs"));
            }
        }
        throw new StartupException("the example was not ready after " + STARTUP_TIMEOUT.toSeconds()
                + " s; Tomcat's logs: " + catalinaBase.resolve("logs"));
    }

    private void createBucket(String adminKey) {
        String body = "{\"name\":\"" + BUCKET + "\",\"description\":\"the example's API keys\",\"keyPrefix\":\""
                + KEY_PREFIX + "\",\"retrievable\":false}";
        HttpRequest request = request("/admin/api/v1/buckets", adminKey)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        HttpResponse<String> response = send(request);
        // 409: it exists, from an earlier run on the same database
        if (response.statusCode() != 201 && response.statusCode() != 409) {
            throw new StartupException("creating bucket " + BUCKET + " failed: " + response.statusCode() + " "
                    + response.body());
        }
    }

    private void printBanner(Properties example, String adminKey) {
        String base = "http://localhost:" + port;
        out.println();
        out.println("Gatekey example " + example.getProperty("example") + " is up in Tomcat "
                + example.getProperty("tomcat") + " (" + catalinaBase + ").");
        out.println("  demo API     " + base + "/api/whoami   (bucket " + BUCKET + ", key prefix " + KEY_PREFIX + ")");
        out.println("  admin UI     " + base + ADMIN_CONTEXT + "/");
        out.println("  admin API    " + base + ADMIN_CONTEXT + "/api/v1   (described by " + base + ADMIN_CONTEXT
                + "/api/v1/openapi.yaml)");
        out.println("  admin key    " + adminKey + "   (in " + catalinaBase.resolve(ADMIN_KEY_FILE) + ")");
        out.println("Create a consumer with a key and call the API with it:");
        out.println("  KEY=$(curl -s -X POST -H 'Authorization: Bearer " + adminKey
                + "' -H 'Content-Type: application/json' -d '{\"name\":\"acme\"}' '" + base + ADMIN_CONTEXT
                + "/api/v1/buckets/" + BUCKET + "/consumers?with-api-key=true' | jq -r '.apiKeys[0].key')");
        out.println("  curl -s -H \"Authorization: Bearer $KEY\" " + base + "/api/whoami");
        out.println("Ctrl-C stops Tomcat. Logs: " + catalinaBase.resolve("logs"));
        out.flush();
    }

    private void stop(Process tomcat) {
        if (!tomcat.isAlive()) {
            return;
        }
        tomcat.destroy(); // SIGTERM: Tomcat's shutdown hook stops the applications
        if (!waitFor(tomcat, STOP_TIMEOUT)) {
            tomcat.destroyForcibly();
            waitFor(tomcat, STOP_TIMEOUT);
        }
    }

    private static boolean waitFor(Process process, Duration timeout) {
        try {
            return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StartupException("interrupted while waiting for Tomcat");
        }
    }

    private HttpRequest get(String path, String adminKey) {
        return request(path, adminKey).GET().build();
    }

    private HttpRequest.Builder request(String path, String bearer) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10));
        return bearer == null ? builder : builder.header("Authorization", "Bearer " + bearer);
    }

    /** The status, or 0 while nothing answers. */
    private int status(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StartupException("interrupted while waiting for Tomcat");
        }
    }

    private HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new StartupException(request.method() + " " + request.uri() + " failed: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StartupException("interrupted while talking to Tomcat");
        }
    }

    /** The key, or null while the admin WAR is still writing the file. */
    private static String readKey(Path keyFile) {
        try {
            String key = Files.readString(keyFile, StandardCharsets.UTF_8).strip();
            return key.isEmpty() ? null : key;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path ownFolder() {
        try {
            Path jar = Path.of(RunInTomcat.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return jar.toAbsolutePath().getParent();
        } catch (URISyntaxException e) {
            throw new StartupException("cannot find the folder of run.jar: " + e.getMessage());
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new StartupException("no free port on 127.0.0.1: " + e.getMessage());
        }
    }

    /** Fails early with a clear message instead of Tomcat's bind stack trace. */
    static int requireFree(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            return port;
        } catch (IOException e) {
            throw new StartupException("port " + port + " on 127.0.0.1 is in use (" + e.getMessage()
                    + "): stop what listens there (the quickstart?) or pass --port N (0 = any free port)");
        }
    }

    /** A reason the example cannot start, said in one line. */
    static final class StartupException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        StartupException(String message) {
            super(message);
        }
    }
}
