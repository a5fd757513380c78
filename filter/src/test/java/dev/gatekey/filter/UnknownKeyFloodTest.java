package dev.gatekey.filter;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatekey.format.ApiKeyFormat;
import dev.gatekey.testing.InMemoryKeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Floods of forged keys with valid CRC-32 checksums against a store that lists its keys: they stop at the node's
 * known-key filter, while keys created a moment ago on "another node" (the store, its feed) still work at once.
 * The filter's ticker does not move, so the lookup budget does not refill during a test.
 */
class UnknownKeyFloodTest {

    private static final int FORGED = 600;
    private static final int CLIENTS = 32;
    /** The failed-attempt limit is per address; a flood from many addresses never meets it. */
    private static final Map<String, String> MANY_ADDRESSES = Map.of("failedAttemptsPerIp", "1000000/1s");

    private final FilterServer server = new FilterServer();
    private final ApiKeyFormat format = ApiKeyFormat.crc32();

    @BeforeEach
    void listKeys() {
        server.store.listsKeys = true;
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
    }

    private void spendTheBudget() {
        for (int i = 0; i < UnknownKeys.LOOKUPS_PER_SECOND; i++) {
            assertThat(server.getWithKey(format.generate(InMemoryKeyStore.PREFIX)).statusCode()).isEqualTo(401);
        }
    }

    @Test
    void doFilterWhenDistinctForgedKeysFloodThenAtMostFivePercentReachTheStore() throws Exception {
        server.threads = CLIENTS;
        server.start(MANY_ADDRESSES);
        String valid = server.store.addKey("alice");
        assertThat(server.getWithKey(valid).statusCode()).isEqualTo(200);
        int before = server.store.findCalls.get();
        int feedReadsBefore = server.store.feedReads.get();
        long start = System.nanoTime();
        ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
        try {
            List<Future<Integer>> statuses = new ArrayList<>();
            for (int i = 0; i < FORGED; i++) {
                String forged = format.generate(InMemoryKeyStore.PREFIX);
                statuses.add(clients.submit(() -> server.statusWithKey(forged)));
            }
            for (Future<Integer> status : statuses) {
                assertThat(status.get()).isEqualTo(401);
            }
        } finally {
            clients.shutdownNow();
        }

        assertThat(server.store.findCalls.get() - before).isLessThanOrEqualTo(FORGED * 5 / 100);
        // demanded polls are at least 20 ms apart and the regular one runs every second, however many requests wait
        long elapsedMillis = Duration.ofNanos(System.nanoTime() - start).toMillis();
        assertThat(server.store.feedReads.get() - feedReadsBefore)
                .isLessThanOrEqualTo((int) (elapsedMillis / FeedPolls.MIN_SPACING.toMillis() + elapsedMillis / 1000 + 2));
        assertThat(server.count("gatekey.requests", "outcome", "unknown")).isEqualTo(FORGED);
        assertThat(server.getWithKey(valid).statusCode()).isEqualTo(200);
    }

    @Test
    void doFilterWhenKeyCreatedAfterTheBudgetIsSpentThenAcceptedAtOnce() {
        server.start(MANY_ADDRESSES);
        spendTheBudget();

        String created = server.store.addKey("bob");

        assertThat(server.getWithKey(created).statusCode()).isEqualTo(200);
    }

    @Test
    void doFilterWhenBudgetSpentThenForgedKeysNeverReachTheStore() {
        server.start(MANY_ADDRESSES);
        spendTheBudget();
        int lookups = server.store.findCalls.get();

        for (int i = 0; i < 5; i++) {
            assertThat(server.getWithKey(format.generate(InMemoryKeyStore.PREFIX)).statusCode()).isEqualTo(401);
        }

        assertThat(server.store.findCalls).hasValue(lookups);
    }

    @Test
    void doFilterWhenKeyExistedBeforeStartThenAcceptedWithoutTheBudget() {
        String existing = server.store.addKey("carol");
        server.start(MANY_ADDRESSES);
        spendTheBudget();

        assertThat(server.getWithKey(existing).statusCode()).isEqualTo(200);
    }

    @Test
    void doFilterWhenDatabaseDownAfterTheBudgetIsSpentThenServiceUnavailableNotUnknown() {
        server.start(MANY_ADDRESSES);
        spendTheBudget();
        server.store.feedDown = true;
        server.store.storeDown = true;
        server.filter.pollOnce();

        assertThat(server.getWithKey(format.generate(InMemoryKeyStore.PREFIX)).statusCode()).isEqualTo(503);
    }

    @Test
    void doFilterWhenStoreDoesNotListKeysThenEveryUnknownKeyIsLookedUp() {
        server.store.listsKeys = false;
        server.start(MANY_ADDRESSES);
        spendTheBudget();
        int lookups = server.store.findCalls.get();

        assertThat(server.getWithKey(format.generate(InMemoryKeyStore.PREFIX)).statusCode()).isEqualTo(401);

        assertThat(server.store.findCalls).hasValue(lookups + 1);
    }
}
