package dev.gatekey.quickstart;

import com.zaxxer.hikari.HikariDataSource;
import dev.gatekey.admin.AdminSettings;
import dev.gatekey.format.ApiKeyFormat;
import dev.gatekey.persistence.Bucket;
import dev.gatekey.persistence.ConflictException;
import dev.gatekey.persistence.GatekeyDatabase;
import dev.gatekey.persistence.KeyManagement;
import dev.gatekey.persistence.NotFoundException;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.List;
import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.apache.catalina.Context;
import org.apache.catalina.LifecycleException;
import org.apache.catalina.LifecycleState;
import org.apache.catalina.startup.Tomcat;

/**
 * The Gatekey quickstart: embedded Tomcat with the demo API WAR at {@code /} and the admin WAR at
 * {@value #ADMIN_PATH}, both on one H2 database in the data directory, plus {@value #HEALTH_PATH} and
 * {@value #METRICS_PATH} outside the filter. The admin WAR gets the master key of {@link MasterKeyFile} (unless
 * {@code --set gatekey.masterKeys} names others) and the {@code gatekey.*} settings as context params; the demo
 * API's filter gets the {@code filter.*} settings as init-params (see {@link Settings}).
 *
 * <p>Start-up order matters: the pool first, then bucket {@value #DEMO_BUCKET} (so the demo filter finds its
 * prefix when its context starts), then Micrometer's global registry (the filters register their meters at
 * init), then Tomcat. The pool is bound once as a global JNDI resource and linked into each context as
 * {@value #DATA_SOURCE_NAME}; each WAR carries its own H2 driver, so per-context pools would start two H2
 * engines on one file.
 *
 * <p>{@link #main} exits with 2 for a bad command line, 1 when the quickstart cannot start, each with one line
 * on standard error.
 */
public final class Quickstart implements AutoCloseable {

    public static final String DEMO_BUCKET = "demo-live";
    public static final String DEMO_KEY_PREFIX = "demo_live";
    public static final String ADMIN_PATH = "/admin";
    public static final String HEALTH_PATH = "/health";
    public static final String METRICS_PATH = "/metrics";
    public static final String ADMIN_KEY_FILE = "admin-key";
    public static final String MASTER_KEY_FILE = MasterKeyFile.FILE_NAME;
    /** Held by the running quickstart: one quickstart per data directory. */
    public static final String LOCK_FILE = "quickstart.lock";
    /** The name both WARs look their DataSource up by, below {@code java:comp/env}. */
    public static final String DATA_SOURCE_NAME = "jdbc/gatekey";
    public static final int EXIT_RUNTIME = 1;
    public static final int EXIT_USAGE = 2;

    static final String ACTOR = "gatekey-quickstart";
    /** What the banner's recipe says when no key came back. */
    static final String RECIPE_FAILED = "no key: creating the consumer failed, see the error above";
    /** H2 setting making each commit written before it is acknowledged. */
    static final String H2_DURABLE_WRITES = "WRITE_DELAY=0";
    private static final String DEMO_WAR = "gatekey-example-webxml-app.war";
    private static final String ADMIN_WAR = "gatekey-admin-war.war";
    private static final Logger LOG = Logger.getLogger(Quickstart.class.getName());

    private final Path dataDir;
    private final Map<String, String> settings;
    private final String instance = UUID.randomUUID().toString();
    /** The admin WAR's gatekey.masterKeys; null when the command line sets them. */
    private String masterKeys;
    private HikariDataSource pool;
    private DataDirectory directory;
    private PrometheusMeterRegistry prometheus;
    private Tomcat tomcat;
    private int port;

    private Quickstart(Path dataDir, Map<String, String> settings) {
        this.dataDir = dataDir;
        this.settings = settings;
    }

    /** A start that failed for a reason the user can act on; the message is one line. */
    public static final class StartupException extends Exception {
        private static final long serialVersionUID = 1L;

        StartupException(String message) {
            super(message);
        }
    }

    /** What {@link #launch} did: a running quickstart, or the exit code of a start that did not happen. */
    public record Launch(int exitCode, Quickstart running) {
    }

    public static void main(String[] args) {
        Launch launch = launch(System.out, System.err, args);
        if (launch.running() == null) {
            System.exit(launch.exitCode());
        }
        Quickstart quickstart = launch.running();
        // printed, not logged: java.util.logging closes its handlers in a shutdown hook of its own
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("Gatekey quickstart stopping");
            quickstart.close();
            System.out.println("Gatekey quickstart stopped");
        }, "gatekey-quickstart-shutdown"));
        quickstart.tomcat.getServer().await();
    }

    /**
     * Parses the command line and starts: what {@link #main} does, without exiting or blocking. Usage errors and
     * start-up failures are reported as one line on {@code err}.
     */
    public static Launch launch(PrintStream out, PrintStream err, String... args) {
        Options options;
        try {
            options = Options.parse(args);
        } catch (Options.UsageException e) {
            err.println("gatekey-quickstart: " + e.getMessage() + " (see --help)");
            return new Launch(EXIT_USAGE, null);
        }
        if (options.help()) {
            out.println(Options.USAGE);
            out.println("  --port N          HTTP port (default " + Options.DEFAULT_PORT + ", 0 = any free port)");
            out.println("  --data DIR        data directory: database, admin key, master key, expanded WARs (default "
                    + Options.DEFAULT_DATA_DIR + ")");
            out.println("  --set NAME=VALUE  a setting of the admin WAR (gatekey.*) or of the demo API's filter"
                    + " (filter.*); repeatable");
            out.print(Settings.help());
            out.println("  " + Options.QUIET_ADMIN_KEY + " write the first-start admin key to its file only;"
                    + " do not print it");
            return new Launch(0, null);
        }
        try {
            Quickstart quickstart = start(options);
            out.print(quickstart.banner());
            out.flush();
            return new Launch(0, quickstart);
        } catch (StartupException e) {
            err.println("gatekey-quickstart: " + e.getMessage());
            return new Launch(EXIT_RUNTIME, null);
        }
    }

    /**
     * Starts a quickstart from command line arguments (for tests: {@code --port 0} takes a free port).
     *
     * @throws Options.UsageException for a bad command line
     * @throws StartupException when it cannot start
     */
    public static Quickstart start(String... args) throws Options.UsageException, StartupException {
        return start(Options.parse(args));
    }

    static Quickstart start(Options options) throws StartupException {
        StandardOutputLogging.configure();
        long started = System.nanoTime();
        Quickstart quickstart = new Quickstart(options.dataDir().toAbsolutePath().normalize(), options.settings());
        try {
            quickstart.run(options.port(), options.quietAdminKey());
        } catch (StartupException e) {
            quickstart.close();
            throw e;
        } catch (RuntimeException e) {
            LOG.log(Level.FINE, "Start-up failed", e);
            quickstart.close();
            throw new StartupException("cannot start: " + oneLine(e));
        }
        LOG.info(String.format("Gatekey quickstart started on port %d in %d ms", quickstart.port,
                (System.nanoTime() - started) / 1_000_000));
        return quickstart;
    }

    private void run(int requestedPort, boolean quietAdminKey) throws StartupException {
        checkPortFree(requestedPort);
        directory = DataDirectory.lock(dataDir);
        Path webapps = directory.prepareWebapps(DEMO_WAR, ADMIN_WAR);
        if (!settings.containsKey(AdminSettings.MASTER_KEYS)) {
            masterKeys = MasterKeyFile.readOrCreate(masterKeyFile());
        }
        pool = directory.openPool();
        ensureDemoBucket();
        prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        Metrics.globalRegistry.add(prometheus);
        startTomcat(requestedPort, webapps, quietAdminKey);
    }

    private static void checkPortFree(int port) throws StartupException {
        if (port == 0) {
            return;
        }
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress(port));
        } catch (IOException e) {
            throw new StartupException("port " + port + " is already in use (" + oneLine(e) + ")");
        }
    }

    /** Bucket {@value #DEMO_BUCKET} with irretrievable keys (no master keys here), created once. */
    private void ensureDemoBucket() throws StartupException {
        try (GatekeyDatabase database = GatekeyDatabase.open(pool)) {
            KeyManagement keys = new KeyManagement(database, ApiKeyFormat.crc32(), null, Clock.systemUTC());
            Bucket bucket;
            try {
                bucket = keys.buckets().get(DEMO_BUCKET);
            } catch (NotFoundException missing) {
                try {
                    bucket = keys.buckets().create(ACTOR, DEMO_BUCKET, "Keys of the quickstart's demo API",
                            DEMO_KEY_PREFIX, false);
                    LOG.info("Created bucket " + DEMO_BUCKET + " (key prefix " + DEMO_KEY_PREFIX + ")");
                } catch (ConflictException e) {
                    throw new StartupException("cannot create bucket " + DEMO_BUCKET + ": " + e.getMessage());
                }
            }
            if (!DEMO_KEY_PREFIX.equals(bucket.keyPrefix())) {
                LOG.warning("Bucket " + DEMO_BUCKET + " has key prefix " + bucket.keyPrefix() + ", not "
                        + DEMO_KEY_PREFIX);
            }
        }
    }

    private void startTomcat(int requestedPort, Path webapps, boolean quietAdminKey) throws StartupException {
        PooledDataSources.register(instance, pool);
        tomcat = new Tomcat();
        tomcat.setBaseDir(dataDir.resolve("tomcat").toString());
        tomcat.setPort(requestedPort);
        tomcat.getConnector();
        tomcat.getHost().setAppBase(webapps.toString());
        tomcat.getHost().getPipeline().addValve(TomcatContexts.quietErrorReports());
        // the two WARs start side by side: each spends seconds bootstrapping Hibernate
        tomcat.getHost().setStartStopThreads(2);
        tomcat.enableNaming();
        // the defaults without the JSP servlet: Jasper is not here, and neither WAR has JSPs
        tomcat.setAddDefaultWebXmlToWebapp(false);

        tomcat.getServer().getGlobalNamingResources().addResource(
                TomcatContexts.globalDataSource(DATA_SOURCE_NAME, instance));

        Context demo = tomcat.addWebapp("", webapps.resolve("ROOT.war").toString());
        // the WAR's META-INF/context.xml pools the H2 file itself with DBCP: replaced by the shared pool
        TomcatContexts.configure(demo, DATA_SOURCE_NAME);
        TomcatContexts.addFilterParameters(demo, Settings.DEMO_FILTER, Settings.filter(settings));
        PrometheusMeterRegistry registry = prometheus;
        demo.addServletContainerInitializer((classes, servletContext) -> {
            servletContext.addServlet("quickstartHealth", new HealthServlet(pool, registry)).addMapping(HEALTH_PATH);
            servletContext.addServlet("quickstartMetrics", new MetricsServlet(registry)).addMapping(METRICS_PATH);
        }, null);

        Context admin = tomcat.addWebapp(ADMIN_PATH, webapps.resolve("admin.war").toString());
        TomcatContexts.configure(admin, DATA_SOURCE_NAME);
        TomcatContexts.addContextParameters(admin, adminParameters(quietAdminKey));

        StartFailures failures = StartFailures.watch();
        try {
            tomcat.start();
        } catch (LifecycleException e) {
            throw new StartupException("cannot start Tomcat: " + oneLine(rootCause(e)));
        } finally {
            failures.close();
        }
        port = tomcat.getConnector().getLocalPort();
        if (port <= 0) {
            throw new StartupException("cannot listen on port " + requestedPort);
        }
        for (Context context : new Context[] {demo, admin}) {
            if (context.getState() != LifecycleState.STARTED) {
                String name = context == demo ? "the demo API" : "the admin WAR";
                String reason = failures.reason(context.getPath());
                throw new StartupException(name + " did not start: " + (reason == null ? "see the log above" : reason));
            }
        }
    }

    /** The admin WAR's context params: the quickstart's files, then the command line's gatekey.* settings. */
    private Map<String, String> adminParameters(boolean quietAdminKey) {
        Map<String, String> params = new LinkedHashMap<>();
        params.put(AdminSettings.ADMIN_KEY_FILE, adminKeyFile().toString());
        if (quietAdminKey) {
            params.put(AdminSettings.PRINT_ADMIN_KEY, "false");
        }
        if (masterKeys != null) {
            params.put(AdminSettings.MASTER_KEYS, masterKeys);
        }
        params.putAll(Settings.admin(settings));
        return params;
    }

    /** The port Tomcat listens on. */
    public int port() {
        return port;
    }

    public Path dataDir() {
        return dataDir;
    }

    /** Where the admin WAR writes the first-start admin key. */
    public Path adminKeyFile() {
        return dataDir.resolve(ADMIN_KEY_FILE);
    }

    /** The master key the admin WAR encrypts keys of retrievable buckets with (see {@link MasterKeyFile}). */
    public Path masterKeyFile() {
        return dataDir.resolve(MASTER_KEY_FILE);
    }

    /** The lines printed once the quickstart is up. */
    String banner() {
        String base = "http://localhost:" + port;
        String n = System.lineSeparator();
        return "Gatekey quickstart is up." + n
                + "  Demo API:  " + base + "/api/whoami  (bucket " + DEMO_BUCKET + "; " + base + "/public/ping needs no key)" + n
                + "  Admin API: " + base + ADMIN_PATH + "/api/v1  (web UI: " + base + ADMIN_PATH + "/; admin key in "
                + adminKeyFile() + ", owner-only; the first start also prints it unless " + Options.QUIET_ADMIN_KEY
                + ")" + n
                + "  Health:    " + base + HEALTH_PATH + "   Metrics: " + base + METRICS_PATH + n
                + "  Create a consumer with a key, then call the demo API with it:" + n
                + "    " + String.join(n + "    ", recipe()) + n;
    }

    /**
     * The copy-paste shell lines of the banner. The consumer name is new on every run (a fixed name answers 409
     * the second time); {@code curl -f} and {@code sed -n .../p} keep an error body from becoming the "key", and
     * an empty key stops with a message instead of calling the API without one.
     */
    List<String> recipe() {
        String base = "http://localhost:" + port;
        String keyFile = shellQuote(adminKeyFile().toString());
        return List.of("KEY=$(curl -sSf -X POST -H \"Authorization: Bearer $(cat " + keyFile + ")\""
                        + " -H 'Content-Type: application/json' -d '{\"name\":\"demo-'\"$(date +%s)-$$\"'\"}'"
                        + " '" + base + ADMIN_PATH + "/api/v1/buckets/" + DEMO_BUCKET + "/consumers?with-api-key=true'"
                        + " | sed -nE 's/.*\"key\":\"([^\"]+)\".*/\\1/p'); : \"${KEY:?" + RECIPE_FAILED + "}\"",
                "curl -s -H \"Authorization: Bearer $KEY\" " + base + "/api/whoami");
    }

    /** Stops Tomcat, then closes the pool; safe to call twice. */
    @Override
    public synchronized void close() {
        if (tomcat != null) {
            try {
                tomcat.stop();
                tomcat.destroy();
            } catch (LifecycleException | RuntimeException e) {
                LOG.log(Level.WARNING, "Could not stop Tomcat cleanly", e);
            }
            tomcat = null;
        }
        PooledDataSources.unregister(instance);
        if (prometheus != null) {
            Metrics.globalRegistry.remove(prometheus);
            prometheus.close();
            prometheus = null;
        }
        if (pool != null) {
            pool.close();
            pool = null;
        }
        if (directory != null) {
            directory.close();
            directory = null;
        }
    }

    private static String shellQuote(String value) {
        return "'" + value.replace("'", "'\\''") + "'";
    }

    static Throwable rootCause(Throwable e) {
        Throwable cause = e;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return cause;
    }

    static String oneLine(Throwable e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        int newline = message.indexOf('\n');
        return (newline < 0 ? message : message.substring(0, newline)).trim();
    }
}
