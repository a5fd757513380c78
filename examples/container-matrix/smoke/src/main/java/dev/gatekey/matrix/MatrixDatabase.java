package dev.gatekey.matrix;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.regex.Pattern;

/** The PostgreSQL database of the matrix: {@code GATEKEY_TEST_JDBC_URL}, one schema per server. */
final class MatrixDatabase {

    static final String JDBC_URL_VARIABLE = "GATEKEY_TEST_JDBC_URL";
    private static final Pattern SCHEMA = Pattern.compile("[a-z][a-z0-9_]{0,62}");

    private MatrixDatabase() {
    }

    /** Drops the schema with everything in it and creates it empty, so each run starts from nothing. */
    static void recreateSchema(String schema) throws SQLException {
        if (!SCHEMA.matcher(schema).matches()) {
            throw new IllegalArgumentException("Not a schema name: " + schema);
        }
        String url = System.getenv(JDBC_URL_VARIABLE);
        if (url == null || !url.startsWith("jdbc:postgresql:")) {
            throw new IllegalStateException("The container matrix runs on PostgreSQL: set " + JDBC_URL_VARIABLE
                    + " to a jdbc:postgresql: URL (.ci/run does)");
        }
        try (Connection connection = DriverManager.getConnection(url);
                Statement statement = connection.createStatement()) {
            statement.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
            statement.execute("CREATE SCHEMA " + schema);
        }
    }
}
