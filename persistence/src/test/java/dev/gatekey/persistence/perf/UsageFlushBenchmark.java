package dev.gatekey.persistence.perf;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.gatekey.persistence.GatekeyDatabase;
import dev.gatekey.persistence.JpaKeyStore;
import dev.gatekey.store.StoreSettings;
import dev.gatekey.store.UsageCount;
import dev.gatekey.store.UsageRetention;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The database side of a usage flush at {@code gatekey.perf.activeKeys} active keys (default 100,000): one count per
 * key (a minute of valid requests), written through {@link JpaKeyStore#recordUsage} in batches of 5,000 as the
 * filter does, three times: new rows, the same minute again (every row updated, as when a second node reports it),
 * and the next minute; then one roll-up of the hour. A report, not a timed test. Not part of the default suite:
 *
 * <pre>GATEKEY_TEST_JDBC_URL='jdbc:postgresql://127.0.0.1:5432/test?user=postgres' \
 *   mvn -B -pl persistence -am verify -Pperf -Dtest=UsageFlushBenchmark -Dsurefire.failIfNoSpecifiedTests=false</pre>
 *
 * <p>It works in its own schema {@code gk_perf_usage}, dropped and recreated at the start, and writes its figures to
 * {@code persistence/target/perf-usage.md}.
 */
@Tag("perf")
class UsageFlushBenchmark {

    private static final String SCHEMA = "gk_perf_usage";
    private static final int BATCH = 5_000;

    @Test
    void recordUsageWhenOneHundredThousandActiveKeysThenFlushCostReported() throws Exception {
        String baseUrl = System.getenv("GATEKEY_TEST_JDBC_URL");
        assumeTrue(baseUrl != null && baseUrl.startsWith("jdbc:postgresql:"),
                "GATEKEY_TEST_JDBC_URL is not set to a PostgreSQL URL: the flush benchmark needs one");
        int keys = Integer.getInteger("gatekey.perf.activeKeys", 100_000);
        String url = baseUrl + (baseUrl.contains("?") ? "&" : "?") + "currentSchema=" + SCHEMA
                + "&reWriteBatchedInserts=true";
        try (Connection admin = DriverManager.getConnection(baseUrl); Statement st = admin.createStatement()) {
            st.execute("DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE");
            st.execute("CREATE SCHEMA " + SCHEMA);
        }
        List<String> report = new ArrayList<>();
        report.add("| step (" + String.format("%,d", keys) + " active keys, batches of " + BATCH + ") | seconds |");
        report.add("|---|---:|");
        try (GatekeyDatabase db = GatekeyDatabase.open(StoreSettings.jdbc(url, null, null))) {
            seed(url, keys);
            JpaKeyStore store = new JpaKeyStore(db);
            long minute = Instant.parse("2030-01-01T10:00:00Z").getEpochSecond() / 60;
            report.add(row("flush of a new minute (every row inserted)", flush(store, keys, minute)));
            report.add(row("the same minute again (every row updated: a second node)", flush(store, keys, minute)));
            report.add(row("the next minute (inserted)", flush(store, keys, minute + 1)));
            long started = System.nanoTime();
            store.rollUpUsage(Instant.ofEpochSecond((minute + 120) * 60), UsageRetention.DEFAULT);
            report.add(row("roll-up of that hour into hours and days", System.nanoTime() - started));
        }
        report.forEach(System.out::println);
        try {
            Files.createDirectories(Path.of("target"));
            Files.write(Path.of("target", "perf-usage.md"), report);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String row(String step, long nanos) {
        return String.format("| %s | %.2f |", step, nanos / 1e9);
    }

    private static long flush(JpaKeyStore store, int keys, long minute) {
        List<UsageCount> counts = new ArrayList<>(keys);
        for (int i = 1; i <= keys; i++) {
            counts.add(new UsageCount("perf", "key_perf" + i, minute, "valid", 1 + i % 50));
        }
        long started = System.nanoTime();
        for (int from = 0; from < counts.size(); from += BATCH) {
            store.recordUsage(counts.subList(from, Math.min(counts.size(), from + BATCH)));
        }
        return System.nanoTime() - started;
    }

    /** One bucket and {@code keys} consumers with one key each, by JDBC batches. */
    private static void seed(String url, int keys) throws SQLException {
        Timestamp now = Timestamp.from(Instant.now());
        try (Connection c = DriverManager.getConnection(url)) {
            c.setAutoCommit(false);
            try (Statement st = c.createStatement()) {
                st.execute("INSERT INTO gk_bucket (id, name, description, key_prefix, retrievable, created_on,"
                        + " updated_on) VALUES (1, 'perf', 'flush benchmark', 'perf', FALSE, now(), now())");
            }
            try (PreparedStatement consumers = c.prepareStatement("INSERT INTO gk_consumer (id, public_id, bucket_id,"
                    + " name, active_name, metadata_json, created_on, updated_on) VALUES (?, ?, 1, ?, ?, '{}', ?, ?)");
                    PreparedStatement apiKeys = c.prepareStatement("INSERT INTO gk_api_key (id, public_id,"
                            + " consumer_id, key_hash, masked, created_on) VALUES (?, ?, ?, ?, 'perf_…', ?)")) {
                for (int i = 1; i <= keys; i++) {
                    consumers.setLong(1, i);
                    consumers.setString(2, "con_perf" + i);
                    consumers.setString(3, "consumer-" + i);
                    consumers.setString(4, "consumer-" + i);
                    consumers.setTimestamp(5, now);
                    consumers.setTimestamp(6, now);
                    consumers.addBatch();
                    apiKeys.setLong(1, i);
                    apiKeys.setString(2, "key_perf" + i);
                    apiKeys.setLong(3, i);
                    apiKeys.setString(4, String.format("%064x", i));
                    apiKeys.setTimestamp(5, now);
                    apiKeys.addBatch();
                    if (i % 5_000 == 0 || i == keys) {
                        consumers.executeBatch();
                        apiKeys.executeBatch();
                        c.commit();
                    }
                }
            }
            c.setAutoCommit(true);
            try (Statement st = c.createStatement()) {
                st.execute("ANALYZE gk_consumer");
                st.execute("ANALYZE gk_api_key");
            }
        }
    }
}
