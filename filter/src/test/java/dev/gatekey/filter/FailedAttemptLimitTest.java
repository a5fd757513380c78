package dev.gatekey.filter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.gatekey.format.ApiKeyFormat;
import dev.gatekey.testing.InMemoryKeyStore;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The per-address limit of failed attempts: exact under concurrency, and no lock-out of valid cached keys. */
class FailedAttemptLimitTest {

    private static final int THREADS = 32;
    private static final int LIMIT = 5;

    private final FilterServer server = new FilterServer();
    private final ApiKeyFormat format = ApiKeyFormat.crc32();

    @AfterEach
    void stop() throws Exception {
        server.close();
    }

    private void failUntilBlocked(String limit) {
        String unknown = format.generate(InMemoryKeyStore.PREFIX);
        int attempts = Integer.parseInt(limit.substring(0, limit.indexOf('/')));
        for (int i = 0; i < attempts; i++) {
            assertThat(server.getWithKey(unknown).statusCode()).isEqualTo(401);
        }
        assertThat(server.getWithKey(unknown).statusCode()).isEqualTo(429);
    }

    @Test
    void doFilterWhenIpBlockedAndKeyCachedAsValidThenServed() {
        server.start(Map.of("failedAttemptsPerIp", "3/1m"));
        String key = server.store.addKey("alice");
        assertThat(server.getWithKey(key).statusCode()).isEqualTo(200);

        failUntilBlocked("3/1m");

        HttpResponse<String> response = server.getWithKey(key);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("principal=alice");
    }

    @Test
    void doFilterWhenIpBlockedAndKeyCachedAsRevokedThenStillTooManyRequests() {
        server.start(Map.of("failedAttemptsPerIp", "3/1m"));
        String key = server.store.addKey("alice");
        server.store.revoke(key, server.time.instant());
        assertThat(server.getWithKey(key).statusCode()).isEqualTo(401);

        failUntilBlocked("2/1m");

        assertThat(server.getWithKey(key).statusCode()).isEqualTo(429);
    }

    @Test
    void doFilterWhenIpBlockedAndValidKeyNotCachedThenTooManyRequestsWithoutLookup() {
        server.start(Map.of("failedAttemptsPerIp", "3/1m"));
        String key = server.store.addKey("alice");
        failUntilBlocked("3/1m");
        int lookups = server.store.findCalls.get();

        assertThat(server.getWithKey(key).statusCode()).isEqualTo(429);
        assertThat(server.store.findCalls).hasValue(lookups);
    }

    @Test
    void doFilterWhenValidKeyLookedUpThenItsTokenIsGivenBack() {
        server.start(Map.of("failedAttemptsPerIp", "2/1m"));
        String unknown = format.generate(InMemoryKeyStore.PREFIX);
        for (int i = 0; i < 5; i++) {
            assertThat(server.getWithKey(server.store.addKey("user" + i)).statusCode()).isEqualTo(200);
        }

        assertThat(server.getWithKey(unknown).statusCode()).isEqualTo(401);
        assertThat(server.getWithKey(unknown).statusCode()).isEqualTo(401);
        assertThat(server.getWithKey(unknown).statusCode()).isEqualTo(429);
    }

    @Test
    void doFilterWhenUnknownKeysFrom32ConcurrentClientsOfOneIpThenFailuresStayWithinTheLimit() throws Exception {
        server.threads = THREADS;
        server.start(Map.of("failedAttemptsPerIp", LIMIT + "/1h"));
        CountDownLatch gate = new CountDownLatch(1);
        server.store.lookupGate = gate;
        AtomicInteger refused = new AtomicInteger();
        ExecutorService clients = Executors.newFixedThreadPool(THREADS);
        try {
            List<Future<Integer>> statuses = new ArrayList<>();
            for (int i = 0; i < THREADS; i++) {
                String key = format.generate(InMemoryKeyStore.PREFIX);
                statuses.add(clients.submit(() -> {
                    int status = server.statusWithKey(key);
                    if (status == 429) {
                        refused.incrementAndGet();
                    }
                    return status;
                }));
            }
            // the lookups hang until the gate opens: wait until every request beyond the limit has been refused, or
            // until more lookups than the limit hang there (counting failures after the lookup let 29 to 32 of 32 fail).
            // Not "refused + lookups == 32": two hanging loads whose hashes share a cache bin wait for each other
            // before the second reaches the store.
            await().atMost(Duration.ofSeconds(60)).until(() -> refused.get() == THREADS - LIMIT
                    || server.store.findCalls.get() > LIMIT);
            gate.countDown();
            int failures = 0;
            for (Future<Integer> status : statuses) {
                failures += status.get() == 401 ? 1 : 0;
            }

            assertThat(failures).isEqualTo(LIMIT);
            assertThat(refused).hasValue(THREADS - LIMIT);
            assertThat(server.store.findCalls).hasValue(LIMIT);
        } finally {
            gate.countDown();
            clients.shutdownNow();
        }
    }
}
