package dev.gatekey.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.gatekey.persistence.GatekeyDatabase;
import dev.gatekey.persistence.JpaKeyStore;
import dev.gatekey.store.KeyStoreException;
import dev.gatekey.store.StoreSettings;
import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/**
 * A Gatekey database pooled from a JDBC URL, on the real PostgreSQL reached through a {@link TcpProxy}: it opens
 * while the database is down and starts when it returns, and its time-outs hold on every connection.
 */
@EnabledIfEnvironmentVariable(named = "GATEKEY_TEST_JDBC_URL", matches = ".+",
        disabledReason = "GATEKEY_TEST_JDBC_URL is not set: PostgreSQL time-out tests skipped")
class DatabaseTimeoutsTest {

    private static final Duration CONNECTION_TIMEOUT = Duration.ofMillis(400);
    private static final Duration STATEMENT_TIMEOUT = Duration.ofMillis(300);
    private static final long SLACK_MILLIS = 250;

    private final String baseUrl = System.getenv("GATEKEY_TEST_JDBC_URL");
    private final String schema = "gk_timeouts_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12)
            .toLowerCase(Locale.ROOT);
    private TcpProxy proxy;

    @BeforeEach
    void createSchemaAndProxy() throws SQLException {
        execute(baseUrl, "CREATE SCHEMA " + schema);
        URI uri = URI.create(baseUrl.substring("jdbc:".length()));
        proxy = new TcpProxy(uri.getHost(), uri.getPort() < 0 ? 5432 : uri.getPort());
    }

    @AfterEach
    void dropSchemaAndProxy() throws SQLException {
        proxy.close();
        execute(baseUrl, "DROP SCHEMA " + schema + " CASCADE");
    }

    private StoreSettings settings() {
        String url = baseUrl.replaceFirst("//[^/:?]+(:\\d+)?", "//127.0.0.1:" + proxy.port());
        url += (url.contains("?") ? "&" : "?") + "currentSchema=" + schema;
        return StoreSettings.jdbc(url, null, null).withTimeouts(CONNECTION_TIMEOUT, STATEMENT_TIMEOUT);
    }

    @Test
    void openEventuallyWhenDatabaseDownThenOpensAndStartsAtTheFirstCallAfterItReturns() {
        proxy.cut();
        try (GatekeyDatabase database = GatekeyDatabase.openEventually(settings())) {
            JpaKeyStore store = new JpaKeyStore(database);
            assertThat(database.isStarted()).isFalse();
            assertThatThrownBy(store::latestPosition).isInstanceOf(KeyStoreException.class)
                    .hasMessageStartingWith("latestPosition failed: database unavailable");

            proxy.restore();

            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50)).ignoreExceptions()
                    .until(() -> store.latestPosition() >= 0);
            assertThat(database.isStarted()).isTrue();
        }
    }

    @Test
    void callWhenDatabaseStalledThenFailsWithinTheStatementTimeoutAndFreesItsThread() {
        try (GatekeyDatabase database = GatekeyDatabase.openEventually(settings())) {
            JpaKeyStore store = new JpaKeyStore(database);
            assertThat(store.latestPosition()).isZero();
            proxy.stall();
            long start = System.nanoTime();

            assertThatThrownBy(store::latestPosition).isInstanceOf(KeyStoreException.class);

            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            System.out.printf("[faults] a call on a stalled database failed after %d ms (statement time-out %d ms, "
                    + "connection time-out %d ms)%n", millis, STATEMENT_TIMEOUT.toMillis(),
                    CONNECTION_TIMEOUT.toMillis());
            assertThat(millis).isLessThanOrEqualTo(CONNECTION_TIMEOUT.toMillis() + STATEMENT_TIMEOUT.toMillis()
                    + 100 + SLACK_MILLIS);
            proxy.restore();
        }
    }

    @Test
    void executeWhenStatementRunsOnAPooledConnectionThenStoppedByTheServersStatementTimeout() throws SQLException {
        try (GatekeyDatabase database = GatekeyDatabase.openEventually(settings());
                Connection connection = database.dataSource().getConnection();
                Statement statement = connection.createStatement()) {
            long start = System.nanoTime();

            assertThatThrownBy(() -> statement.execute("SELECT pg_sleep(5)")).isInstanceOf(SQLException.class)
                    .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("57014"));

            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start))
                    .isLessThanOrEqualTo(STATEMENT_TIMEOUT.toMillis() + SLACK_MILLIS);
        }
    }

    @Test
    void openWhenH2ConnectionIsPooledThenQueryTimeoutSet() throws SQLException {
        StoreSettings h2 = StoreSettings.jdbc("jdbc:h2:mem:" + schema, "sa", "")
                .withTimeouts(CONNECTION_TIMEOUT, STATEMENT_TIMEOUT);
        try (GatekeyDatabase database = GatekeyDatabase.open(h2);
                Connection connection = database.dataSource().getConnection();
                Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery(
                        "SELECT SETTING_VALUE FROM INFORMATION_SCHEMA.SETTINGS WHERE SETTING_NAME = 'QUERY_TIMEOUT'")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo(Long.toString(STATEMENT_TIMEOUT.toMillis()));
        }
    }

    private static void execute(String url, String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}
