package dev.gatekey.store;

import dev.gatekey.config.Redaction;
import java.time.Duration;
import java.util.Objects;

/**
 * Where the key store lives: a container DataSource by JNDI name, or a JDBC URL (pooled by the
 * provider). Exactly one of {@code dataSource} and {@code jdbcUrl} is set.
 *
 * <p>The two time-outs bound every store call, so a database that is down or stalled costs a request a bounded
 * wait instead of a request thread: a provider that pools a {@code jdbcUrl} applies them to the pool (waiting for
 * a connection, opening one) and to every connection (statement time-out, socket read time-out). A container
 * DataSource is the container's: its operator sets the equivalent settings there (see {@code docs/resilience.md}).
 *
 * @param dataSource JNDI name of a DataSource, e.g. {@code java:comp/env/jdbc/gatekey}
 * @param jdbcUrl JDBC URL, e.g. {@code jdbc:h2:file:./gatekey-data/gatekey}
 * @param jdbcUser user for {@code jdbcUrl}, may be {@code null}
 * @param jdbcPassword password for {@code jdbcUrl}, may be {@code null}; never logged
 * @param connectionTimeout longest wait for a connection (from the pool, or a new one), at least 250 ms
 * @param statementTimeout longest run of one statement, and longest wait for the database's answer on the socket
 */
public record StoreSettings(String dataSource, String jdbcUrl, String jdbcUser, String jdbcPassword,
        Duration connectionTimeout, Duration statementTimeout) {

    /** Default of {@link #connectionTimeout()}. */
    public static final Duration DEFAULT_CONNECTION_TIMEOUT = Duration.ofMillis(1000);
    /** Default of {@link #statementTimeout()}. */
    public static final Duration DEFAULT_STATEMENT_TIMEOUT = Duration.ofMillis(1000);
    /** The least connection time-out: HikariCP refuses shorter ones. */
    public static final Duration MIN_CONNECTION_TIMEOUT = Duration.ofMillis(250);

    public StoreSettings {
        if ((dataSource == null) == (jdbcUrl == null)) {
            throw new IllegalArgumentException("exactly one of dataSource and jdbcUrl must be set");
        }
        Objects.requireNonNull(connectionTimeout, "connectionTimeout");
        Objects.requireNonNull(statementTimeout, "statementTimeout");
        if (connectionTimeout.compareTo(MIN_CONNECTION_TIMEOUT) < 0) {
            throw new IllegalArgumentException("connection timeout must be at least 250 ms");
        }
        if (statementTimeout.toMillis() < 1) {
            throw new IllegalArgumentException("statement timeout must be at least 1 ms");
        }
    }

    /** With the default time-outs. */
    public StoreSettings(String dataSource, String jdbcUrl, String jdbcUser, String jdbcPassword) {
        this(dataSource, jdbcUrl, jdbcUser, jdbcPassword, DEFAULT_CONNECTION_TIMEOUT, DEFAULT_STATEMENT_TIMEOUT);
    }

    public static StoreSettings jndi(String name) {
        return new StoreSettings(name, null, null, null);
    }

    public static StoreSettings jdbc(String url, String user, String password) {
        return new StoreSettings(null, url, user, password);
    }

    /** The same store with other time-outs. */
    public StoreSettings withTimeouts(Duration connection, Duration statement) {
        return new StoreSettings(dataSource, jdbcUrl, jdbcUser, jdbcPassword, connection, statement);
    }

    /** Never shows a password, whether given apart or as a URL parameter. */
    @Override
    public String toString() {
        String timeouts = ", connectionTimeoutMillis=" + connectionTimeout.toMillis() + ", statementTimeoutMillis="
                + statementTimeout.toMillis() + "]";
        return dataSource != null
                ? "StoreSettings[dataSource=" + dataSource + timeouts
                : "StoreSettings[jdbcUrl=" + redact(jdbcUrl) + ", jdbcUser=" + jdbcUser + timeouts;
    }

    /**
     * A JDBC URL fit for logs and messages: the value of any {@code password=} parameter, and the password of a
     * user info ({@code jdbc:mysql://user:password@host}), are masked (see {@link Redaction#url}).
     */
    public static String redact(String jdbcUrl) {
        return Redaction.url(jdbcUrl);
    }
}
