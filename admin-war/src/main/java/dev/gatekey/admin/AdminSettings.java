package dev.gatekey.admin;

import dev.gatekey.admin.leak.LeakSettings;
import dev.gatekey.admin.portal.PortalSettings;
import dev.gatekey.config.Description;
import dev.gatekey.config.SettingsReader;
import dev.gatekey.format.ApiKeyFormat;
import dev.gatekey.format.ChecksumMode;
import dev.gatekey.persistence.MasterKeys;
import dev.gatekey.store.StoreSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.UnaryOperator;

/**
 * The admin WAR's configuration, parsed and validated once from the servlet context's init-params
 * ({@code <context-param>} in {@code web.xml}, or {@code ServletContext.setInitParameter}).
 *
 * <p>Values may contain {@code ${env:NAME}} and {@code ${sys:name}}; an unset variable is an error. An unknown
 * {@code gatekey.*} param, an invalid value or a conflicting combination is an {@link IllegalArgumentException}
 * naming the param (secret values are never shown), which fails the deployment.
 * <table>
 * <caption>Context params</caption>
 * <tr><th>param</th><th>format</th><th>default</th></tr>
 * <tr><td>{@code gatekey.dataSource}</td><td>JNDI name (not with {@code gatekey.jdbcUrl})</td>
 *     <td>{@code java:comp/env/jdbc/gatekey}</td></tr>
 * <tr><td>{@code gatekey.jdbcUrl}, {@code gatekey.jdbcUser}, {@code gatekey.jdbcPassword}</td>
 *     <td>JDBC URL (pooled with HikariCP) and credentials</td><td>unset</td></tr>
 * <tr><td>{@code gatekey.masterKeys}</td><td>{@code id:BASE64[,id:BASE64...]}, first = current</td>
 *     <td>unset: retrievable buckets are refused</td></tr>
 * <tr><td>{@code gatekey.adminKeyFile}</td><td>path of the first-start admin key file</td>
 *     <td>{@code gatekey-admin-key} in the first of the server directories {@code ${catalina.base}} (Tomcat),
 *     {@code ${jboss.server.data.dir}} (WildFly), {@code ${com.sun.aas.instanceRoot}} (Payara, the domain
 *     directory) and {@code ${user.dir}} that is set</td></tr>
 * <tr><td>{@code gatekey.maxBodyBytes}</td><td>1024..16777216</td><td>{@code 65536}</td></tr>
 * <tr><td>{@code gatekey.changePollMillis}</td><td>10..3600000, passed to the admin key filter</td>
 *     <td>{@code 1000}</td></tr>
 * <tr><td>{@code gatekey.checksum}, {@code gatekey.checksumSecret}</td><td>{@code crc32|hmac} and the HMAC
 *     secret: must match the filters that validate the keys this WAR creates</td><td>{@code crc32}</td></tr>
 * <tr><td>{@code gatekey.sessionTimeoutMinutes}</td><td>1..1440, idle time after which a web UI session
 *     ends</td><td>{@code 30}</td></tr>
 * <tr><td>{@code gatekey.printAdminKey}</td><td>{@code true|false}: whether the first-start admin key is also
 *     printed to standard output (it is always written to {@code gatekey.adminKeyFile})</td><td>{@code true}</td></tr>
 * <tr><td>{@code gatekey.portalFrameAncestors}</td><td>CSP {@code frame-ancestors} of the self-serve portal:
 *     {@code 'none'}, or {@code 'self'} and origins ({@code https://app.example.com}, {@code https://*.example.com})
 *     separated by spaces</td><td>{@code 'none'}</td></tr>
 * <tr><td>{@code gatekey.portalUrl}</td><td>the portal's public URL (absolute http(s)), the base of the links
 *     {@code POST /buckets/{b}/portal-sessions} answers</td><td>unset: the admin URL the request came to, plus
 *     {@code /portal/}</td></tr>
 * <tr><td>{@code gatekey.portalSessionTimeoutMinutes}</td><td>1..1440, idle time after which a portal session
 *     ends</td><td>{@code 30}</td></tr>
 * <tr><td>{@code gatekey.portalSessionLifetimeMinutes}</td><td>1..10080, at least the idle timeout: a portal
 *     session ends this long after it opened</td><td>{@code 480}</td></tr>
 * <tr><td>{@code gatekey.webhookThreads}</td><td>0..64, webhook deliveries this node attempts at once; {@code 0}
 *     = this node delivers none (another node does)</td><td>{@code 4}</td></tr>
 * </table>
 *
 * <p>The param names are the public {@code String} constants named after them ({@link #MASTER_KEYS} is
 * {@code gatekey.masterKeys}), {@link #PARAMS} all of them; a default is the constant {@code DEFAULT_} + that name
 * ({@link #DEFAULT_MAX_BODY_BYTES}). Parsed with {@link SettingsReader}.
 *
 * @param masterKeys null when not configured
 * @param checksumSecret null unless {@code checksum} is hmac; never shown
 */
public record AdminSettings(StoreSettings store, MasterKeys masterKeys, Path adminKeyFile, int maxBodyBytes,
        long changePollMillis, ChecksumMode checksum, String checksumSecret, int sessionTimeoutMinutes,
        boolean printAdminKey, PortalSettings portal, int webhookThreads) {

    public static final String DATA_SOURCE = "gatekey.dataSource";
    public static final String JDBC_URL = "gatekey.jdbcUrl";
    public static final String JDBC_USER = "gatekey.jdbcUser";
    public static final String JDBC_PASSWORD = "gatekey.jdbcPassword";
    public static final String MASTER_KEYS = "gatekey.masterKeys";
    public static final String ADMIN_KEY_FILE = "gatekey.adminKeyFile";
    public static final String MAX_BODY_BYTES = "gatekey.maxBodyBytes";
    public static final String CHANGE_POLL_MILLIS = "gatekey.changePollMillis";
    public static final String CHECKSUM = "gatekey.checksum";
    public static final String CHECKSUM_SECRET = "gatekey.checksumSecret";
    public static final String SESSION_TIMEOUT_MINUTES = "gatekey.sessionTimeoutMinutes";
    public static final String PRINT_ADMIN_KEY = "gatekey.printAdminKey";
    public static final String PORTAL_FRAME_ANCESTORS = "gatekey.portalFrameAncestors";
    public static final String PORTAL_URL = "gatekey.portalUrl";
    public static final String PORTAL_SESSION_TIMEOUT_MINUTES = "gatekey.portalSessionTimeoutMinutes";
    public static final String PORTAL_SESSION_LIFETIME_MINUTES = "gatekey.portalSessionLifetimeMinutes";
    public static final String WEBHOOK_THREADS = "gatekey.webhookThreads";

    public static final String DEFAULT_DATA_SOURCE = "java:comp/env/jdbc/gatekey";
    public static final String ADMIN_KEY_FILE_NAME = "gatekey-admin-key";
    public static final int DEFAULT_MAX_BODY_BYTES = 64 * 1024;
    public static final long DEFAULT_CHANGE_POLL_MILLIS = 1000;
    public static final String DEFAULT_CHECKSUM = "crc32";
    public static final int DEFAULT_SESSION_TIMEOUT_MINUTES = 30;
    public static final boolean DEFAULT_PRINT_ADMIN_KEY = true;
    public static final String DEFAULT_PORTAL_FRAME_ANCESTORS = PortalSettings.NO_FRAMING;
    public static final int DEFAULT_PORTAL_SESSION_TIMEOUT_MINUTES = 30;
    public static final int DEFAULT_PORTAL_SESSION_LIFETIME_MINUTES = 480;
    public static final int DEFAULT_WEBHOOK_THREADS = 4;

    /** The context params of this record; {@link #NAMES} adds those of {@link LeakSettings}. */
    public static final Set<String> PARAMS = Set.of(DATA_SOURCE, JDBC_URL, JDBC_USER, JDBC_PASSWORD, MASTER_KEYS,
            ADMIN_KEY_FILE, MAX_BODY_BYTES, CHANGE_POLL_MILLIS, CHECKSUM, CHECKSUM_SECRET, SESSION_TIMEOUT_MINUTES,
            PRINT_ADMIN_KEY, PORTAL_FRAME_ANCESTORS, PORTAL_URL, PORTAL_SESSION_TIMEOUT_MINUTES,
            PORTAL_SESSION_LIFETIME_MINUTES, WEBHOOK_THREADS);
    /**
     * Every context param the admin WAR accepts: these and {@link LeakSettings#PARAMS}. The quickstart's
     * {@code --set gatekey.*} accepts the same names.
     */
    public static final Set<String> NAMES = names();

    private static final String PREFIX = "gatekey.";
    private static final Set<String> SECRETS = Set.of(JDBC_PASSWORD, MASTER_KEYS, CHECKSUM_SECRET);
    /** System properties naming a server's own directory, most specific first. */
    private static final List<String> BASE_DIRECTORIES = List.of("catalina.base", "jboss.server.data.dir",
            "com.sun.aas.instanceRoot", "user.dir");

    private static Set<String> names() {
        Set<String> names = new TreeSet<>(PARAMS);
        names.addAll(LeakSettings.PARAMS);
        return Collections.unmodifiableSet(names);
    }

    /** The key format of keys this WAR creates. */
    public ApiKeyFormat keyFormat() {
        return ApiKeyFormat.of(checksum, checksumSecret);
    }

    /**
     * Parses context params; params not starting with {@code gatekey.} are someone else's and ignored.
     *
     * @param environment lookup of {@code ${env:NAME}}, usually {@code System::getenv}
     * @throws IllegalArgumentException naming the param (and its value, unless secret)
     */
    public static AdminSettings parse(Map<String, String> contextParams, UnaryOperator<String> environment) {
        SettingsReader s = SettingsReader.builder(SettingsReader.Kind.CONTEXT_PARAMS).names(PARAMS)
                .refuseUnknown(name -> name.startsWith(PREFIX)).secrets(SECRETS).read(contextParams, environment);
        StoreSettings store = store(s);
        // MasterKeys messages name ids, never key bytes
        MasterKeys masterKeys = s.hidingValue(MASTER_KEYS, null, MasterKeys::parse);
        Path keyFile = s.has(ADMIN_KEY_FILE) ? s.path(ADMIN_KEY_FILE) : defaultAdminKeyFile();
        int maxBody = s.integer(MAX_BODY_BYTES, DEFAULT_MAX_BODY_BYTES, 1024, 16 * 1024 * 1024);
        long poll = s.number(CHANGE_POLL_MILLIS, DEFAULT_CHANGE_POLL_MILLIS, 10, 3_600_000);
        int sessionTimeout = s.integer(SESSION_TIMEOUT_MINUTES, DEFAULT_SESSION_TIMEOUT_MINUTES, 1, 1440);
        ChecksumMode checksum = s.parsed(CHECKSUM, ChecksumMode.parse(DEFAULT_CHECKSUM), ChecksumMode::parse);
        String secret = s.get(CHECKSUM_SECRET);
        if (checksum == ChecksumMode.HMAC && (secret == null || secret.isEmpty())) {
            throw s.isButNotSet(CHECKSUM, "hmac", CHECKSUM_SECRET);
        }
        if (checksum != ChecksumMode.HMAC && secret != null) {
            throw s.setButNot(CHECKSUM_SECRET, CHECKSUM, "hmac");
        }
        boolean printAdminKey = "true".equals(s.choice(PRINT_ADMIN_KEY, Boolean.toString(DEFAULT_PRINT_ADMIN_KEY),
                "true", "false"));
        int webhookThreads = s.integer(WEBHOOK_THREADS, DEFAULT_WEBHOOK_THREADS, 0, 64);
        return new AdminSettings(store, masterKeys, keyFile, maxBody, poll, checksum, secret, sessionTimeout,
                printAdminKey, portal(s), webhookThreads);
    }

    private static PortalSettings portal(SettingsReader s) {
        String ancestors = s.explained(PORTAL_FRAME_ANCESTORS, DEFAULT_PORTAL_FRAME_ANCESTORS,
                PortalSettings::frameAncestors);
        String url = s.explained(PORTAL_URL, null, PortalSettings::url);
        int idle = s.integer(PORTAL_SESSION_TIMEOUT_MINUTES, DEFAULT_PORTAL_SESSION_TIMEOUT_MINUTES, 1, 1440);
        int lifetime = s.integer(PORTAL_SESSION_LIFETIME_MINUTES, DEFAULT_PORTAL_SESSION_LIFETIME_MINUTES, 1, 10080);
        if (lifetime < idle) {
            throw s.illegal(PORTAL_SESSION_LIFETIME_MINUTES, "it must not be shorter than "
                    + PORTAL_SESSION_TIMEOUT_MINUTES + " (" + idle + ")");
        }
        return new PortalSettings(ancestors, url, Duration.ofMinutes(idle), Duration.ofMinutes(lifetime));
    }

    private static StoreSettings store(SettingsReader s) {
        String dataSource = s.get(DATA_SOURCE);
        String jdbcUrl = s.get(JDBC_URL);
        if (dataSource != null && jdbcUrl != null) {
            throw s.notBoth(DATA_SOURCE, JDBC_URL);
        }
        if (jdbcUrl == null) {
            for (String param : List.of(JDBC_USER, JDBC_PASSWORD)) {
                if (s.has(param)) {
                    throw s.needs(param, JDBC_URL);
                }
            }
            if (dataSource != null && dataSource.isBlank()) {
                throw s.illegal(DATA_SOURCE);
            }
            return StoreSettings.jndi(dataSource == null ? DEFAULT_DATA_SOURCE : dataSource.trim());
        }
        if (!jdbcUrl.trim().startsWith("jdbc:")) {
            // a JDBC URL may carry a password: do not echo it
            throw s.illegalWithoutValue(JDBC_URL, "it must start with jdbc:", null);
        }
        return StoreSettings.jdbc(jdbcUrl.trim(), s.get(JDBC_USER), s.get(JDBC_PASSWORD));
    }

    /** {@value #ADMIN_KEY_FILE_NAME} in the first server directory that is set. */
    private static Path defaultAdminKeyFile() {
        for (String property : BASE_DIRECTORIES) {
            String dir = System.getProperty(property);
            if (dir != null && !dir.isBlank()) {
                return Path.of(dir, ADMIN_KEY_FILE_NAME).toAbsolutePath();
            }
        }
        return Path.of(ADMIN_KEY_FILE_NAME).toAbsolutePath();
    }

    /** The effective settings for the start-up log line: no password, master key or secret. */
    @Override
    public String toString() {
        Description d = new Description();
        if (store.dataSource() != null) {
            d.add("dataSource", store.dataSource());
        } else {
            d.url("jdbcUrl", store.jdbcUrl()).add("jdbcUser", store.jdbcUser());
        }
        return d.add("masterKeys", masterKeys == null ? "none" : masterKeys.keyIds()).add("adminKeyFile", adminKeyFile)
                .add("maxBodyBytes", maxBodyBytes).add("changePollMillis", changePollMillis)
                .add("checksum", checksum.name().toLowerCase(Locale.ROOT))
                .add("sessionTimeoutMinutes", sessionTimeoutMinutes)
                .add("portalFrameAncestors", portal.frameAncestors()).add("portalUrl", portal.url())
                .add("portalSessionTimeoutMinutes", portal.idleTimeout().toMinutes())
                .add("portalSessionLifetimeMinutes", portal.lifetime().toMinutes())
                .add("webhookThreads", webhookThreads).toString();
    }
}
