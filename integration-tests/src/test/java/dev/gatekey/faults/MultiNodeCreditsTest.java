package dev.gatekey.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.gatekey.format.ApiKeyFormat;
import dev.gatekey.persistence.ApiKey;
import dev.gatekey.persistence.GatekeyDatabase;
import dev.gatekey.persistence.KeyManagement;
import dev.gatekey.persistence.NewConsumer;
import dev.gatekey.store.StoreSettings;
import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/**
 * Credits across {@value #NODES} filter nodes on one PostgreSQL: a key with {@value #CREDITS} credits spent by
 * {@value #CLIENTS} concurrent clients, {@value #REQUESTS} requests in all. With database leases never more than the
 * credits succeed; with Redis (a shared counter filled with leases) exactly the credits succeed. Prints its figures.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@EnabledIfEnvironmentVariable(named = "GATEKEY_TEST_JDBC_URL", matches = ".+",
        disabledReason = "GATEKEY_TEST_JDBC_URL is not set: multi-node credits tests skipped")
class MultiNodeCreditsTest {

    static final int NODES = 3;
    static final int CLIENTS = 36;
    static final int REQUESTS = 1_800;
    static final long CREDITS = 1_000;
    /** Requests sent before Redis is cut (multiples of {@link #CLIENTS}). */
    static final int CUT_AFTER = 12 * CLIENTS;
    /** Requests sent before Redis is restored; then more until every node uses Redis again, then the rest. */
    static final int RESTORED_AFTER = 20 * CLIENTS;
    static final String BUCKET = "credits-demo";
    static final String PREFIX = "credits";

    private String baseJdbcUrl;
    private String schema;
    private GatekeyDatabase admin;
    private KeyManagement keys;

    @BeforeAll
    void createSchema() throws SQLException {
        baseJdbcUrl = System.getenv("GATEKEY_TEST_JDBC_URL");
        schema = "gk_credits_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12)
                .toLowerCase(Locale.ROOT);
        execute(baseJdbcUrl, "CREATE SCHEMA " + schema);
        admin = GatekeyDatabase.open(StoreSettings.jdbc(jdbcUrl(), null, null));
        keys = new KeyManagement(admin, ApiKeyFormat.crc32(), null, Clock.systemUTC());
        keys.buckets().create("credits", BUCKET, "credits", PREFIX, false);
    }

    @AfterAll
    void dropSchema() throws SQLException {
        if (admin != null) {
            admin.close();
            execute(baseJdbcUrl, "DROP SCHEMA " + schema + " CASCADE");
        }
    }

    @Test
    void spendWhenDatabaseLeasesThenNeverMoreThanTheCreditsSucceed() throws Exception {
        ApiKey key = keyWithCredits();
        Map<Integer, Integer> statuses = spendOnNodes(key, Map.of());

        long remaining = remaining(key);
        System.out.printf("[credits] database leases: %d nodes, %d clients, %d requests: statuses %s; remaining "
                + "after the nodes gave back their leases: %d%n", NODES, CLIENTS, REQUESTS, statuses, remaining);
        assertThat(statuses.keySet()).containsOnly(200, 429);
        assertThat(statuses.get(200)).isLessThanOrEqualTo((int) CREDITS);
        assertThat(statuses.get(200) + remaining).isLessThanOrEqualTo(CREDITS);
    }

    @Test
    void spendWhenRedisThenExactlyTheCreditsSucceed() throws Exception {
        String redisUrl = System.getenv("GATEKEY_TEST_REDIS_URL");
        assumeTrue(redisUrl != null && !redisUrl.isBlank(), "GATEKEY_TEST_REDIS_URL is not set: Redis credits "
                + "test skipped");
        ApiKey key = keyWithCredits();
        Map<Integer, Integer> statuses = spendOnNodes(key, Map.of("rateLimitStore", "redis", "redisUrl", redisUrl));

        long remaining = remaining(key);
        System.out.printf("[credits] redis: %d nodes, %d clients, %d requests: statuses %s; remaining in the "
                + "database after the nodes emptied their counters: %d%n", NODES, CLIENTS, REQUESTS, statuses, remaining);
        assertThat(statuses.keySet()).containsOnly(200, 429);
        assertThat(statuses.get(200)).isEqualTo((int) CREDITS);
        assertThat(remaining).isZero();
    }

    @Test
    void spendWhenRedisCutAndRestoredThenNeverMoreThanTheCreditsSucceed() throws Exception {
        String redisUrl = System.getenv("GATEKEY_TEST_REDIS_URL");
        assumeTrue(redisUrl != null && !redisUrl.isBlank(), "GATEKEY_TEST_REDIS_URL is not set: Redis credits "
                + "test skipped");
        URI redis = URI.create(redisUrl);
        ApiKey key = keyWithCredits();
        List<TcpProxy> proxies = new ArrayList<>();
        List<Node> nodes = new ArrayList<>();
        Map<Integer, AtomicInteger> counts = new ConcurrentHashMap<>();
        AtomicInteger breakersOpened = new AtomicInteger();
        AtomicInteger breakersBack = new AtomicInteger();
        Logger creditsLog = Logger.getLogger("dev.gatekey.credits.RedisCredits");
        Handler backCounter = new Handler() {
            @Override
            public void publish(LogRecord record) {
                if (record.getMessage().contains("is back")) {
                    breakersBack.incrementAndGet();
                } else if (record.getMessage().contains("unreachable")) {
                    breakersOpened.incrementAndGet();
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        creditsLog.addHandler(backCounter);
        try {
            for (int i = 0; i < NODES; i++) {
                TcpProxy proxy = new TcpProxy(redis.getHost(), redis.getPort() < 0 ? 6379 : redis.getPort());
                proxies.add(proxy);
                nodes.add(node(Map.of("rateLimitStore", "redis", "redisUrl", "redis://127.0.0.1:" + proxy.port()), i));
            }
            send(nodes, key, CUT_AFTER, counts);
            proxies.forEach(TcpProxy::cut);
            send(nodes, key, RESTORED_AFTER - CUT_AFTER, counts);
            proxies.forEach(TcpProxy::restore);
            assertThat(breakersOpened.get()).as("credits breakers opened").isGreaterThanOrEqualTo(NODES);
            // a round of one request per client at a time until every breaker that opened has closed again
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50)).until(() -> {
                send(nodes, key, CLIENTS, counts);
                return breakersBack.get() >= breakersOpened.get();
            });
            send(nodes, key, REQUESTS - RESTORED_AFTER, counts);
        } finally {
            nodes.forEach(Node::close);
            proxies.forEach(TcpProxy::close);
            creditsLog.removeHandler(backCounter);
        }
        Map<Integer, Integer> statuses = statuses(counts);

        long remaining = remaining(key);
        System.out.printf("[credits] redis cut after %d requests, restored after %d: %d nodes, %d clients: "
                + "statuses %s; remaining in the database after the nodes stopped: %d%n", CUT_AFTER,
                RESTORED_AFTER, NODES, CLIENTS, statuses, remaining);
        assertThat(statuses.keySet()).containsOnly(200, 429);
        assertThat(statuses.get(200)).isLessThanOrEqualTo((int) CREDITS);
        assertThat(statuses.get(200) + remaining).isLessThanOrEqualTo(CREDITS);
    }

    /** Starts the nodes, sends the load round-robin, stops the nodes (leases and counters given back). */
    private Map<Integer, Integer> spendOnNodes(ApiKey key, Map<String, String> extraParams) throws Exception {
        List<Node> nodes = new ArrayList<>();
        Map<Integer, AtomicInteger> counts = new ConcurrentHashMap<>();
        try {
            for (int i = 0; i < NODES; i++) {
                nodes.add(node(extraParams, i));
            }
            send(nodes, key, REQUESTS, counts);
        } finally {
            nodes.forEach(Node::close);
        }
        return statuses(counts);
    }

    private Node node(Map<String, String> extraParams, int index) throws Exception {
        Map<String, String> params = new HashMap<>(extraParams);
        params.put("bucket", BUCKET);
        params.put("jdbcUrl", jdbcUrl());
        params.put("failedAttemptsPerIp", "100000/1s");
        return new Node(params, "198.19.0." + (index + 1));
    }

    /** {@code requests} requests from {@value #CLIENTS} concurrent clients, round-robin over the nodes. */
    private static void send(List<Node> nodes, ApiKey key, int requests, Map<Integer, AtomicInteger> counts)
            throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<?>> clients = new ArrayList<>();
            for (int c = 0; c < CLIENTS; c++) {
                int client = c;
                clients.add(pool.submit(() -> {
                    start.await();
                    for (int r = 0; r < requests / CLIENTS; r++) {
                        Node node = nodes.get((client + r) % nodes.size());
                        int status = Load.send(new Load.Call("credits", node.url("/api/ping"), key.key())).status();
                        counts.computeIfAbsent(status, s -> new AtomicInteger()).incrementAndGet();
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : clients) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static Map<Integer, Integer> statuses(Map<Integer, AtomicInteger> counts) {
        Map<Integer, Integer> statuses = new TreeMap<>();
        counts.forEach((status, n) -> statuses.put(status, n.get()));
        return statuses;
    }

    /** A new key with the credits set in its row, before any node caches it (the admin API's own way is p's). */
    private ApiKey keyWithCredits() throws SQLException {
        ApiKey key = keys.consumers().create("credits", BUCKET,
                new NewConsumer("c-" + UUID.randomUUID().toString().substring(0, 8), null, Map.of(), Map.of()), true)
                .apiKeys().get(0);
        try (Connection c = DriverManager.getConnection(jdbcUrl());
                PreparedStatement update = c.prepareStatement(
                        "UPDATE gk_api_key SET credits_remaining = ? WHERE public_id = ?")) {
            update.setLong(1, CREDITS);
            update.setString(2, key.id());
            assertThat(update.executeUpdate()).isEqualTo(1);
        }
        return key;
    }

    private long remaining(ApiKey key) throws SQLException {
        try (Connection c = DriverManager.getConnection(jdbcUrl());
                PreparedStatement select = c.prepareStatement(
                        "SELECT credits_remaining FROM gk_api_key WHERE public_id = ?")) {
            select.setString(1, key.id());
            try (ResultSet row = select.executeQuery()) {
                row.next();
                return row.getLong(1);
            }
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
