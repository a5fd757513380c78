package dev.gatekey.admin;

import dev.gatekey.admin.access.AdminAccess;
import dev.gatekey.admin.access.AdminSessions;
import dev.gatekey.admin.api.AdminApi;
import dev.gatekey.admin.api.ApiServlet;
import dev.gatekey.admin.api.SecretScanningPatterns;
import dev.gatekey.admin.api.SessionServlet;
import dev.gatekey.admin.leak.GithubSecretScanningServlet;
import dev.gatekey.admin.leak.LeakNotifier;
import dev.gatekey.admin.leak.LeakSettings;
import dev.gatekey.admin.portal.PortalServlet;
import dev.gatekey.filter.ApiKeyFilter;
import dev.gatekey.filter.FilterSettings;
import dev.gatekey.format.ChecksumMode;
import dev.gatekey.persistence.Bucket;
import dev.gatekey.persistence.GatekeyDatabase;
import dev.gatekey.persistence.JpaKeyStore;
import dev.gatekey.persistence.KeyFormat;
import dev.gatekey.persistence.KeyManagement;
import dev.gatekey.persistence.NotFoundException;
import dev.gatekey.persistence.WebhookWorker;
import dev.gatekey.store.KeyStoreException;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterRegistration;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import jakarta.servlet.ServletRegistration;
import jakarta.servlet.SessionCookieConfig;
import jakarta.servlet.SessionTrackingMode;
import java.io.OutputStream;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Starts the admin WAR: parses {@link AdminSettings} from the context params, opens the database, runs the
 * {@link AdminKeyBootstrap first-start check}, then registers the admin key filter and the API servlet on
 * {@value #API_MAPPING}, the web UI's {@link SessionServlet} on {@value SessionServlet#MAPPING}, the self-serve
 * {@link PortalServlet} on {@value PortalServlet#MAPPING} and the {@link SecurityHeadersFilter} on {@code /*}; and
 * starts the {@link WebhookWorker} that delivers lifecycle webhooks (stopped with the context).
 *
 * <p>The session cookie ({@value #SESSION_COOKIE}) is {@code HttpOnly}, {@code SameSite=Strict}, scoped to the
 * context path, and {@code Secure} on HTTPS requests (Tomcat marks the cookie of a secure request so); sessions
 * use cookies only (no ids in URLs) and end after {@code gatekey.sessionTimeoutMinutes} idle.
 *
 * <p>One {@link GatekeyDatabase} (one pool) serves both the servlet's {@link KeyManagement} and the filter,
 * which is given a {@link JpaKeyStore} over it instead of opening its own. The filter accepts keys of bucket
 * {@value AdminAccess#ADMIN_BUCKET} and lets keyless requests through, so container-authenticated users reach
 * the servlet, which decides. It is mapped after the filters of {@code web.xml} (e.g. a
 * {@code RemoteIpFilter}).
 *
 * <p>A bad configuration fails the deployment, with a message naming the param (or, for a DataSource that is not
 * bound or not configured, the resource {@code jdbc/gatekey} and the alternative {@code gatekey.jdbcUrl}). An
 * unreachable database does not: the WAR starts, its API answers 503 "the database is unavailable" (and the key
 * filter 503 for keys it cannot decide), and a background thread ({@value #START_THREAD}) runs the first-start
 * check as soon as the database answers, so the WAR recovers without a redeployment.
 *
 * <p>Declared in {@code web.xml}: only a listener declared there (or annotated) may add filters and servlets.
 */
public final class AdminContextListener implements ServletContextListener {

    /** Where the API is mapped in the WAR. */
    public static final String API_MAPPING = "/api/v1/*";
    public static final String FILTER_NAME = "gatekeyAdminKeyFilter";
    public static final String SERVLET_NAME = "gatekeyAdminApi";
    public static final String GITHUB_SERVLET_NAME = "gatekeyGithubSecretScanning";
    /**
     * Exact mapping of the GitHub secret-scanning webhook: an exact mapping wins over {@value #API_MAPPING}, so
     * the admin API's authentication does not apply (the payload signature does).
     */
    public static final String GITHUB_MAPPING = API_MAPPING.replace("/*", "") + GithubSecretScanningServlet.ROUTE;
    public static final String SESSION_SERVLET_NAME = "gatekeyAdminSession";
    public static final String HEADERS_FILTER_NAME = "gatekeySecurityHeaders";
    public static final String PORTAL_SERVLET_NAME = "gatekeyPortal";
    /** Name of the web UI's session cookie. */
    public static final String SESSION_COOKIE = "GATEKEY_ADMIN_SESSION";
    private static final String JAVA_COMP_ENV = "java:comp/env/";

    /** Name of the thread that finishes starting once the database is reachable. */
    public static final String START_THREAD = "gatekey-admin-start";

    private static final Logger LOG = Logger.getLogger(AdminContextListener.class.getName());

    private GatekeyDatabase database;
    private LeakNotifier leakNotifier;
    private WebhookWorker webhookWorker;
    private ScheduledExecutorService starter;

    @Override
    public void contextInitialized(ServletContextEvent event) {
        ServletContext context = event.getServletContext();
        AdminSettings settings;
        LeakSettings leaks;
        try {
            Map<String, String> params = contextParams(context);
            leaks = LeakSettings.parse(params, System::getenv);
            params.keySet().removeAll(LeakSettings.PARAMS);
            settings = AdminSettings.parse(params, System::getenv);
        } catch (IllegalArgumentException e) {
            LOG.severe("Gatekey admin cannot start: " + e.getMessage());
            throw new IllegalStateException("Gatekey admin cannot start: " + e.getMessage(), e);
        }
        try {
            database = openDatabase(settings);
            KeyManagement keys = new KeyManagement(database, settings.keyFormat(), settings.masterKeys(),
                    Clock.systemUTC());
            Runnable firstStart = () -> {
                new AdminKeyBootstrap(keys, settings.adminKeyFile(),
                        settings.printAdminKey() ? System.out : new PrintStream(OutputStream.nullOutputStream()),
                        Clock.systemUTC()).run();
                logLeakDetection(context, leaks, keys);
            };
            if (database.isStarted()) {
                firstStart.run();
            }
            register(context, settings, keys);
            registerGithubWebhook(context, settings, leaks, keys);
            startWebhookWorker(settings, keys);
            if (!database.isStarted()) {
                finishWhenReachable(firstStart);
            }
        } catch (RuntimeException e) {
            LOG.log(Level.SEVERE, "Gatekey admin cannot start: " + e.getMessage(), e);
            closeWebhookWorker();
            closeLeakNotifier();
            closeDatabase();
            throw e;
        }
        LOG.info("Gatekey admin API started at " + context.getContextPath() + API_MAPPING.replace("/*", "") + ": "
                + settings);
    }

    /**
     * Opens the database, even while it is unreachable; a JNDI name that is not bound, or bound to a DataSource the
     * container left unconfigured, fails naming both ways to configure one.
     */
    private static GatekeyDatabase openDatabase(AdminSettings settings) {
        try {
            return GatekeyDatabase.openEventually(settings.store());
        } catch (KeyStoreException e) {
            String jndi = settings.store().dataSource();
            if (jndi == null) {
                throw e;
            }
            String resource = jndi.startsWith(JAVA_COMP_ENV) ? jndi.substring(JAVA_COMP_ENV.length()) : jndi;
            throw new KeyStoreException(e.getMessage() + ": configure the DataSource " + resource + " in the container "
                    + "(Tomcat: a <Resource name=\"" + resource + "\"> in the context; WildFly, Payara: a data source "
                    + "mapped to it) or set the context-param " + AdminSettings.JDBC_URL, e);
        }
    }

    /** Runs the first-start check once the database answers, retrying every second until then. */
    private void finishWhenReachable(Runnable firstStart) {
        starter = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, START_THREAD);
            thread.setDaemon(true);
            return thread;
        });
        starter.scheduleWithFixedDelay(() -> {
            try {
                firstStart.run();
            } catch (RuntimeException e) {
                if (database != null && database.isStarted()) {
                    // reachable, yet the first-start check failed: not an outage to wait out
                    LOG.log(Level.SEVERE, "Gatekey admin first-start check failed: " + e.getMessage(), e);
                } else {
                    LOG.log(Level.FINE, "Gatekey admin still waiting for its database", e);
                    return;
                }
            }
            starter.shutdown();
        }, 0, 1, TimeUnit.SECONDS);
    }

    private void register(ServletContext context, AdminSettings settings, KeyManagement keys) {
        FilterRegistration.Dynamic headers = context.addFilter(HEADERS_FILTER_NAME,
                new SecurityHeadersFilter(settings.portal().frameAncestors()));
        if (headers == null) {
            throw new IllegalStateException("A filter named " + HEADERS_FILTER_NAME + " is already registered");
        }
        headers.setAsyncSupported(true);
        headers.addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST, DispatcherType.ERROR), false, "/*");

        JpaKeyStore store = new JpaKeyStore(database);
        ApiKeyFilter keyFilter = new ApiKeyFilter(store, store);
        FilterRegistration.Dynamic filter = context.addFilter(FILTER_NAME, keyFilter);
        if (filter == null) {
            throw new IllegalStateException("A filter named " + FILTER_NAME + " is already registered");
        }
        Map<String, String> params = new HashMap<>();
        params.put(FilterSettings.BUCKET, AdminAccess.ADMIN_BUCKET);
        params.put(FilterSettings.ALLOW_UNAUTHENTICATED_REQUESTS, "true");
        params.put(FilterSettings.REALM, AdminAccess.REALM);
        params.put(FilterSettings.CHANGE_POLL_MILLIS, Long.toString(settings.changePollMillis()));
        params.put(FilterSettings.CHECKSUM, settings.checksum().name().toLowerCase(Locale.ROOT));
        if (settings.checksum() == ChecksumMode.HMAC) {
            params.put(FilterSettings.CHECKSUM_SECRET, settings.checksumSecret());
        }
        filter.setInitParameters(params);
        filter.setAsyncSupported(false);
        filter.addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST), true, API_MAPPING);

        AdminSessions sessions = new AdminSessions(signedIn -> isActive(keys, signedIn));
        ServletRegistration.Dynamic servlet = context.addServlet(SERVLET_NAME,
                new ApiServlet(new AdminApi(keys, settings.portal().url()).router(), settings.maxBodyBytes(),
                        sessions));
        if (servlet == null) {
            throw new IllegalStateException("A servlet named " + SERVLET_NAME + " is already registered");
        }
        servlet.addMapping(API_MAPPING);
        servlet.setLoadOnStartup(1);

        ServletRegistration.Dynamic session = context.addServlet(SESSION_SERVLET_NAME,
                new SessionServlet(keyFilter, sessions, settings.masterKeys() != null));
        if (session == null) {
            throw new IllegalStateException("A servlet named " + SESSION_SERVLET_NAME + " is already registered");
        }
        session.addMapping(SessionServlet.MAPPING);
        configureSessions(context, settings);
        registerPortal(context, settings, keys);
    }

    /** The portal: its own servlet, its own session (in the database), below {@code /portal/} only. */
    private static void registerPortal(ServletContext context, AdminSettings settings, KeyManagement keys) {
        ServletRegistration.Dynamic portal = context.addServlet(PORTAL_SERVLET_NAME, new PortalServlet(
                keys.portal().withSessionLimits(settings.portal().idleTimeout(), settings.portal().lifetime()),
                settings.maxBodyBytes()));
        if (portal == null) {
            throw new IllegalStateException("A servlet named " + PORTAL_SERVLET_NAME + " is already registered");
        }
        portal.addMapping(PortalServlet.MAPPING);
        portal.setLoadOnStartup(1);
    }

    private static void configureSessions(ServletContext context, AdminSettings settings) {
        context.setSessionTrackingModes(EnumSet.of(SessionTrackingMode.COOKIE));
        context.setSessionTimeout(settings.sessionTimeoutMinutes());
        SessionCookieConfig cookie = context.getSessionCookieConfig();
        cookie.setName(SESSION_COOKIE);
        cookie.setHttpOnly(true);
        cookie.setPath(context.getContextPath().isEmpty() ? "/" : context.getContextPath());
        // a cookie that other sites' requests never carry: the first line of CSRF defence, the token the second
        cookie.setAttribute("SameSite", "Strict");
    }

    /** Whether the key a session was opened with is still in force: revoking it ends the session. */
    private static boolean isActive(KeyManagement keys, AdminSessions.SignedIn signedIn) {
        try {
            var key = keys.keys().get(AdminAccess.ADMIN_BUCKET, signedIn.name(), signedIn.keyId(), KeyFormat.NONE);
            return key.isActiveAt(Instant.now());
        } catch (NotFoundException e) {
            return false;
        }
    }

    private void registerGithubWebhook(ServletContext context, AdminSettings settings, LeakSettings leaks,
            KeyManagement keys) {
        if (leaks.webhookUrl() != null) {
            leakNotifier = new LeakNotifier(leaks.webhookUrl(), LeakSettings.WEBHOOK_TIMEOUT);
        }
        ServletRegistration.Dynamic github = context.addServlet(GITHUB_SERVLET_NAME,
                new GithubSecretScanningServlet(keys, settings.keyFormat(), leaks, leakNotifier));
        if (github == null) {
            throw new IllegalStateException("A servlet named " + GITHUB_SERVLET_NAME + " is already registered");
        }
        github.addMapping(GITHUB_MAPPING);
    }

    /** What to register with GitHub's partner program: the endpoint and the pattern of today's buckets. */
    private static void logLeakDetection(ServletContext context, LeakSettings leaks, KeyManagement keys) {
        String regex = SecretScanningPatterns.regex(keys.buckets().list().stream().map(Bucket::keyPrefix).toList(),
                keys.checksumMode());
        LOG.info("Gatekey leak detection: " + leaks + "; GitHub secret scanning endpoint POST "
                + context.getContextPath() + GITHUB_MAPPING + "; pattern of the existing buckets: " + regex
                + " (GET " + context.getContextPath() + API_MAPPING.replace("/*", "")
                + "/secret-scanning/patterns lists it per bucket)");
    }

    /**
     * Delivers lifecycle webhooks from this node ({@code gatekey.webhookThreads} senders; none when 0). A database
     * that is not reachable yet is no obstacle: the worker logs it once and keeps polling.
     */
    private void startWebhookWorker(AdminSettings settings, KeyManagement keys) {
        if (settings.webhookThreads() == 0) {
            LOG.info("Gatekey webhooks: this node delivers none (" + AdminSettings.WEBHOOK_THREADS + "=0)");
            return;
        }
        WebhookWorker.Options defaults = WebhookWorker.Options.DEFAULT;
        webhookWorker = new WebhookWorker(keys.webhooks(), new WebhookWorker.Options(settings.webhookThreads(),
                defaults.timeout(), defaults.pollInterval(), defaults.scanInterval()));
        webhookWorker.start();
    }

    private void closeWebhookWorker() {
        if (webhookWorker != null) {
            webhookWorker.close();
            webhookWorker = null;
        }
    }

    private void closeLeakNotifier() {
        if (leakNotifier != null) {
            leakNotifier.close();
            leakNotifier = null;
        }
    }

    @Override
    public void contextDestroyed(ServletContextEvent event) {
        if (starter != null) {
            starter.shutdownNow();
            try {
                starter.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            starter = null;
        }
        closeWebhookWorker();
        closeLeakNotifier();
        closeDatabase();
    }

    private void closeDatabase() {
        if (database != null) {
            try {
                database.close();
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "Could not close the Gatekey database", e);
            }
            database = null;
        }
    }

    private static Map<String, String> contextParams(ServletContext context) {
        Map<String, String> params = new HashMap<>();
        for (Enumeration<String> names = context.getInitParameterNames(); names.hasMoreElements();) {
            String name = names.nextElement();
            params.put(name, context.getInitParameter(name));
        }
        return params;
    }
}
