package dev.gatekey.persistence.perf;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.gatekey.format.ApiKeyFormat;
import dev.gatekey.persistence.Consumer;
import dev.gatekey.persistence.ConsumerQuery;
import dev.gatekey.persistence.GatekeyDatabase;
import dev.gatekey.persistence.KeyFormat;
import dev.gatekey.persistence.KeyManagement;
import dev.gatekey.persistence.Page;
import dev.gatekey.store.KeyHashes;
import dev.gatekey.store.KeyStore;
import dev.gatekey.store.KeyStoreBackend;
import dev.gatekey.store.KeyStoreProvider;
import dev.gatekey.store.StoreSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Seeds up to {@code gatekey.perf.keys} keys (default 1,000,000) into PostgreSQL and measures
 * {@code KeyStore.findByHash} latency at each tenfold step, plus a page of 100 consumers near the end
 * of the list, with and without a tag filter (one consumer in ten has tag {@code tier=t0}). A report, not a timed test: it asserts nothing about wall time. Not part of the default suite:
 *
 * <pre>GATEKEY_TEST_JDBC_URL='jdbc:postgresql://127.0.0.1:5432/test?user=postgres' \
 *   mvn -B -pl persistence -am verify -Pperf</pre>
 *
 * <p>It works in its own schema {@code gk_perf}, dropped and recreated at the start, and writes its
 * figures to {@code persistence/target/perf-results.md}.
 */
@Tag("perf")
class KeyStoreScalingBenchmark {

    private static final String SCHEMA = "gk_perf";
    private static final int BATCH = 5_000;
    private static final int SAMPLE_EVERY = 50;
    private static final int WARMUP_LOOKUPS = 3_000;
    private static final int MEASURED_LOOKUPS = 10_000;

    private final List<String> report = new ArrayList<>();

    @Test
    void findByHashWhenOneThousandToOneMillionKeysThenLatencyStaysFlat() throws Exception {
        String baseUrl = System.getenv("GATEKEY_TEST_JDBC_URL");
        assumeTrue(baseUrl != null && baseUrl.startsWith("jdbc:postgresql:"),
                "GATEKEY_TEST_JDBC_URL is not set to a PostgreSQL URL: the scaling benchmark needs one");
        int total = Integer.getInteger("gatekey.perf.keys", 1_000_000);
        String url = baseUrl + (baseUrl.contains("?") ? "&" : "?") + "currentSchema=" + SCHEMA
                + "&reWriteBatchedInserts=true";
        try (Connection admin = DriverManager.getConnection(baseUrl); Statement st = admin.createStatement()) {
            st.execute("DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE");
            st.execute("CREATE SCHEMA " + SCHEMA);
        }
        GatekeyDatabase.open(StoreSettings.jdbc(url, null, null)).close(); // migrates the schema

        report.add("| keys | findByHash p50 | p99 | p99.9 | unknown key p50 | unknown p99 "
                + "| deep page of 100 p50 | p99 | deep page, tag filter p50 | p99 |");
        report.add("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        List<String> sampledHashes = new ArrayList<>();
        ApiKeyFormat format = ApiKeyFormat.crc32();
        try (Connection seed = DriverManager.getConnection(url)) {
            seed.setAutoCommit(false);
            long bucketId = insertBucket(seed);
            int seeded = 0;
            for (int step = 1_000; step <= total; step *= 10) {
                seeded = seed(seed, bucketId, format, seeded, step, sampledHashes::add);
                measureLookups(url, step, sampledHashes);
            }
            if (seeded < total) {
                seeded = seed(seed, bucketId, format, seeded, total, sampledHashes::add);
                measureLookups(url, total, sampledHashes);
            }
        }
        writeReport();
    }

    private static long insertBucket(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO gk_bucket (name, description, key_prefix,"
                + " retrievable, created_on, updated_on) VALUES ('perf', 'scaling benchmark', 'perf', FALSE, ?, ?)",
                new String[] {"id"})) {
            Timestamp now = Timestamp.from(Instant.now());
            ps.setTimestamp(1, now);
            ps.setTimestamp(2, now);
            ps.executeUpdate();
            try (var keys = ps.getGeneratedKeys()) {
                keys.next();
                long id = keys.getLong(1);
                c.commit();
                return id;
            }
        }
    }

    /** Inserts consumers and keys number {@code from} (inclusive) to {@code to} (exclusive), one key each. */
    private static int seed(Connection c, long bucketId, ApiKeyFormat format, int from, int to,
            java.util.function.Consumer<String> sample) throws SQLException {
        long started = System.nanoTime();
        Timestamp now = Timestamp.from(Instant.now());
        try (PreparedStatement consumers = c.prepareStatement("INSERT INTO gk_consumer (id, public_id, bucket_id,"
                + " name, active_name, metadata_json, created_on, updated_on) VALUES (?, ?, ?, ?, ?, '{}', ?, ?)");
             PreparedStatement keys = c.prepareStatement("INSERT INTO gk_api_key (id, public_id, consumer_id,"
                + " key_hash, masked, created_on) VALUES (?, ?, ?, ?, ?, ?)");
             PreparedStatement tags = c.prepareStatement("INSERT INTO gk_consumer_tag (consumer_id, tag_key,"
                + " tag_value) VALUES (?, 'tier', ?)")) {
            for (int i = from; i < to; i++) {
                long id = i + 1L;
                String name = String.format("consumer-%08d", i);
                consumers.setLong(1, id);
                consumers.setString(2, "con_perf" + id);
                consumers.setLong(3, bucketId);
                consumers.setString(4, name);
                consumers.setString(5, name);
                consumers.setTimestamp(6, now);
                consumers.setTimestamp(7, now);
                consumers.addBatch();
                tags.setLong(1, id);
                tags.setString(2, "t" + (i % 10));
                tags.addBatch();
                String key = format.generate("perf");
                String hash = KeyHashes.sha256Hex(key);
                keys.setLong(1, id);
                keys.setString(2, "key_perf" + id);
                keys.setLong(3, id);
                keys.setString(4, hash);
                keys.setString(5, ApiKeyFormat.mask(key));
                keys.setTimestamp(6, now);
                keys.addBatch();
                if (i % SAMPLE_EVERY == 0) {
                    sample.accept(hash);
                }
                if ((i + 1) % BATCH == 0 || i + 1 == to) {
                    consumers.executeBatch();
                    keys.executeBatch();
                    tags.executeBatch();
                    c.commit();
                }
            }
        }
        try (Statement st = c.createStatement()) {
            st.execute("SELECT setval(pg_get_serial_sequence('gk_consumer', 'id'), " + to + ")");
            st.execute("SELECT setval(pg_get_serial_sequence('gk_api_key', 'id'), " + to + ")");
            c.commit();
            c.setAutoCommit(true);
            st.execute("ANALYZE gk_consumer");
            st.execute("ANALYZE gk_api_key");
            st.execute("ANALYZE gk_consumer_tag");
            c.setAutoCommit(false);
        }
        System.out.printf("seeded %,d keys in %.1f s%n", to - from, (System.nanoTime() - started) / 1e9);
        return to;
    }

    private void measureLookups(String url, int keys, List<String> sampledHashes) {
        KeyStoreProvider provider = ServiceLoader.load(KeyStoreProvider.class).findFirst().orElseThrow();
        SplittableRandom random = new SplittableRandom(keys);
        try (KeyStoreBackend backend = provider.open(StoreSettings.jdbc(url, null, null))) {
            KeyStore store = backend.keyStore();
            for (int i = 0; i < WARMUP_LOOKUPS; i++) {
                store.findByHash(sampledHashes.get(random.nextInt(sampledHashes.size()))).orElseThrow();
            }
            long[] found = new long[MEASURED_LOOKUPS];
            for (int i = 0; i < found.length; i++) {
                String hash = sampledHashes.get(random.nextInt(sampledHashes.size()));
                long t = System.nanoTime();
                store.findByHash(hash).orElseThrow();
                found[i] = System.nanoTime() - t;
            }
            long[] unknown = new long[MEASURED_LOOKUPS / 5];
            for (int i = 0; i < unknown.length; i++) {
                String hash = KeyHashes.sha256Hex("unknown-" + keys + "-" + i);
                long t = System.nanoTime();
                if (store.findByHash(hash).isPresent()) {
                    throw new AssertionError("an unknown hash was found");
                }
                unknown[i] = System.nanoTime() - t;
            }
            try (GatekeyDatabase db = GatekeyDatabase.open(StoreSettings.jdbc(url, null, null))) {
                KeyManagement management = new KeyManagement(db, ApiKeyFormat.crc32(), null, Clock.systemUTC());
                long[] deep = deepPageLatencies(management, Map.of());
                long[] deepTagged = deepPageLatencies(management, Map.of("tier", "t0"));
                report.add(String.format("| %,d | %s | %s | %s | %s | %s | %s | %s | %s | %s |", keys,
                        micros(found, 50), micros(found, 99), micros(found, 99.9), micros(unknown, 50),
                        micros(unknown, 99), micros(deep, 50), micros(deep, 99), micros(deepTagged, 50),
                        micros(deepTagged, 99)));
            }
            System.out.println(report.get(report.size() - 1));
        }
    }

    /**
     * Walks the list in pages of 1,000 to a cursor about 99% of the way down, then times 200 requests of the
     * next page of 100 from there.
     */
    private static long[] deepPageLatencies(KeyManagement management, Map<String, String> tags) {
        String cursor = null;
        String deepCursor = null;
        while (true) {
            Page<Consumer> page = management.consumers().list("perf", new ConsumerQuery(1000, cursor, tags, false,
                    KeyFormat.NONE));
            if (page.nextCursor() == null) {
                break;
            }
            deepCursor = cursor;
            cursor = page.nextCursor();
        }
        long[] nanos = new long[200];
        for (int i = 0; i < nanos.length; i++) {
            long t = System.nanoTime();
            Page<Consumer> page = management.consumers().list("perf", new ConsumerQuery(100, deepCursor, tags, false,
                    KeyFormat.NONE));
            nanos[i] = System.nanoTime() - t;
            if (page.data().isEmpty()) {
                throw new AssertionError("the deep page is empty");
            }
        }
        return nanos;
    }

    static String micros(long[] nanos, double percentile) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        int index = (int) Math.ceil(percentile / 100 * sorted.length) - 1;
        return String.format("%.0f µs", sorted[Math.max(0, index)] / 1_000.0);
    }

    private void writeReport() throws IOException {
        Path out = Path.of("target", "perf-results.md");
        Files.createDirectories(out.getParent());
        Files.write(out, report);
        report.forEach(System.out::println);
    }
}
