package dev.gatekey.quickstart;

import com.zaxxer.hikari.HikariConfig;
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
import jakarta.servlet.ServletRegistration;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.channels.FileChannel;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.List;
import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.apache.catalina.Context;
import org.apache.catalina.Lifecycle;
import org.apache.catalina.LifecycleException;
import org.apache.catalina.LifecycleState;
import org.apache.catalina.servlets.DefaultServlet;
import org.apache.catalina.startup.Tomcat;
import org.apache.catalina.valves.ErrorReportValve;
import org.apache.tomcat.util.descriptor.web.ApplicationParameter;
import org.apache.tomcat.util.descriptor.web.ContextResource;
import org.apache.tomcat.util.descriptor.web.ContextResourceLink;
import org.apache.tomcat.util.descriptor.web.FilterDef;
import org.apache.tomcat.util.scan.StandardJarScanner;
import org.h2.jdbcx.JdbcDataSource;

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
    private FileChannel lock;
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
        lockDataDir();
        Path webapps = prepareDataDir();
        if (!settings.containsKey(AdminSettings.MASTER_KEYS)) {
            masterKeys = MasterKeyFile.readOrCreate(masterKeyFile());
        }
        pool = openPool();
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

    /**
     * Takes {@value #LOCK_FILE} in the data directory, held until {@link #close()}, before anything in it is
     * touched: a second quickstart on the same directory stops here instead of replacing the running one's
     * web applications under it.
     */
    private void lockDataDir() throws StartupException {
        try {
            Files.createDirectories(dataDir);
        } catch (IOException e) {
            throw new StartupException("cannot create data directory " + dataDir + " (" + oneLine(e) + ")");
        }
        if (!Files.isDirectory(dataDir) || !Files.isWritable(dataDir)) {
            throw new StartupException("data directory " + dataDir + " is not a writable directory");
        }
        String inUse = "data directory " + dataDir + " is in use by another quickstart: stop it, or use another --data";
        try {
            lock = FileChannel.open(dataDir.resolve(LOCK_FILE), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            if (lock.tryLock() == null) {
                throw new StartupException(inUse);
            }
        } catch (OverlappingFileLockException e) {
            // held by a quickstart in this JVM
            throw new StartupException(inUse);
        } catch (IOException e) {
            throw new StartupException("cannot lock data directory " + dataDir + " (" + oneLine(e) + ")");
        }
    }

    private Path prepareDataDir() throws StartupException {
        Path webapps = dataDir.resolve("webapps");
        try {
            Files.createDirectories(dataDir.resolve("tomcat"));
            Files.createDirectories(webapps);
            // a fresh copy each start, and no expanded directory left from another version
            copyWar(DEMO_WAR, webapps.resolve("ROOT.war"));
            copyWar(ADMIN_WAR, webapps.resolve("admin.war"));
            deleteTree(webapps.resolve("ROOT"));
            deleteTree(webapps.resolve("admin"));
        } catch (IOException e) {
            throw new StartupException("cannot write to data directory " + dataDir + " (" + oneLine(e) + ")");
        }
        return webapps;
    }

    private static void copyWar(String resource, Path target) throws IOException, StartupException {
        try (InputStream war = Quickstart.class.getResourceAsStream("webapps/" + resource)) {
            if (war == null) {
                throw new StartupException("the jar does not contain webapps/" + resource + ": rebuild it with Maven");
            }
            Files.copy(war, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
                Files.delete(path);
            }
        }
    }

    private HikariDataSource openPool() throws StartupException {
        JdbcDataSource h2 = new JdbcDataSource();
        // the pool closes the database; H2's own shutdown hook would close it under a Tomcat still stopping.
        // WRITE_DELAY=0: a commit reaches the file before the API answers 2xx (H2 defaults to 500 ms later, and
        // a killed process then loses acknowledged writes)
        h2.setURL("jdbc:h2:file:" + dataDir.resolve("gatekey") + ";DB_CLOSE_ON_EXIT=FALSE;" + H2_DURABLE_WRITES);
        HikariConfig config = new HikariConfig();
        config.setDataSource(h2);
        config.setPoolName("gatekey-quickstart");
        config.setMaximumPoolSize(10);
        config.setConnectionTimeout(GatekeyDatabase.CONNECTION_TIMEOUT_MILLIS);
        try {
            return new HikariDataSource(config);
        } catch (RuntimeException e) {
            throw new StartupException("cannot open the database in " + dataDir + " (" + oneLine(rootCause(e))
                    + "); is another quickstart using it?");
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
        tomcat.getHost().getPipeline().addValve(quietErrorReports());
        // the two WARs start side by side: each spends seconds bootstrapping Hibernate
        tomcat.getHost().setStartStopThreads(2);
        tomcat.enableNaming();
        // the defaults without the JSP servlet: Jasper is not here, and neither WAR has JSPs
        tomcat.setAddDefaultWebXmlToWebapp(false);

        ContextResource resource = new ContextResource();
        resource.setName(DATA_SOURCE_NAME);
        resource.setType(DataSource.class.getName());
        resource.setAuth("Container");
        // not a singleton: Tomcat would try to register the pool as a JMX bean; the factory returns one pool anyway
        resource.setSingleton(false);
        resource.setProperty("factory", PooledDataSources.class.getName());
        resource.setProperty(PooledDataSources.INSTANCE, instance);
        tomcat.getServer().getGlobalNamingResources().addResource(resource);

        Context demo = tomcat.addWebapp("", webapps.resolve("ROOT.war").toString());
        configureContext(demo);
        // the WAR's META-INF/context.xml pools the H2 file itself with DBCP: replaced by the shared pool
        demo.setConfigFile(null);
        linkDataSource(demo);
        configureDemoFilter(demo);
        PrometheusMeterRegistry registry = prometheus;
        demo.addServletContainerInitializer((classes, servletContext) -> {
            servletContext.addServlet("quickstartHealth", new HealthServlet(pool, registry)).addMapping(HEALTH_PATH);
            servletContext.addServlet("quickstartMetrics", new MetricsServlet(registry)).addMapping(METRICS_PATH);
        }, null);

        Context admin = tomcat.addWebapp(ADMIN_PATH, webapps.resolve("admin.war").toString());
        configureContext(admin);
        admin.setConfigFile(null);
        linkDataSource(admin);
        adminParameters(quietAdminKey).forEach((name, value) -> {
            ApplicationParameter param = new ApplicationParameter();
            param.setName(name);
            param.setValue(value);
            param.setOverride(false);
            admin.addApplicationParameter(param);
        });

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

    /**
     * Tomcat's own error pages (requests refused before an application sees them: a malformed header line, an
     * encoded {@code /}, an over-long URI) without the report, which quotes the offending header line (a key
     * sent with a stray CR, say) and a stack trace, and without the server's version. The host finds this valve
     * in its pipeline and adds no default one.
     */
    static ErrorReportValve quietErrorReports() {
        ErrorReportValve valve = new ErrorReportValve();
        valve.setShowReport(false);
        valve.setShowServerInfo(false);
        return valve;
    }

    /**
     * Tomcat's web defaults minus JSP, and a jar scan of {@code WEB-INF/lib} only: the quickstart's own class
     * path (this jar) holds no web fragments, and scanning it would double the start-up time.
     */
    private static void configureContext(Context context) {
        context.addServletContainerInitializer((classes, servletContext) -> {
            ServletRegistration.Dynamic defaultServlet = servletContext.addServlet("default", new DefaultServlet());
            if (defaultServlet == null) {
                return; // the WAR declares its own
            }
            defaultServlet.setInitParameter("listings", "false");
            defaultServlet.setLoadOnStartup(1);
            defaultServlet.addMapping("/");
        }, null);
        Tomcat.addDefaultMimeTypeMappings(context);
        context.addWelcomeFile("index.html");
        if (context.getJarScanner() instanceof StandardJarScanner scanner) {
            scanner.setScanClassPath(false);
            scanner.setScanManifest(false);
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

    /**
     * Adds the command line's filter.* settings to the demo filter's init-params, once Tomcat has read its
     * {@code web.xml} (the listeners run in the order added: Tomcat's own configuration first) and before the
     * filter starts; a setting replaces the {@code web.xml} value of the same name.
     */
    private void configureDemoFilter(Context demo) {
        Map<String, String> params = Settings.filter(settings);
        if (params.isEmpty()) {
            return;
        }
        demo.addLifecycleListener(event -> {
            if (Lifecycle.CONFIGURE_START_EVENT.equals(event.getType())) {
                FilterDef filter = demo.findFilterDef(Settings.DEMO_FILTER);
                if (filter == null) {
                    throw new IllegalStateException("the demo API has no filter named " + Settings.DEMO_FILTER);
                }
                filter.getParameterMap().putAll(params);
            }
        });
    }

    private static void linkDataSource(Context context) {
        ContextResourceLink link = new ContextResourceLink();
        link.setName(DATA_SOURCE_NAME);
        link.setGlobal(DATA_SOURCE_NAME);
        link.setType(DataSource.class.getName());
        context.getNamingResources().addResourceLink(link);
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
        if (lock != null) {
            try {
                lock.close(); // releases the lock
            } catch (IOException e) {
                LOG.log(Level.FINE, "Could not close the data directory lock", e);
            }
            lock = null;
        }
    }

    private static String shellQuote(String value) {
        return "'" + value.replace("'", "'\\''") + "'";
    }

    private static Throwable rootCause(Throwable e) {
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
