package dev.gatekey.persistence;

import com.zaxxer.hikari.HikariDataSource;
import dev.gatekey.store.KeyStoreException;
import dev.gatekey.store.StoreSettings;
import jakarta.persistence.EntityManager;
import jakarta.persistence.EntityManagerFactory;
import jakarta.persistence.EntityTransaction;
import jakarta.persistence.PersistenceException;
import java.lang.System.Logger.Level;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.hibernate.HibernateException;
import org.hibernate.SessionFactory;
import org.hibernate.cfg.AvailableSettings;
import org.hibernate.cfg.Configuration;
import org.hibernate.exception.JDBCConnectionException;

/**
 * The Gatekey database: migrates the schema with Flyway, then bootstraps Hibernate programmatically
 * (no {@code persistence.xml}, resource-local transactions) so it runs in plain Tomcat as well as
 * in full EE containers.
 *
 * <p>Open it {@linkplain #open(DataSource) over a DataSource} the caller owns, or
 * {@linkplain #open(StoreSettings) from store settings}: a JNDI DataSource, or a JDBC URL pooled
 * with HikariCP (the pool is owned, and closed with this object). {@link #openEventually} does the same
 * without needing the database to be up: it starts (migrates, bootstraps Hibernate) at the first call that
 * finds the database reachable, so an application started during a database outage recovers without a restart.
 *
 * <p>A pooled JDBC URL gets the store settings' time-outs on every connection: HikariCP's connection time-out,
 * the driver's network (socket read) time-out, and the database's statement time-out
 * ({@code statement_timeout} on PostgreSQL, {@code QUERY_TIMEOUT} on H2), so no statement can hold a thread
 * longer, whoever runs it (Hibernate or plain JDBC). A container DataSource is configured by its operator (see
 * {@code docs/resilience.md}).
 *
 * <p>Connections are taken from the DataSource here, not by Hibernate: a database that cannot be reached then
 * fails as one {@link KeyStoreException} per call for the caller to report (the filter logs one line per outage),
 * instead of one WARN and one ERROR line from Hibernate per failed call. Thread-safe.
 */
public final class GatekeyDatabase implements AutoCloseable {

    /** Where the migrations live on the class path. */
    public static final String MIGRATIONS_LOCATION = "classpath:db/gatekey/migration";
    /** Flyway's history table, prefixed like every Gatekey table so it can share a schema. */
    public static final String SCHEMA_HISTORY_TABLE = "gk_schema_history";
    /** Pool size when Gatekey pools a JDBC URL itself: lookups are short, a few connections do. */
    public static final int DEFAULT_POOL_SIZE = 5;
    /** How long a caller waits for a pooled connection before the store reports a failure. */
    public static final long CONNECTION_TIMEOUT_MILLIS = StoreSettings.DEFAULT_CONNECTION_TIMEOUT.toMillis();
    /** Least time between two start attempts of a database opened {@linkplain #openEventually eventually}. */
    public static final Duration START_RETRY_INTERVAL = Duration.ofMillis(500);

    private static final System.Logger LOG = System.getLogger(GatekeyDatabase.class.getName());

    private final DataSource dataSource;
    private final AutoCloseable ownedPool;
    private final String description;
    private final ReentrantLock startLock = new ReentrantLock();
    private volatile SessionFactory sessionFactory;
    private volatile long nextStartNanos;
    private volatile String lastStartFailure;
    private volatile boolean closed;

    private GatekeyDatabase(DataSource dataSource, AutoCloseable ownedPool, String description, boolean eventually) {
        this.dataSource = dataSource;
        this.ownedPool = ownedPool;
        this.description = description;
        try {
            start();
        } catch (KeyStoreException e) {
            if (isUnconfiguredDataSource(e)) {
                KeyStoreException unconfigured = new KeyStoreException(description + " is not configured in the "
                        + "container (" + reason(e) + ")", e);
                closeQuietly(ownedPool, unconfigured);
                throw unconfigured;
            }
            if (!eventually || !isConnectionFailure(e)) {
                closeQuietly(ownedPool, e);
                throw e;
            }
            startFailed(e);
            LOG.log(Level.WARNING, "Gatekey database " + description + " is unreachable (" + reason(e)
                    + "); calls fail as \"database unavailable\" until it is, and starting is retried every "
                    + START_RETRY_INTERVAL.toMillis() + " ms at most");
        } catch (RuntimeException e) {
            closeQuietly(ownedPool, e);
            throw e;
        }
    }

    /**
     * Migrates and opens the database behind {@code dataSource}; the caller keeps owning it.
     *
     * @throws KeyStoreException when the database cannot be reached or migrated
     */
    public static GatekeyDatabase open(DataSource dataSource) {
        return new GatekeyDatabase(Objects.requireNonNull(dataSource, "dataSource"), null, "DataSource", false);
    }

    /**
     * Opens the database from store settings: looks the DataSource up in JNDI, or pools the JDBC URL
     * with HikariCP ({@value #DEFAULT_POOL_SIZE} connections at most).
     *
     * @throws KeyStoreException when the DataSource is not bound, or the database cannot be reached
     *     or migrated
     */
    public static GatekeyDatabase open(StoreSettings settings) {
        return open(settings, false);
    }

    /**
     * Like {@link #open(StoreSettings)}, but a database that cannot be reached yet is no error: every call
     * then fails with a {@link KeyStoreException} saying the database is unavailable, and the first call after
     * it became reachable (at most one attempt per {@link #START_RETRY_INTERVAL}) migrates and starts it.
     *
     * @throws KeyStoreException when the DataSource is not bound in JNDI, or the database was reached but
     *     could not be migrated or started (a configuration error, not an outage)
     */
    public static GatekeyDatabase openEventually(StoreSettings settings) {
        return open(settings, true);
    }

    private static GatekeyDatabase open(StoreSettings settings, boolean eventually) {
        Objects.requireNonNull(settings, "settings");
        if (settings.dataSource() != null) {
            return new GatekeyDatabase(DataSources.lookup(settings.dataSource()), null, "DataSource " + settings.dataSource(),
                    eventually);
        }
        HikariDataSource pool = DataSources.createPool(settings, eventually);
        return new GatekeyDatabase(pool, pool, StoreSettings.redact(settings.jdbcUrl()), eventually);
    }

    /** True once the schema is migrated and Hibernate started (always, unless opened {@link #openEventually}). */
    public boolean isStarted() {
        return sessionFactory != null;
    }

    /** The DataSource this database runs on. */
    public DataSource dataSource() {
        return dataSource;
    }

    /** Closes the Hibernate session factory and the pool if this object created it. */
    @Override
    public void close() {
        closed = true;
        // waits for a start attempt in progress (bounded by the connection and statement time-outs)
        startLock.lock();
        try {
            if (sessionFactory != null) {
                sessionFactory.close();
            }
        } finally {
            startLock.unlock();
            closeQuietly(ownedPool, null);
        }
    }

    /**
     * Runs {@code work} in one resource-local transaction: committed when it returns, rolled back
     * when it throws (the exception propagates unchanged).
     */
    <T> T inTransaction(Function<EntityManager, T> work) {
        SessionFactory factory = started();
        Connection connection;
        try {
            connection = dataSource.getConnection();
        } catch (SQLException e) {
            throw new PersistenceException("database unavailable: " + reason(e), e);
        }
        EntityManager em;
        try {
            em = factory.withOptions().connection(connection).openSession();
        } catch (RuntimeException e) {
            closeConnection(connection, e);
            throw e;
        }
        EntityTransaction tx = null;
        try {
            tx = em.getTransaction();
            tx.begin();
            T result = work.apply(em);
            tx.commit();
            return result;
        } catch (RuntimeException | Error e) {
            if (tx != null && tx.isActive()) {
                try {
                    tx.rollback();
                } catch (RuntimeException rollbackFailure) {
                    e.addSuppressed(rollbackFailure);
                }
            }
            throw e;
        } finally {
            try {
                em.close();
            } finally {
                closeConnection(connection, null);
            }
        }
    }

    EntityManagerFactory entityManagerFactory() {
        return started();
    }

    /**
     * The DataSource, once the database is started (for plain JDBC work that needs the schema migrated).
     *
     * @throws KeyStoreException while a database opened {@link #openEventually eventually} is unreachable
     */
    DataSource startedDataSource() {
        started();
        return dataSource;
    }

    private SessionFactory started() {
        SessionFactory factory = sessionFactory;
        if (factory != null) {
            return factory;
        }
        if (closed) {
            throw new KeyStoreException("database closed");
        }
        if (System.nanoTime() - nextStartNanos < 0 || !startLock.tryLock()) {
            throw new PersistenceException("database unavailable: " + lastStartFailure,
                    new SQLTransientConnectionException(lastStartFailure, "08001"));
        }
        try {
            if (sessionFactory == null && !closed) {
                try {
                    start();
                } catch (KeyStoreException e) {
                    startFailed(e);
                    throw new PersistenceException(e.getMessage(), e);
                }
                LOG.log(Level.INFO, "Gatekey database {0} reachable: started", description);
            }
            if (sessionFactory == null) {
                throw new KeyStoreException("database closed");
            }
            return sessionFactory;
        } finally {
            startLock.unlock();
        }
    }

    private void start() {
        migrate(dataSource);
        sessionFactory = buildSessionFactory(dataSource);
    }

    private void startFailed(KeyStoreException e) {
        lastStartFailure = reason(e);
        nextStartNanos = System.nanoTime() + START_RETRY_INTERVAL.toNanos();
    }

    private static void closeConnection(Connection connection, RuntimeException primary) {
        try {
            connection.close();
        } catch (SQLException e) {
            if (primary != null) {
                primary.addSuppressed(e);
            }
        }
    }

    /** The message of {@code e} and of its root cause: what an operator needs, without a stack trace. */
    static String reason(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String text = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return root == e || root.getMessage() == null || text.contains(root.getMessage()) ? text
                : text + ": " + root.getMessage();
    }

    /**
     * The exception a {@link dev.gatekey.store.KeyStore} throws for a database failure: the filter
     * answers 503 and caches nothing.
     */
    static KeyStoreException storeFailure(String operation, RuntimeException e) {
        if (e instanceof KeyStoreException kse) {
            return kse;
        }
        String reason = isConnectionFailure(e) ? "database unavailable" : "database error";
        return new KeyStoreException(operation + " failed: " + reason, e);
    }

    /** True when {@code e} (or a cause) says the database could not be reached, as opposed to a bad query. */
    static boolean isConnectionFailure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof JDBCConnectionException || t instanceof SQLTransientConnectionException
                    || t instanceof SQLNonTransientConnectionException || t instanceof SQLRecoverableException) {
                return true;
            }
            if (t instanceof SQLException sql && sql.getSQLState() != null && sql.getSQLState().startsWith("08")) {
                return true;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }

    /**
     * A resource reference the container bound without configuring it: Tomcat's pool then fails every connection
     * with "Cannot create JDBC driver of class '' for connect URL 'null'", which is no outage to wait out.
     */
    private static boolean isUnconfiguredDataSource(Throwable e) {
        for (Throwable t = e; t != null && t.getCause() != t; t = t.getCause()) {
            if (t.getMessage() != null && t.getMessage().contains("connect URL 'null'")) {
                return true;
            }
        }
        return false;
    }

    private static void migrate(DataSource dataSource) {
        try {
            var result = Flyway.configure(GatekeyDatabase.class.getClassLoader())
                    .dataSource(dataSource)
                    .locations(MIGRATIONS_LOCATION)
                    .table(SCHEMA_HISTORY_TABLE)
                    // an existing application schema is not ours to refuse: Gatekey's tables are prefixed
                    .baselineOnMigrate(true)
                    .baselineVersion("0")
                    .load()
                    .migrate();
            if (result.migrationsExecuted > 0) {
                LOG.log(Level.INFO, "Gatekey schema migrated to version {0} ({1} migrations applied)",
                        result.targetSchemaVersion, result.migrationsExecuted);
            } else {
                LOG.log(Level.INFO, "Gatekey schema is up to date");
            }
        } catch (FlywayException e) {
            if (isConnectionFailure(e)) {
                throw new KeyStoreException("database unavailable: " + reason(e), e);
            }
            throw new KeyStoreException("Gatekey schema migration failed: " + e.getMessage(), e);
        }
    }

    private static SessionFactory buildSessionFactory(DataSource dataSource) {
        Configuration configuration = new Configuration()
                .addAnnotatedClass(BucketEntity.class)
                .addAnnotatedClass(ConsumerEntity.class)
                .addAnnotatedClass(ApiKeyEntity.class)
                .addAnnotatedClass(ChangeEntity.class)
                .addAnnotatedClass(AuditEventEntity.class)
                .addAnnotatedClass(LeakEntity.class)
                .addAnnotatedClass(PortalLinkEntity.class).addAnnotatedClass(PortalSessionEntity.class)
                .addAnnotatedClass(WebhookEndpointEntity.class)
                .addAnnotatedClass(WebhookEventEntity.class)
                .addAnnotatedClass(WebhookDeliveryEntity.class)
                // Flyway owns the schema
                .setProperty(AvailableSettings.HBM2DDL_AUTO, "none")
                .setProperty(AvailableSettings.STATEMENT_BATCH_SIZE, "50")
                .setProperty(AvailableSettings.ORDER_UPDATES, "true")
                .setProperty(AvailableSettings.SHOW_SQL, "false")
                .setProperty(AvailableSettings.USE_SECOND_LEVEL_CACHE, "false");
        configuration.getProperties().put(AvailableSettings.JAKARTA_NON_JTA_DATASOURCE, dataSource);
        try {
            return configuration.buildSessionFactory();
        } catch (HibernateException e) {
            throw new KeyStoreException("Gatekey persistence could not start: " + e.getMessage(), e);
        }
    }

    private static void closeQuietly(AutoCloseable closeable, RuntimeException primary) {
        if (closeable == null) {
            return;
        }
        try {
            closeable.close();
        } catch (Exception e) {
            if (primary != null) {
                primary.addSuppressed(e);
            } else {
                LOG.log(Level.WARNING, "closing the Gatekey pool failed", e);
            }
        }
    }
}
