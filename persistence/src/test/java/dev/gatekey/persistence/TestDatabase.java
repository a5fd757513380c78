package dev.gatekey.persistence;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * A fresh, isolated database for one test class: an H2 in-memory database, or a new schema in the
 * PostgreSQL of {@code GATEKEY_TEST_JDBC_URL}, dropped on close.
 */
final class TestDatabase implements AutoCloseable {

    static final String PG_URL_ENV = "GATEKEY_TEST_JDBC_URL";
    static final String PG_SKIPPED = PG_URL_ENV + " is not set: PostgreSQL tests skipped";

    final String name;
    final String jdbcUrl;
    final HikariDataSource dataSource;
    final GatekeyDatabase database;
    private final Runnable drop;

    private TestDatabase(String name, String jdbcUrl, Runnable drop) {
        this.name = name;
        this.jdbcUrl = jdbcUrl;
        this.drop = drop;
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(jdbcUrl);
        config.setMaximumPoolSize(10);
        config.setMinimumIdle(0);
        config.setConnectionTimeout(10_000);
        config.setPoolName("test-" + name);
        this.dataSource = new HikariDataSource(config);
        this.database = GatekeyDatabase.open(dataSource);
    }

    static TestDatabase h2() {
        String name = "gk" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        String url = "jdbc:h2:mem:" + name + ";DB_CLOSE_DELAY=-1;LOCK_TIMEOUT=20000";
        return new TestDatabase("h2", url, () -> execute(url, "SHUTDOWN"));
    }

    /** Null when no PostgreSQL is configured: {@link DatabaseTestBase} then skips each test with {@link #PG_SKIPPED}. */
    static TestDatabase postgres() {
        String base = postgresUrl();
        if (base == null) {
            return null;
        }
        String schema = "gk_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12)
                .toLowerCase(Locale.ROOT);
        execute(base, "CREATE SCHEMA " + schema);
        String url = base + (base.contains("?") ? "&" : "?") + "currentSchema=" + schema;
        return new TestDatabase("postgresql", url, () -> execute(base, "DROP SCHEMA " + schema + " CASCADE"));
    }

    static String postgresUrl() {
        String url = System.getenv(PG_URL_ENV);
        return url == null || url.isBlank() ? null : url;
    }

    boolean isPostgres() {
        return name.equals("postgresql");
    }

    /** Every value of column 1 of {@code sql}, as strings. */
    List<String> strings(String sql) {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            List<String> values = new ArrayList<>();
            int columns = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                if (columns == 1) {
                    values.add(rs.getString(1));
                    continue;
                }
                StringBuilder row = new StringBuilder();
                for (int i = 1; i <= columns; i++) {
                    row.append(i > 1 ? "|" : "").append(rs.getString(i));
                }
                values.add(row.toString());
            }
            return values;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    long count(String table) {
        return Long.parseLong(strings("SELECT COUNT(*) FROM " + table).get(0));
    }

    @Override
    public void close() {
        try {
            database.close();
        } finally {
            dataSource.close();
            drop.run();
        }
    }

    private static void execute(String url, String sql) {
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot run " + sql, e);
        }
    }
}
