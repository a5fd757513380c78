package dev.gatekey.bench;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.gatekey.format.ApiKeyFormat;
import dev.gatekey.persistence.GatekeyDatabase;
import dev.gatekey.persistence.JpaKeyStore;
import dev.gatekey.persistence.KeyManagement;
import dev.gatekey.store.KeyHashes;
import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/** Scratch: CPU per findByHash on this thread. */
public final class LookupProbe {
    public static void main(String[] args) throws Exception {
        String url = System.getenv("GATEKEY_TEST_JDBC_URL");
        try (var c = java.sql.DriverManager.getConnection(url); var s = c.createStatement()) {
            s.execute("DROP SCHEMA IF EXISTS gk_probe CASCADE");
            s.execute("CREATE SCHEMA gk_probe");
        }
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url + "&currentSchema=gk_probe");
        config.setMaximumPoolSize(2);
        var mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        try (HikariDataSource pool = new HikariDataSource(config); GatekeyDatabase db = GatekeyDatabase.open(pool)) {
            KeyManagement km = new KeyManagement(db, ApiKeyFormat.crc32(), null, Clock.systemUTC());
            km.createBucket("bench", "demo-live", null, "demo_live", false);
            List<String> hashes = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                hashes.add(KeyHashes.sha256Hex(km.createConsumer("bench", "demo-live",
                        KeyManagement.NewConsumer.named("c" + i), true).apiKeys().get(0).key()));
            }
            JpaKeyStore store = new JpaKeyStore(db);
            for (int round = 0; round < 6; round++) {
                long cpu = mx.getCurrentThreadCpuTime();
                long alloc = mx.getThreadAllocatedBytes(Thread.currentThread().getId());
                int n = 20_000;
                for (int i = 0; i < n; i++) {
                    store.findByHash(hashes.get(i % hashes.size())).orElseThrow();
                }
                System.out.printf("findByHash: %.1f us CPU, %d B per call%n",
                        (mx.getCurrentThreadCpuTime() - cpu) / 1000.0 / n,
                        (mx.getThreadAllocatedBytes(Thread.currentThread().getId()) - alloc) / n);
            }
        }
    }
}
