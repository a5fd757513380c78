package dev.gatekey.filter;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatekey.testing.InMemoryKeyStore;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class UsageCountingFilterTest {

    private final FilterServer server = new FilterServer();

    @AfterEach
    void stop() throws Exception {
        server.close();
    }

    @Test
    void doFilterWhenRequestsValidAndRefusedThenCountedPerKeyAndPerBucket() {
        server.start();
        String key = server.store.addKey("alice");
        String revoked = server.store.addKey("bob");
        server.store.revoke(revoked, server.time.instant());
        String forged = key.substring(0, key.length() - 1) + (key.endsWith("A") ? "B" : "A");

        server.getWithKey(key);
        server.getWithKey(key);
        server.getWithKey(revoked);
        server.getWithKey(forged);
        server.get("/api");
        server.filter.flushUsage();

        assertThat(server.store.usageTotal(server.store.stored(key).keyId(), "valid")).isEqualTo(2);
        assertThat(server.store.usageTotal(server.store.stored(revoked).keyId(), "revoked")).isEqualTo(1);
        assertThat(server.store.usageTotal(null, "bad_checksum")).isEqualTo(1);
        assertThat(server.store.usageTotal(null, "missing")).isEqualTo(1);
        assertThat(server.store.usageBatches.get(0)).allSatisfy(
                c -> assertThat(c.bucket()).isEqualTo(InMemoryKeyStore.BUCKET));
    }

    @Test
    void destroyWhenCountsPendingThenWritten() throws Exception {
        server.start();
        String key = server.store.addKey("alice");
        server.getWithKey(key);

        server.close();

        assertThat(server.store.usageTotal(server.store.stored(key).keyId(), "valid")).isEqualTo(1);
    }

    @Test
    void doFilterWhenUsageCountingOffThenNothingWritten() throws Exception {
        server.start(Map.of("usageCounting", "false"));
        String key = server.store.addKey("alice");
        server.getWithKey(key);

        server.close();

        assertThat(server.store.usageBatches).isEmpty();
        assertThat(server.store.rollUps).isEmpty();
    }
}
