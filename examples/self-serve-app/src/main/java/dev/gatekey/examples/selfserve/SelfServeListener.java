package dev.gatekey.examples.selfserve;

import dev.gatekey.format.ApiKeyFormat;
import dev.gatekey.persistence.ConflictException;
import dev.gatekey.persistence.GatekeyDatabase;
import dev.gatekey.persistence.KeyManagement;
import dev.gatekey.persistence.NotFoundException;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import java.time.Clock;
import javax.naming.InitialContext;
import javax.naming.NamingException;
import javax.sql.DataSource;

/**
 * Opens Gatekey's Java services over the application's DataSource ({@value #DATA_SOURCE}, the database the
 * admin WAR and the filter use) when the application starts, makes sure its bucket exists (listeners run
 * before filters start, so the filter finds the bucket's prefix), and keeps the services in the servlet
 * context for the servlets ({@link #keys}).
 *
 * <table>
 *   <caption>Context params</caption>
 *   <tr><th>name</th><th>default</th><th>meaning</th></tr>
 *   <tr><td>{@value #BUCKET_PARAM}</td><td>{@value #DEFAULT_BUCKET}</td><td>the bucket of the users' keys (the
 *   filter's init-param {@code bucket} must name the same)</td></tr>
 *   <tr><td>{@value #PORTAL_PARAM}</td><td>{@value #DEFAULT_PORTAL}</td><td>the portal's URL, absolute or
 *   relative to this host; the token goes after its {@code #}</td></tr>
 * </table>
 */
public final class SelfServeListener implements ServletContextListener {

    public static final String DATA_SOURCE = "java:comp/env/jdbc/gatekey";
    public static final String BUCKET_PARAM = "selfserve.bucket";
    public static final String PORTAL_PARAM = "selfserve.portalUrl";
    public static final String DEFAULT_BUCKET = "self-serve";
    public static final String DEFAULT_PORTAL = "/admin/portal/";
    /** The prefix of the bucket's keys when this application creates the bucket. */
    public static final String KEY_PREFIX = "myapp";
    /** The actor of this application's changes in Gatekey's audit trail. */
    public static final String ACTOR = "app:self-serve";

    private static final String KEYS_ATTRIBUTE = KeyManagement.class.getName();
    private static final String DATABASE_ATTRIBUTE = GatekeyDatabase.class.getName();

    @Override
    public void contextInitialized(ServletContextEvent event) {
        ServletContext context = event.getServletContext();
        DataSource dataSource;
        try {
            dataSource = (DataSource) new InitialContext().lookup(DATA_SOURCE);
        } catch (NamingException e) {
            throw new IllegalStateException("no DataSource " + DATA_SOURCE + ": " + e.getMessage(), e);
        }
        GatekeyDatabase database = GatekeyDatabase.open(dataSource);
        KeyManagement keys = new KeyManagement(database, ApiKeyFormat.crc32(), null, Clock.systemUTC());
        ensureBucket(keys, bucket(context));
        context.setAttribute(DATABASE_ATTRIBUTE, database);
        context.setAttribute(KEYS_ATTRIBUTE, keys);
    }

    @Override
    public void contextDestroyed(ServletContextEvent event) {
        if (event.getServletContext().getAttribute(DATABASE_ATTRIBUTE) instanceof GatekeyDatabase database) {
            database.close();
        }
    }

    /** Creates the bucket unless it exists (another node may create it at the same moment). */
    static void ensureBucket(KeyManagement keys, String bucket) {
        try {
            keys.buckets().get(bucket);
        } catch (NotFoundException missing) {
            try {
                keys.buckets().create(ACTOR, bucket, "Keys of the self-serve example's users", KEY_PREFIX, false);
            } catch (ConflictException created) {
                // created meanwhile
            }
        }
    }

    static KeyManagement keys(ServletContext context) {
        return (KeyManagement) context.getAttribute(KEYS_ATTRIBUTE);
    }

    static String bucket(ServletContext context) {
        String value = context.getInitParameter(BUCKET_PARAM);
        return value == null || value.isBlank() ? DEFAULT_BUCKET : value.trim();
    }

    static String portalUrl(ServletContext context) {
        String value = context.getInitParameter(PORTAL_PARAM);
        return value == null || value.isBlank() ? DEFAULT_PORTAL : value.trim();
    }
}
