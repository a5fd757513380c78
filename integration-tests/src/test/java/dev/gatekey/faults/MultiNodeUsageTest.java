package dev.gatekey.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.gatekey.format.ApiKeyFormat;
import dev.gatekey.persistence.Consumer;
import dev.gatekey.persistence.GatekeyDatabase;
import dev.gatekey.persistence.KeyManagement;
import dev.gatekey.persistence.NewConsumer;
import dev.gatekey.persistence.UsagePoint;
import dev.gatekey.persistence.UsageRange;
import dev.gatekey.store.StoreSettings;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/**
 * Usage counting across two filter nodes on one PostgreSQL (issue 20): both nodes serve the same key in the same
 * minutes, flush every second and once more when they stop; the counts the admin services read add up to the
 * requests sent, per outcome, with nothing lost or counted twice.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@EnabledIfEnvironmentVariable(named = "GATEKEY_TEST_JDBC_URL", matches = ".+",
        disabledReason = "GATEKEY_TEST_JDBC_URL is not set: multi-node usage test skipped")
class MultiNodeUsageTest {

    static final String BUCKET = "usage-nodes";
    static final String PREFIX = "usagenodes";
    static final int CLIENTS = 8;
    static final int REQUESTS_PER_CLIENT = 100;
    static final int FORGED_EVERY = 20;

    private String baseJdbcUrl;
    private String schema;
    private GatekeyDatabase admin;
    private KeyManagement keys;

    @BeforeAll
    void createSchema() throws SQLException {
        baseJdbcUrl = System.getenv("GATEKEY_TEST_JDBC_URL");
        schema = "gk_usage_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12).toLowerCase(Locale.ROOT);
        execute(baseJdbcUrl, "CREATE SCHEMA " + schema);
        admin = GatekeyDatabase.open(StoreSettings.jdbc(jdbcUrl(), null, null));
        keys = new KeyManagement(admin, ApiKeyFormat.crc32(), null, Clock.systemUTC());
        keys.buckets().create("usage", BUCKET, "usage", PREFIX, false);
    }

    @AfterAll
    void dropSchema() throws SQLException {
        if (admin != null) {
            admin.close();
            execute(baseJdbcUrl, "DROP SCHEMA " + schema + " CASCADE");
        }
    }

    private long total(List<UsagePoint> points, String outcome) {
        return points.stream().filter(p -> p.outcome().equals(outcome)).mapToLong(UsagePoint::count).sum();
    }

    private List<UsagePoint> minutes(String consumer, Instant from) {
        UsageRange range = keys.usage().range(from.toString(), Instant.now().plusSeconds(120).toString(), "minute");
        return consumer == null ? keys.usage().bucket(BUCKET, range) : keys.usage().consumer(BUCKET, consumer, range);
    }

    @Test
    void flushWhenTwoNodesServeTheSameKeyThenTheCountsAddUpAcrossNodes() throws Exception {
        Instant from = Instant.now().minusSeconds(120);
        Consumer alice = keys.consumers().create("usage", BUCKET, NewConsumer.named("alice"), true);
        String key = alice.apiKeys().get(0).key();
        String forged = key.substring(0, key.length() - 1) + (key.endsWith("A") ? "B" : "A");
        List<Node> nodes = new ArrayList<>();
        try {
            for (int i = 0; i < 2; i++) {
                nodes.add(new Node(Map.of("bucket", BUCKET, "jdbcUrl", jdbcUrl(), "usageFlushSeconds", "1",
                        "failedAttemptsPerIp", "100000/1s"), "198.19.1." + (i + 1)));
            }
            send(nodes, key, forged);
            // the background flush writes within a second or so, while the nodes still run
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(total(minutes("alice", from),
                    "valid")).isEqualTo((long) CLIENTS * REQUESTS_PER_CLIENT));
            send(nodes, key, forged);
        } finally {
            nodes.forEach(Node::close);
        }

        // the nodes' last counts were written when they stopped
        long sent = 2L * CLIENTS * REQUESTS_PER_CLIENT;
        assertThat(total(minutes("alice", from), "valid")).isEqualTo(sent);
        assertThat(total(minutes(null, from), "bad_checksum")).isEqualTo(2L * CLIENTS * (REQUESTS_PER_CLIENT / FORGED_EVERY));
        assertThat(total(minutes(null, from), "valid")).isEqualTo(sent);
        System.out.printf("[usage] 2 nodes, %d clients: %d valid and %d bad_checksum requests counted%n", CLIENTS,
                total(minutes(null, from), "valid"), total(minutes(null, from), "bad_checksum"));
    }

    /** Every client sends to both nodes in turn, and a forged key every {@value #FORGED_EVERY} requests. */
    private static void send(List<Node> nodes, String key, String forged) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
        try {
            List<Future<?>> clients = new ArrayList<>();
            for (int c = 0; c < CLIENTS; c++) {
                int client = c;
                clients.add(pool.submit(() -> {
                    for (int r = 0; r < REQUESTS_PER_CLIENT; r++) {
                        Node node = nodes.get((client + r) % nodes.size());
                        assertThat(Load.send(new Load.Call("usage", node.url("/api/ping"), key)).status())
                                .isEqualTo(200);
                        if (r % FORGED_EVERY == 0) {
                            assertThat(Load.send(new Load.Call("usage", node.url("/api/ping"), forged)).status())
                                    .isEqualTo(401);
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : clients) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private String jdbcUrl() {
        return baseJdbcUrl + (baseJdbcUrl.contains("?") ? "&" : "?") + "currentSchema=" + schema;
    }

    private static void execute(String url, String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}
