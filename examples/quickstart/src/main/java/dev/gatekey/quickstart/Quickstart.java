package dev.gatekey.quickstart;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
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
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.util.Comparator;
import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.apache.catalina.Context;
import org.apache.catalina.LifecycleException;
import org.apache.catalina.LifecycleState;
import org.apache.catalina.servlets.DefaultServlet;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.util.descriptor.web.ApplicationParameter;
import org.apache.tomcat.util.descriptor.web.ContextResource;
import org.apache.tomcat.util.descriptor.web.ContextResourceLink;
import org.apache.tomcat.util.scan.StandardJarScanner;
import org.h2.jdbcx.JdbcDataSource;

/**
 * The Gatekey quickstart: embedded Tomcat with the demo API WAR at {@code /} and the admin WAR at
 * {@value #ADMIN_PATH}, both on one H2 database in the data directory, plus {@value #HEALTH_PATH} and
 * {@value #METRICS_PATH} outside the filter.
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
    /** The name both WARs look their DataSource up by, below {@code java:comp/env}. */
    public static final String DATA_SOURCE_NAME = "jdbc/gatekey";
    public static final int EXIT_RUNTIME = 1;
    public static final int EXIT_USAGE = 2;

    static final String ACTOR = "gatekey-quickstart";
    private static final String DEMO_WAR = "gatekey-example-webxml-app.war";
    private static final String ADMIN_WAR = "gatekey-admin-war.war";
    private static final Logger LOG = Logger.getLogger(Quickstart.class.getName());

    private final Path dataDir;
    private final String instance = UUID.randomUUID().toString();
    private HikariDataSource pool;
    private PrometheusMeterRegistry prometheus;
    private Tomcat tomcat;
    private int port;

    private Quickstart(Path dataDir) {
        this.dataDir = dataDir;
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
            out.println("  --port N    HTTP port (default " + Options.DEFAULT_PORT + ", 0 = any free port)");
            out.println("  --data DIR  data directory: database, admin key, expanded WARs (default "
                    + Options.DEFAULT_DATA_DIR + ")");
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
        Quickstart quickstart = new Quickstart(options.dataDir().toAbsolutePath().normalize());
        try {
            quickstart.run(options.port());
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

    private void run(int requestedPort) throws StartupException {
        checkPortFree(requestedPort);
        Path webapps = prepareDataDir();
        pool = openPool();
        ensureDemoBucket();
        prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        Metrics.globalRegistry.add(prometheus);
        startTomcat(requestedPort, webapps);
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

    private Path prepareDataDir() throws StartupException {
        try {
            Files.createDirectories(dataDir);
        } catch (IOException e) {
            throw new StartupException("cannot create data directory " + dataDir + " (" + oneLine(e) + ")");
        }
        if (!Files.isDirectory(dataDir) || !Files.isWritable(dataDir)) {
            throw new StartupException("data directory " + dataDir + " is not a writable directory");
        }
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
        // the pool closes the database; H2's own shutdown hook would close it under a Tomcat still stopping
        h2.setURL("jdbc:h2:file:" + dataDir.resolve("gatekey") + ";DB_CLOSE_ON_EXIT=FALSE");
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
                bucket = keys.getBucket(DEMO_BUCKET);
            } catch (NotFoundException missing) {
                try {
                    bucket = keys.createBucket(ACTOR, DEMO_BUCKET, "Keys of the quickstart's demo API",
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

    private void startTomcat(int requestedPort, Path webapps) throws StartupException {
        PooledDataSources.register(instance, pool);
        tomcat = new Tomcat();
        tomcat.setBaseDir(dataDir.resolve("tomcat").toString());
        tomcat.setPort(requestedPort);
        tomcat.getConnector();
        tomcat.getHost().setAppBase(webapps.toString());
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
        PrometheusMeterRegistry registry = prometheus;
        demo.addServletContainerInitializer((classes, servletContext) -> {
            servletContext.addServlet("quickstartHealth", new HealthServlet(pool, registry)).addMapping(HEALTH_PATH);
            servletContext.addServlet("quickstartMetrics", new MetricsServlet(registry)).addMapping(METRICS_PATH);
        }, null);

        Context admin = tomcat.addWebapp(ADMIN_PATH, webapps.resolve("admin.war").toString());
        configureContext(admin);
        admin.setConfigFile(null);
        linkDataSource(admin);
        ApplicationParameter keyFile = new ApplicationParameter();
        keyFile.setName("gatekey.adminKeyFile");
        keyFile.setValue(adminKeyFile().toString());
        keyFile.setOverride(false);
        admin.addApplicationParameter(keyFile);

        try {
            tomcat.start();
        } catch (LifecycleException e) {
            throw new StartupException("cannot start Tomcat: " + oneLine(rootCause(e)));
        }
        port = tomcat.getConnector().getLocalPort();
        if (port <= 0) {
            throw new StartupException("cannot listen on port " + requestedPort);
        }
        for (Context context : new Context[] {demo, admin}) {
            if (context.getState() != LifecycleState.STARTED) {
                String name = context == demo ? "the demo API" : "the admin WAR";
                throw new StartupException(name + " did not start: see the log above");
            }
        }
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

    /** The lines printed once the quickstart is up. */
    String banner() {
        String base = "http://localhost:" + port;
        String n = System.lineSeparator();
        String keyFile = shellQuote(adminKeyFile().toString());
        return "Gatekey quickstart is up." + n
                + "  Demo API:  " + base + "/api/whoami  (bucket " + DEMO_BUCKET + "; " + base + "/public/ping needs no key)" + n
                + "  Admin API: " + base + ADMIN_PATH + "/api/v1  (web UI: " + base + ADMIN_PATH + "/; admin key in "
                + adminKeyFile() + ")" + n
                + "  Health:    " + base + HEALTH_PATH + "   Metrics: " + base + METRICS_PATH + n
                + "  Create a consumer with a key, then call the demo API with it:" + n
                + "    KEY=$(curl -s -X POST -H \"Authorization: Bearer $(cat " + keyFile + ")\""
                + " -H 'Content-Type: application/json' -d '{\"name\":\"acme\"}'"
                + " '" + base + ADMIN_PATH + "/api/v1/buckets/" + DEMO_BUCKET + "/consumers?with-api-key=true'"
                + " | sed -E 's/.*\"key\":\"([^\"]+)\".*/\\1/')" + n
                + "    curl -s -H \"Authorization: Bearer $KEY\" " + base + "/api/whoami" + n;
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
