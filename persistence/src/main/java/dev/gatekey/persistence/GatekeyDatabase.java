package dev.gatekey.persistence;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.SQLExceptionOverride;
import dev.gatekey.store.KeyStoreException;
import dev.gatekey.store.StoreSettings;
import jakarta.persistence.EntityManager;
import jakarta.persistence.EntityManagerFactory;
import jakarta.persistence.EntityTransaction;
import java.lang.System.Logger.Level;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientConnectionException;
import java.util.Objects;
import java.util.function.Function;
import javax.naming.InitialContext;
import javax.naming.NamingException;
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
 * with HikariCP (the pool is owned, and closed with this object). Thread-safe.
 */
public final class GatekeyDatabase implements AutoCloseable {

    /** Where the migrations live on the class path. */
    public static final String MIGRATIONS_LOCATION = "classpath:db/gatekey/migration";
    /** Flyway's history table, prefixed like every Gatekey table so it can share a schema. */
    public static final String SCHEMA_HISTORY_TABLE = "gk_schema_history";
    /** Pool size when Gatekey pools a JDBC URL itself: lookups are short, a few connections do. */
    public static final int DEFAULT_POOL_SIZE = 5;
    /** How long a caller waits for a pooled connection before the store reports a failure. */
    public static final long CONNECTION_TIMEOUT_MILLIS = 2_000;

    private static final System.Logger LOG = System.getLogger(GatekeyDatabase.class.getName());

    private final DataSource dataSource;
    private final AutoCloseable ownedPool;
    private final SessionFactory sessionFactory;

    private GatekeyDatabase(DataSource dataSource, AutoCloseable ownedPool) {
        this.dataSource = dataSource;
        this.ownedPool = ownedPool;
        try {
            migrate(dataSource);
            this.sessionFactory = buildSessionFactory(dataSource);
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
        return new GatekeyDatabase(Objects.requireNonNull(dataSource, "dataSource"), null);
    }

    /**
     * Opens the database from store settings: looks the DataSource up in JNDI, or pools the JDBC URL
     * with HikariCP ({@value #DEFAULT_POOL_SIZE} connections at most).
     *
     * @throws KeyStoreException when the DataSource is not bound, or the database cannot be reached
     *     or migrated
     */
    public static GatekeyDatabase open(StoreSettings settings) {
        Objects.requireNonNull(settings, "settings");
        if (settings.dataSource() != null) {
            return open(lookup(settings.dataSource()));
        }
        HikariDataSource pool = createPool(settings);
        return new GatekeyDatabase(pool, pool);
    }

    /** The DataSource this database runs on. */
    public DataSource dataSource() {
        return dataSource;
    }

    /** Closes the Hibernate session factory and the pool if this object created it. */
    @Override
    public void close() {
        try {
            sessionFactory.close();
        } finally {
            closeQuietly(ownedPool, null);
        }
    }

    /**
     * Runs {@code work} in one resource-local transaction: committed when it returns, rolled back
     * when it throws (the exception propagates unchanged).
     */
    <T> T inTransaction(Function<EntityManager, T> work) {
        EntityManager em = sessionFactory.createEntityManager();
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
            em.close();
        }
    }

    EntityManagerFactory entityManagerFactory() {
        return sessionFactory;
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

    private static DataSource lookup(String name) {
        try {
            Object bound = new InitialContext().lookup(name);
            if (bound instanceof DataSource ds) {
                return ds;
            }
            throw new KeyStoreException("JNDI name " + name + " is not a DataSource");
        } catch (NamingException e) {
            throw new KeyStoreException("DataSource " + name + " not found in JNDI", e);
        }
    }

    private static HikariDataSource createPool(StoreSettings settings) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(settings.jdbcUrl());
        config.setUsername(settings.jdbcUser());
        config.setPassword(settings.jdbcPassword());
        config.setMaximumPoolSize(DEFAULT_POOL_SIZE);
        config.setMinimumIdle(1);
        // a lookup waiting longer than this is better answered 503, and request threads must not pile up
        // behind a database that is down
        config.setConnectionTimeout(CONNECTION_TIMEOUT_MILLIS);
        config.setPoolName("gatekey");
        // Hikari only drops connections on the SQL states it knows; a connection that says the database
        // went away in a driver's own words (H2 after a server restart: 90121) must go too, or the pool
        // keeps handing out dead connections and never recovers
        config.setExceptionOverride(new SQLExceptionOverride() {
            @java.lang.Override
            public SQLExceptionOverride.Override adjudicate(SQLException e) {
                return isConnectionFailure(e) ? SQLExceptionOverride.Override.MUST_EVICT
                        : SQLExceptionOverride.Override.CONTINUE_EVICT;
            }
        });
        try {
            return new HikariDataSource(config);
        } catch (RuntimeException e) {
            throw new KeyStoreException("cannot connect to " + StoreSettings.redact(settings.jdbcUrl()), e);
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
