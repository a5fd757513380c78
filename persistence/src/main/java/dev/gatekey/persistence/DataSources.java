package dev.gatekey.persistence;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.SQLExceptionOverride;
import dev.gatekey.store.KeyStoreException;
import dev.gatekey.store.StoreSettings;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.Locale;
import java.util.Properties;
import java.util.concurrent.Executor;
import java.util.logging.Logger;
import javax.naming.InitialContext;
import javax.naming.NamingException;
import javax.sql.DataSource;

/**
 * Where {@link GatekeyDatabase} gets its DataSource from store settings: a JNDI lookup, or a HikariCP pool of a
 * JDBC URL with the store settings' time-outs on every connection (pool wait, driver network time-out, the
 * database's statement time-out). Error messages show the URL {@linkplain StoreSettings#redact redacted}.
 */
final class DataSources {

    private DataSources() {
    }

    static DataSource lookup(String name) {
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

    static HikariDataSource createPool(StoreSettings settings, boolean eventually) {
        long connectionTimeout = settings.connectionTimeout().toMillis();
        long statementTimeout = settings.statementTimeout().toMillis();
        HikariConfig config = new HikariConfig();
        config.setDataSource(new TimedDriverDataSource(settings, connectionTimeout, statementTimeout));
        config.setMaximumPoolSize(GatekeyDatabase.DEFAULT_POOL_SIZE);
        config.setMinimumIdle(1);
        // a lookup waiting longer than this is better answered 503, and request threads must not pile up
        // behind a database that is down
        config.setConnectionTimeout(connectionTimeout);
        // checking an idle connection must fit in the wait for one
        config.setValidationTimeout(Math.max(StoreSettings.MIN_CONNECTION_TIMEOUT.toMillis(),
                Math.min(connectionTimeout / 2, 1_000)));
        // -1: the pool starts without a database; a database that is down is the caller's to wait out
        config.setInitializationFailTimeout(eventually ? -1 : 1);
        String initSql = statementTimeoutSql(settings.jdbcUrl(), statementTimeout);
        if (initSql != null) {
            config.setConnectionInitSql(initSql);
        }
        config.setPoolName("gatekey");
        // Hikari only drops connections on the SQL states it knows; a connection that says the database
        // went away in a driver's own words (H2 after a server restart: 90121) must go too, or the pool
        // keeps handing out dead connections and never recovers
        config.setExceptionOverride(new SQLExceptionOverride() {
            @java.lang.Override
            public SQLExceptionOverride.Override adjudicate(SQLException e) {
                return GatekeyDatabase.isConnectionFailure(e) ? SQLExceptionOverride.Override.MUST_EVICT
                        : SQLExceptionOverride.Override.CONTINUE_EVICT;
            }
        });
        try {
            return new HikariDataSource(config);
        } catch (RuntimeException e) {
            throw new KeyStoreException("cannot connect to " + StoreSettings.redact(settings.jdbcUrl()), e);
        }
    }

    /**
     * The database's own statement time-out for every connection of the pool: it stops the statement on the
     * server, where a client-side time-out would only stop waiting for it. {@code null} for databases without one.
     */
    static String statementTimeoutSql(String jdbcUrl, long millis) {
        String url = jdbcUrl.toLowerCase(Locale.ROOT);
        if (url.startsWith("jdbc:postgresql:")) {
            return "SET statement_timeout = " + millis;
        }
        if (url.startsWith("jdbc:h2:")) {
            return "SET QUERY_TIMEOUT " + millis;
        }
        return null;
    }

    /**
     * Connections of a JDBC URL with the time-outs set on the driver: the connect and login time-out, and a
     * network time-out (the socket read time-out of PostgreSQL's driver) somewhat longer than the statement
     * time-out, so a stalled database or network (no answer at all, where the server's statement time-out cannot
     * fire) still frees the thread. HikariCP restores this network time-out after each validation.
     */
    private static final class TimedDriverDataSource implements DataSource {
        private final com.zaxxer.hikari.util.DriverDataSource driver;
        private final int networkTimeoutMillis;

        TimedDriverDataSource(StoreSettings settings, long connectionTimeout, long statementTimeout) {
            Properties properties = new Properties();
            if (settings.jdbcUrl().toLowerCase(Locale.ROOT).startsWith("jdbc:postgresql:")) {
                String seconds = Long.toString(Math.max(1, (connectionTimeout + 999) / 1000));
                properties.setProperty("connectTimeout", seconds);
                properties.setProperty("loginTimeout", seconds);
            }
            this.driver = new com.zaxxer.hikari.util.DriverDataSource(settings.jdbcUrl(), null, properties,
                    settings.jdbcUser(), settings.jdbcPassword());
            // the margin lets the server's statement time-out answer first when the server is alive
            this.networkTimeoutMillis = (int) Math.min(Integer.MAX_VALUE, statementTimeout + NETWORK_MARGIN_MILLIS);
        }

        @Override
        public Connection getConnection() throws SQLException {
            return timed(driver.getConnection());
        }

        @Override
        public Connection getConnection(String username, String password) throws SQLException {
            return timed(driver.getConnection(username, password));
        }

        private Connection timed(Connection connection) throws SQLException {
            try {
                connection.setNetworkTimeout(DIRECT, networkTimeoutMillis);
            } catch (SQLFeatureNotSupportedException | AbstractMethodError e) {
                // H2 embedded has no socket; its QUERY_TIMEOUT bounds statements
            }
            return connection;
        }

        @Override
        public PrintWriter getLogWriter() throws SQLException {
            return driver.getLogWriter();
        }

        @Override
        public void setLogWriter(PrintWriter out) throws SQLException {
            driver.setLogWriter(out);
        }

        @Override
        public void setLoginTimeout(int seconds) throws SQLException {
            driver.setLoginTimeout(seconds);
        }

        @Override
        public int getLoginTimeout() throws SQLException {
            return driver.getLoginTimeout();
        }

        @Override
        public Logger getParentLogger() {
            return Logger.getLogger("dev.gatekey.persistence");
        }

        @Override
        public <T> T unwrap(Class<T> iface) throws SQLException {
            if (iface.isInstance(this)) {
                return iface.cast(this);
            }
            throw new SQLException("not a wrapper of " + iface.getName());
        }

        @Override
        public boolean isWrapperFor(Class<?> iface) {
            return iface.isInstance(this);
        }
    }

    /** Added to the statement time-out for the socket read time-out. */
    static final long NETWORK_MARGIN_MILLIS = 100;
    /** The driver's network time-out needs an executor only to abort connections; running inline is enough. */
    private static final Executor DIRECT = Runnable::run;
}
