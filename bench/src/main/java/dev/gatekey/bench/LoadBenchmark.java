package dev.gatekey.bench;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.gatekey.filter.ApiKeyFilter;
import dev.gatekey.format.ApiKeyFormat;
import dev.gatekey.format.Base62;
import dev.gatekey.metrics.GatekeyMetrics;
import dev.gatekey.store.KeyHashes;
import dev.gatekey.persistence.GatekeyDatabase;
import dev.gatekey.persistence.JpaKeyStore;
import dev.gatekey.persistence.KeyManagement;
import dev.gatekey.persistence.NewConsumer;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import jakarta.servlet.Filter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;
import org.apache.catalina.Context;
import org.apache.catalina.startup.Tomcat;
import org.apache.catalina.valves.RemoteIpValve;
import org.apache.tomcat.util.descriptor.web.FilterDef;
import org.apache.tomcat.util.descriptor.web.FilterMap;

/**
 * The load benchmark of {@code docs/performance.md}: one JVM runs embedded Tomcat with
 * <ul>
 *   <li>{@code /public/ping}: no filter;</li>
 *   <li>{@code /api/ping}: the Gatekey filter (defaults, on PostgreSQL through {@code jdbcUrl});</li>
 *   <li>{@code /miss/ping}: a Gatekey filter whose cache holds one entry, so every request is a lookup;</li>
 *   <li>{@code /jdbc/ping}: a hand-written filter, SHA-256 and a JDBC SELECT per request, same database;</li>
 *   <li>{@code /floor/ping}: {@link FloorFilter}, the least an API key filter does (header, attribute, wrapper);</li>
 * </ul>
 * behind Tomcat's {@code RemoteIpValve}, so flood requests can come "from" many addresses through
 * {@code X-Forwarded-For} while all traffic stays on loopback. Keep-alive connections in the same JVM drive each
 * scenario in turn, in interleaved rounds; CPU time and allocation are read from the server threads' own counters,
 * so the load generator's share is not counted. Then, in process, {@link HotPath} hands Tomcat's own request objects
 * straight to the unfiltered handler, the floor filter and Gatekey, and the lookup alone is timed on one thread. It
 * reports; it asserts nothing.
 *
 * <p>System properties: {@code bench.rounds} (6), {@code bench.seconds} per scenario and round (5),
 * {@code bench.connections} (16), {@code bench.out} (the Markdown report), {@code bench.only} (scenario names,
 * comma separated; all by default), {@code bench.jdbcUrl} (else
 * {@code GATEKEY_TEST_JDBC_URL}; a PostgreSQL URL: the benchmark works in its own schema {@value #SCHEMA}).
 */
public final class LoadBenchmark {

    static final String SCHEMA = "gk_bench";
    static final String BUCKET = "demo-live";
    static final String PREFIX = "demo_live";
    /** Distinct valid keys the miss scenario cycles through. */
    static final int MISS_KEYS = 2_000;
    /** Connections that send the valid key in the two "beside" scenarios; the others make the background. */
    static final int VALID_CONNECTIONS = 2;

    private final int rounds = Integer.getInteger("bench.rounds", 6);
    private final int seconds = Integer.getInteger("bench.seconds", 5);
    private final int connections = Integer.getInteger("bench.connections", 16);
    private final ApiKeyFormat format = ApiKeyFormat.crc32();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final ApiKeyFilter gatekey = new ApiKeyFilter();
    private HandWrittenFilter handWritten;
    private FloorFilter floor;
    private Context context;
    private int port;

    public static void main(String[] args) throws Exception {
        String url = System.getProperty("bench.jdbcUrl", System.getenv("GATEKEY_TEST_JDBC_URL"));
        if (url == null || !url.startsWith("jdbc:postgresql:")) {
            System.err.println("Set GATEKEY_TEST_JDBC_URL (or -Dbench.jdbcUrl) to a PostgreSQL JDBC URL, e.g. "
                    + "jdbc:postgresql://127.0.0.1:5432/test?user=postgres");
            System.exit(2);
        }
        Path out = Path.of(System.getProperty("bench.out", "target/load-results.md"));
        new LoadBenchmark().run(url, out);
        System.exit(0);
    }

    /** One scenario: which request each connection sends, and whose latencies count. */
    record Scenario(String name, String what, IntFunction<Traffic> traffic, boolean onlyValidLatencies) {
    }

    /** A connection's requests: a fixed one, or a fresh one per request. */
    interface Traffic {
        byte[] next();
    }

    record Result(String scenario, int round, long requests, long errors, double seconds, long cpuNanos,
            long allocatedBytes, long storeQueries, long p50Micros, long p99Micros) {
        double perSecond() {
            return requests / seconds;
        }

        double cpuMicrosPerRequest() {
            return cpuNanos / 1000.0 / requests;
        }

        double bytesPerRequest() {
            return (double) allocatedBytes / requests;
        }

        double storeShare() {
            return (double) storeQueries / requests;
        }
    }

    private void run(String url, Path out) throws Exception {
        ServerThreads.enable();
        String schemaUrl = createSchema(url);
        List<String> keys = seed(schemaUrl);
        String cached = keys.get(0);
        HikariConfig handPool = new HikariConfig();
        handPool.setJdbcUrl(schemaUrl);
        handPool.setMaximumPoolSize(5);
        handPool.setPoolName("handwritten");
        try (HikariDataSource handWrittenPool = new HikariDataSource(handPool)) {
            handWritten = new HandWrittenFilter(handWrittenPool);
            Tomcat tomcat = startTomcat(schemaUrl, cached);
            try {
                List<String> only = List.of(System.getProperty("bench.only", "").split(","));
                List<Scenario> scenarios = scenarios(cached, keys).stream()
                        .filter(s -> only.contains("") || only.contains(s.name())).toList();
                System.out.printf(Locale.ROOT, "warm-up: %d scenarios x %d s%n", scenarios.size(), seconds);
                for (Scenario scenario : scenarios) {
                    measure(scenario, 0);
                }
                List<Result> results = new ArrayList<>();
                for (int round = 1; round <= rounds; round++) {
                    // interleaved: each round starts one scenario later, so drift in the machine's load spreads
                    for (int i = 0; i < scenarios.size(); i++) {
                        Scenario scenario = scenarios.get((i + round - 1) % scenarios.size());
                        Result result = measure(scenario, round);
                        results.add(result);
                        System.out.printf(Locale.ROOT, "round %d %-26s %9.0f req/s %8.1f us CPU %8.0f B  p99 %6d us"
                                + "  store %.3f%n", round, scenario.name(), result.perSecond(),
                                result.cpuMicrosPerRequest(), result.bytesPerRequest(), result.p99Micros(),
                                result.storeShare());
                    }
                }
                String report = Report.markdown(scenarios, results, rounds, seconds, connections)
                        + new HotPath(context, "Bearer " + cached).report(gatekey, floor, rounds)
                        + lookups(schemaUrl, keys);
                Files.createDirectories(out.toAbsolutePath().getParent());
                Files.writeString(out, report);
                System.out.println(report);
                System.out.println("written to " + out.toAbsolutePath());
            } finally {
                tomcat.stop();
                tomcat.destroy();
            }
        } finally {
            execute(url, "DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE");
        }
    }

    /**
     * The lookup alone, in process, on this one thread: {@code JpaKeyStore.findByHash} (with the SHA-256 the filter
     * computes) against the hand-written SHA-256 + SELECT, interleaved, each on its own 5-connection pool. The JVM
     * CPU per lookup, without HTTP around it.
     */
    private String lookups(String schemaUrl, List<String> keys) throws SQLException {
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory
                .getThreadMXBean();
        long id = Thread.currentThread().getId();
        int calls = 20_000;
        List<Double> gatekeyCpu = new ArrayList<>();
        List<Double> handCpu = new ArrayList<>();
        List<Double> gatekeyBytes = new ArrayList<>();
        List<Double> handBytes = new ArrayList<>();
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(schemaUrl);
        config.setMaximumPoolSize(5);
        config.setPoolName("lookups");
        try (HikariDataSource pool = new HikariDataSource(config);
                GatekeyDatabase database = GatekeyDatabase.open(pool);
                HikariDataSource handPool = new HikariDataSource(config)) {
            JpaKeyStore store = new JpaKeyStore(database);
            HandWrittenFilter hand = new HandWrittenFilter(handPool);
            for (int round = 0; round <= rounds; round++) {
                long cpu = mx.getCurrentThreadCpuTime();
                long bytes = mx.getThreadAllocatedBytes(id);
                for (int i = 0; i < calls; i++) {
                    store.findByHash(KeyHashes.sha256Hex(keys.get(i % keys.size()))).orElseThrow();
                }
                long cpuMid = mx.getCurrentThreadCpuTime();
                long bytesMid = mx.getThreadAllocatedBytes(id);
                for (int i = 0; i < calls; i++) {
                    if (hand.lookUp(keys.get(i % keys.size())) == null) {
                        throw new IllegalStateException("seeded key not found");
                    }
                }
                if (round > 0) {
                    gatekeyCpu.add((cpuMid - cpu) / 1000.0 / calls);
                    gatekeyBytes.add((double) (bytesMid - bytes) / calls);
                    handCpu.add((mx.getCurrentThreadCpuTime() - cpuMid) / 1000.0 / calls);
                    handBytes.add((double) (mx.getThreadAllocatedBytes(id) - bytesMid) / calls);
                }
            }
        }
        return String.format(Locale.ROOT, "%nThe lookup alone, in process, one thread, %d rounds of %,d calls after "
                + "one warm-up round (medians, min–max):%n%n| lookup | JVM CPU µs/call | allocated B/call |%n"
                + "|---|---:|---:|%n"
                + "| `JpaKeyStore.findByHash` + `KeyHashes.sha256Hex` | %.1f (%.1f–%.1f) | %,.0f |%n"
                + "| hand-written `MessageDigest` SHA-256 + SELECT | %.1f (%.1f–%.1f) | %,.0f |%n", rounds, calls,
                Report.median(gatekeyCpu), Report.min(gatekeyCpu), Report.max(gatekeyCpu),
                Report.median(gatekeyBytes), Report.median(handCpu), Report.min(handCpu), Report.max(handCpu),
                Report.median(handBytes));
    }

    private List<Scenario> scenarios(String cached, List<String> keys) {
        byte[] publicPing = HttpConnection.request("/public/ping", "Authorization: Bearer " + cached);
        byte[] apiPing = HttpConnection.request("/api/ping", "Authorization: Bearer " + cached);
        byte[] jdbcPing = HttpConnection.request("/jdbc/ping", "Authorization: Bearer " + cached);
        byte[] floorPing = HttpConnection.request("/floor/ping", "Authorization: Bearer " + cached);
        List<byte[]> missRequests = new ArrayList<>();
        for (String key : keys) {
            missRequests.add(HttpConnection.request("/miss/ping", "Authorization: Bearer " + key));
        }
        AtomicLong missCursor = new AtomicLong();
        Traffic miss = () -> missRequests.get((int) (missCursor.getAndIncrement() % missRequests.size()));
        return List.of(
                new Scenario("public", "`/public/ping`, no filter", c -> () -> publicPing, false),
                new Scenario("gatekey-cached", "`/api/ping`, Gatekey, one valid key (cached)",
                        c -> () -> apiPing, false),
                new Scenario("floor", "`/floor/ping`, the least an API key filter does: read the header, compare it "
                        + "with one known key, set the principal attribute, wrap the request", c -> () -> floorPing,
                        false),
                new Scenario("handwritten-valid", "`/jdbc/ping`, hand-written SHA-256 + SELECT, valid key",
                        c -> () -> jdbcPing, false),
                new Scenario("gatekey-miss", "`/miss/ping`, Gatekey with a 1-entry cache: " + MISS_KEYS
                        + " valid keys, each request a lookup", c -> miss, false),
                new Scenario("gatekey-forged-flood", "`/api/ping`, Gatekey, distinct forged keys (valid CRC-32), "
                        + "random client addresses", c -> () -> forged("/api/ping"), false),
                new Scenario("handwritten-forged-flood", "`/jdbc/ping`, hand-written, distinct forged keys, random "
                        + "client addresses", c -> () -> forged("/jdbc/ping"), false),
                new Scenario("valid-beside-pings", VALID_CONNECTIONS + " connections with the cached key on "
                        + "`/api/ping`, the others on `/public/ping` (latency of the valid key)",
                        c -> c < VALID_CONNECTIONS ? () -> apiPing : () -> publicPing, true),
                new Scenario("valid-beside-flood", VALID_CONNECTIONS + " connections with the cached key on "
                        + "`/api/ping`, the others forged keys on `/api/ping` (latency of the valid key)",
                        c -> c < VALID_CONNECTIONS ? () -> apiPing : () -> forged("/api/ping"), true));
    }

    /** A key nobody created, with a valid checksum, from a random client address. */
    private byte[] forged(String path) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        char[] body = new char[ApiKeyFormat.BODY_LENGTH];
        for (int i = 0; i < body.length; i++) {
            body[i] = Base62.ALPHABET.charAt(random.nextInt(Base62.ALPHABET.length()));
        }
        String prefixAndBody = PREFIX + "_" + new String(body);
        String key = prefixAndBody + "_" + format.checksum(prefixAndBody);
        String address = "10." + random.nextInt(256) + "." + random.nextInt(256) + "." + random.nextInt(1, 255);
        return HttpConnection.request(path, "Authorization: Bearer " + key, "X-Forwarded-For: " + address);
    }

    private Result measure(Scenario scenario, int round) throws InterruptedException {
        long lookupsBefore = storeLookups();
        long handBefore = handWritten.queries.get();
        Map<Long, ServerThreads.Snapshot> before = ServerThreads.perThread();
        long start = System.nanoTime();
        long deadline = start + seconds * 1_000_000_000L;
        List<LoadClient> clients = new ArrayList<>();
        for (int c = 0; c < connections; c++) {
            LoadClient client = new LoadClient(port, scenario.traffic().apply(c), deadline,
                    !scenario.onlyValidLatencies() || c < VALID_CONNECTIONS);
            client.setName("bench-client-" + c);
            clients.add(client);
        }
        clients.forEach(Thread::start);
        for (LoadClient client : clients) {
            client.join();
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        ServerThreads.Snapshot used = ServerThreads.between(before, ServerThreads.perThread());
        long store = (storeLookups() - lookupsBefore) + (handWritten.queries.get() - handBefore);
        long requests = 0;
        long errors = 0;
        List<long[]> latencies = new ArrayList<>();
        for (LoadClient client : clients) {
            requests += client.requests;
            errors += client.errors;
            if (client.recordLatency) {
                latencies.add(Arrays.copyOf(client.latencies, client.count));
            }
        }
        long[] all = latencies.stream().flatMapToLong(Arrays::stream).sorted().toArray();
        return new Result(scenario.name(), round, requests, errors, elapsed, used.cpuNanos(), used.allocatedBytes(),
                store, percentile(all, 0.50), percentile(all, 0.99));
    }

    private static long percentile(long[] sortedNanos, double p) {
        if (sortedNanos.length == 0) {
            return 0;
        }
        return sortedNanos[Math.min(sortedNanos.length - 1, (int) Math.ceil(p * sortedNanos.length) - 1)] / 1000;
    }

    private long storeLookups() {
        Counter counter = registry.find(GatekeyMetrics.STORE_LOOKUPS).counter();
        return counter == null ? 0 : (long) counter.count();
    }

    private Tomcat startTomcat(String schemaUrl, String cachedKey) throws Exception {
        Path base = Files.createTempDirectory("gatekey-bench");
        Tomcat tomcat = new Tomcat();
        tomcat.setBaseDir(base.toString());
        tomcat.setPort(0);
        // the load generator keeps its connections for the whole run
        tomcat.getConnector().setProperty("maxKeepAliveRequests", "-1");
        context = tomcat.addContext("", base.toString());
        context.addServletContainerInitializer(
                (classes, ctx) -> ctx.setAttribute(GatekeyMetrics.METER_REGISTRY_ATTRIBUTE, registry), null);
        Tomcat.addServlet(context, "ping", new PingServlet()).addMapping("/*");
        // a valve, as a deployment behind a proxy has it: it sets the client address on the request itself (the
        // filter of the same name wraps every request and copies its headers, a cost no Gatekey figure should carry)
        context.getPipeline().addValve(new RemoteIpValve());
        addFilter(context, "gatekey", gatekey, Map.of("bucket", BUCKET, "jdbcUrl", schemaUrl), "/api/*");
        addFilter(context, "gatekey-miss", new ApiKeyFilter(),
                Map.of("bucket", BUCKET, "jdbcUrl", schemaUrl, "cacheMaximumSize", "1"), "/miss/*");
        addFilter(context, "handwritten", handWritten, Map.of(), "/jdbc/*");
        floor = new FloorFilter(cachedKey);
        addFilter(context, "floor", floor, Map.of(), "/floor/*");
        tomcat.start();
        port = tomcat.getConnector().getLocalPort();
        return tomcat;
    }

    private static void addFilter(Context context, String name, Filter filter, Map<String, String> params,
            String pattern) {
        FilterDef def = new FilterDef();
        def.setFilterName(name);
        def.setFilterClass(filter.getClass().getName());
        def.setFilter(filter);
        params.forEach(def::addInitParameter);
        context.addFilterDef(def);
        FilterMap map = new FilterMap();
        map.setFilterName(name);
        map.addURLPattern(pattern);
        context.addFilterMap(map);
    }

    private static String createSchema(String url) throws SQLException {
        execute(url, "DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE");
        execute(url, "CREATE SCHEMA " + SCHEMA);
        return url + (url.contains("?") ? "&" : "?") + "currentSchema=" + SCHEMA;
    }

    private static void execute(String url, String sql) throws SQLException {
        try (Connection connection = DriverManager.getConnection(url);
                Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    /** The bucket and {@value #MISS_KEYS} consumers with one key each, through the product's own service. */
    private List<String> seed(String schemaUrl) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(schemaUrl);
        config.setMaximumPoolSize(2);
        config.setPoolName("seed");
        List<String> keys = new ArrayList<>();
        try (HikariDataSource pool = new HikariDataSource(config);
                GatekeyDatabase database = GatekeyDatabase.open(pool)) {
            KeyManagement km = new KeyManagement(database, format, null, Clock.systemUTC());
            km.buckets().create("bench", BUCKET, "load benchmark", PREFIX, false);
            long start = System.nanoTime();
            for (int i = 0; i < MISS_KEYS; i++) {
                keys.add(km.consumers().create("bench", BUCKET, NewConsumer.named("c" + i), true)
                        .apiKeys().get(0).key());
            }
            System.out.printf(Locale.ROOT, "seeded %d keys in %.1f s (%s)%n", MISS_KEYS,
                    (System.nanoTime() - start) / 1e9, Instant.now());
        }
        return keys;
    }

    static Map<String, List<Result>> byScenario(List<Result> results) {
        Map<String, List<Result>> map = new LinkedHashMap<>();
        for (Result result : results) {
            map.computeIfAbsent(result.scenario(), k -> new ArrayList<>()).add(result);
        }
        return map;
    }
}
