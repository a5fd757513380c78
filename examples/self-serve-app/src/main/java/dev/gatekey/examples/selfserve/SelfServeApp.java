package dev.gatekey.examples.selfserve;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.gatekey.format.ApiKeyFormat;
import dev.gatekey.persistence.GatekeyDatabase;
import dev.gatekey.persistence.KeyManagement;
import jakarta.servlet.ServletRegistration;
import java.nio.file.Path;
import java.time.Clock;
import java.util.UUID;
import javax.sql.DataSource;
import org.apache.catalina.Context;
import org.apache.catalina.LifecycleException;
import org.apache.catalina.LifecycleState;
import org.apache.catalina.realm.MemoryRealm;
import org.apache.catalina.servlets.DefaultServlet;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.util.descriptor.web.ApplicationParameter;
import org.apache.tomcat.util.descriptor.web.ContextResource;
import org.apache.tomcat.util.descriptor.web.ContextResourceLink;
import org.apache.tomcat.util.scan.StandardJarScanner;
import org.h2.jdbcx.JdbcDataSource;

/**
 * Runs the example: embedded Tomcat with this application at {@code /} (its own sign-in, users in
 * {@code tomcat-users.xml} of the data directory) and the admin WAR at {@value #ADMIN_PATH} (the portal at
 * {@code /admin/portal/}), both on one pool over one H2 file in the data directory, bound once as the global
 * JNDI resource {@value #DATA_SOURCE_NAME} and linked into both.
 *
 * <p>{@code java -jar gatekey-self-serve-app.jar [--port N] [--data DIR]}: port 8080 (0 = any free one), data
 * directory {@value #DEFAULT_DATA_DIR}.
 */
public final class SelfServeApp implements AutoCloseable {

    public static final String ADMIN_PATH = "/admin";
    public static final String DATA_SOURCE_NAME = "jdbc/gatekey";
    public static final String DEFAULT_DATA_DIR = "self-serve-data";
    public static final int DEFAULT_PORT = 8080;
    static final String USAGE = "usage: java -jar gatekey-self-serve-app.jar [--port N] [--data DIR]";

    private final Path dataDir;
    private final String instance = UUID.randomUUID().toString();
    private HikariDataSource pool;
    private Tomcat tomcat;

    private SelfServeApp(Path dataDir) {
        this.dataDir = dataDir.toAbsolutePath().normalize();
    }

    public static void main(String[] args) throws Exception {
        int port = DEFAULT_PORT;
        Path data = Path.of(DEFAULT_DATA_DIR);
        for (int i = 0; i < args.length; i++) {
            String value = i + 1 < args.length ? args[i + 1] : null;
            if ("--port".equals(args[i]) && value != null && value.matches("\\d{1,5}")) {
                port = Integer.parseInt(value);
            } else if ("--data".equals(args[i]) && value != null) {
                data = Path.of(value);
            } else {
                System.err.println(USAGE);
                System.exit(2);
                return;
            }
            i++;
        }
        SelfServeApp app = start(port, data);
        // printed, not logged: java.util.logging closes its handlers in a shutdown hook of its own
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            app.close();
            System.out.println("Gatekey self-serve example stopped");
        }, "self-serve-shutdown"));
        String base = "http://localhost:" + app.port();
        System.out.println("Gatekey self-serve example is up.");
        System.out.println("  Application: " + base + "/   (sign in as alice / alice-demo or bob / bob-demo;"
                + " demo passwords, in " + app.dataDir.resolve(AppFiles.USERS) + ")");
        System.out.println("  API:         " + base + "/api/whoami   (with the key shown at your first sign-in)");
        System.out.println("  Portal:      " + base + ADMIN_PATH + "/portal/   (opened from Settings: API keys)");
        System.out.println("  Admin UI:    " + base + ADMIN_PATH + "/   (admin key in "
                + app.dataDir.resolve("gatekey-admin-key") + ")");
        System.out.println("Ctrl-C stops it.");
        app.tomcat.getServer().await();
    }

    /** Starts the example on {@code port} (0: any free port) with its data in {@code dataDir}. */
    public static SelfServeApp start(int port, Path dataDir) throws LifecycleException {
        SelfServeApp app = new SelfServeApp(dataDir);
        try {
            app.run(port);
            return app;
        } catch (LifecycleException | RuntimeException e) {
            app.close();
            throw e;
        }
    }

    private void run(int port) throws LifecycleException {
        Path webapps = AppFiles.prepare(dataDir);
        pool = openPool();
        // the tables and the bucket before Tomcat: the two applications then start side by side without racing
        try (GatekeyDatabase database = GatekeyDatabase.open(pool)) {
            SelfServeListener.ensureBucket(new KeyManagement(database, ApiKeyFormat.crc32(), null, Clock.systemUTC()),
                    SelfServeListener.DEFAULT_BUCKET);
        }
        SharedDataSources.register(instance, pool);

        tomcat = new Tomcat();
        tomcat.setPort(port);
        tomcat.getConnector().setProperty("address", "127.0.0.1");
        tomcat.setBaseDir(dataDir.resolve("tomcat").toString());
        tomcat.getHost().setAppBase(webapps.toString());
        tomcat.getHost().setStartStopThreads(2);
        tomcat.enableNaming();
        tomcat.setAddDefaultWebXmlToWebapp(false);
        tomcat.getServer().getGlobalNamingResources().addResource(globalDataSource());

        Context app = tomcat.addWebapp("", webapps.resolve("ROOT").toString());
        configure(app);
        MemoryRealm users = new MemoryRealm();
        users.setPathname(dataDir.resolve(AppFiles.USERS).toString());
        app.setRealm(users);

        Context admin = tomcat.addWebapp(ADMIN_PATH, webapps.resolve("admin.war").toString());
        configure(admin);
        parameter(admin, "gatekey.adminKeyFile", dataDir.resolve("gatekey-admin-key").toString());
        parameter(admin, "gatekey.printAdminKey", "false");

        tomcat.start();
        for (Context context : new Context[] {app, admin}) {
            if (context.getState() != LifecycleState.STARTED) {
                throw new IllegalStateException("the application at '" + context.getPath()
                        + "' did not start: see the log above");
            }
        }
    }

    private HikariDataSource openPool() {
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL("jdbc:h2:file:" + dataDir.resolve("gatekey") + ";DB_CLOSE_ON_EXIT=FALSE;WRITE_DELAY=0");
        HikariConfig config = new HikariConfig();
        config.setDataSource(h2);
        config.setPoolName("gatekey-self-serve");
        config.setMaximumPoolSize(10);
        config.setConnectionTimeout(GatekeyDatabase.CONNECTION_TIMEOUT_MILLIS);
        return new HikariDataSource(config);
    }

    private ContextResource globalDataSource() {
        ContextResource resource = new ContextResource();
        resource.setName(DATA_SOURCE_NAME);
        resource.setType(DataSource.class.getName());
        resource.setAuth("Container");
        resource.setSingleton(false);
        resource.setProperty("factory", SharedDataSources.class.getName());
        resource.setProperty(SharedDataSources.INSTANCE, instance);
        return resource;
    }

    /** Tomcat's default servlet (no JSP), a jar scan of WEB-INF/lib only, and the shared DataSource linked in. */
    private static void configure(Context context) {
        context.addServletContainerInitializer((classes, servletContext) -> {
            ServletRegistration.Dynamic defaultServlet = servletContext.addServlet("default", new DefaultServlet());
            if (defaultServlet != null) {
                defaultServlet.setInitParameter("listings", "false");
                defaultServlet.setLoadOnStartup(1);
                defaultServlet.addMapping("/");
            }
        }, null);
        Tomcat.addDefaultMimeTypeMappings(context);
        if (context.getJarScanner() instanceof StandardJarScanner scanner) {
            scanner.setScanClassPath(false);
            scanner.setScanManifest(false);
        }
        context.setConfigFile(null);
        ContextResourceLink link = new ContextResourceLink();
        link.setName(DATA_SOURCE_NAME);
        link.setGlobal(DATA_SOURCE_NAME);
        link.setType(DataSource.class.getName());
        context.getNamingResources().addResourceLink(link);
    }

    private static void parameter(Context context, String name, String value) {
        ApplicationParameter param = new ApplicationParameter();
        param.setName(name);
        param.setValue(value);
        param.setOverride(false);
        context.addApplicationParameter(param);
    }

    /** The port Tomcat listens on. */
    public int port() {
        return tomcat.getConnector().getLocalPort();
    }

    /** The pool both applications use (tests open Gatekey's services over it). */
    public DataSource dataSource() {
        return pool;
    }

    /** Stops Tomcat, then closes the pool; safe to call twice. */
    @Override
    public synchronized void close() {
        if (tomcat != null) {
            try {
                tomcat.stop();
                tomcat.destroy();
            } catch (LifecycleException e) {
                System.err.println("Could not stop Tomcat cleanly: " + e.getMessage());
            }
            tomcat = null;
        }
        SharedDataSources.unregister(instance);
        if (pool != null) {
            pool.close();
            pool = null;
        }
    }
}
