package dev.gatekey.filter;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatekey.format.ApiKeyFormat;
import dev.gatekey.testing.InMemoryKeyStore;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code legacyKeys=accept}: imported keys of another format through the filter in embedded Tomcat. */
class LegacyKeysFilterTest {

    private static final String LEGACY = "sk-live-4f9a2c7e11b0d3a58e6f";

    private final FilterServer server = new FilterServer();

    @AfterEach
    void stop() throws Exception {
        server.close();
    }

    private FilterServer startAccepting(String... params) {
        Map<String, String> all = new HashMap<>(Map.of("legacyKeys", "accept"));
        for (int i = 0; i < params.length; i += 2) {
            all.put(params[i], params[i + 1]);
        }
        return server.start(all);
    }

    @Test
    void doFilterWhenLegacyKeysAcceptAndKeyImportedThenPrincipalAndRoles() {
        startAccepting();
        server.store.addLegacyKey(LEGACY, "alice", Map.of("roles", List.of("admin")));

        HttpResponse<String> response = server.getWithKey(LEGACY);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("principal=alice", "authType=API_KEY", "admin=true",
                "authorization=null");
    }

    @Test
    void doFilterWhenLegacyKeysRejectedByDefaultThenUnauthorizedWithoutLookup() {
        server.start();
        server.store.addLegacyKey(LEGACY, "alice", Map.of());

        assertThat(server.getWithKey(LEGACY).statusCode()).isEqualTo(401);
        assertThat(server.store.findCalls).hasValue(0);
    }

    @Test
    void doFilterWhenLegacyKeyLookedUpThenCachedPositiveAndNegative() {
        startAccepting();
        server.store.addLegacyKey(LEGACY, "alice", Map.of());

        assertThat(server.getWithKey(LEGACY).statusCode()).isEqualTo(200);
        assertThat(server.getWithKey(LEGACY).statusCode()).isEqualTo(200);
        assertThat(server.getWithKey("unknown-legacy-key").statusCode()).isEqualTo(401);
        assertThat(server.getWithKey("unknown-legacy-key").statusCode()).isEqualTo(401);

        assertThat(server.store.findCalls).hasValue(2);
    }

    @Test
    void doFilterWhenLegacyKeyUnknownThenFailedAttemptsOfTheAddressUntil429() {
        startAccepting("failedAttemptsPerIp", "2/1m");
        server.store.addLegacyKey(LEGACY, "alice", Map.of());

        assertThat(server.getWithKey("guess-1").statusCode()).isEqualTo(401);
        assertThat(server.getWithKey("guess-2").statusCode()).isEqualTo(401);
        int lookups = server.store.findCalls.get();

        assertThat(server.getWithKey("guess-3").statusCode()).isEqualTo(429);
        assertThat(server.getWithKey(LEGACY).statusCode()).as("not cached yet: no token, no lookup").isEqualTo(429);
        assertThat(server.store.findCalls).hasValue(lookups);
    }

    @Test
    void doFilterWhenLegacyKeyRevokedThroughChangeFeedThenUnauthorized() {
        startAccepting();
        server.store.addLegacyKey(LEGACY, "alice", Map.of());
        assertThat(server.getWithKey(LEGACY).statusCode()).isEqualTo(200);

        server.store.revoke(LEGACY, server.time.instant());
        server.filter.pollOnce();
        HttpResponse<String> response = server.getWithKey(LEGACY);

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.body()).contains("The API key has been revoked.");
    }

    @Test
    void doFilterWhenLegacyKeyOverItsRateLimitThenTooManyRequests() {
        startAccepting("rateLimitPerKey", "1/1m");
        server.store.addLegacyKey(LEGACY, "alice", Map.of());

        assertThat(server.getWithKey(LEGACY).statusCode()).isEqualTo(200);
        assertThat(server.getWithKey(LEGACY).statusCode()).isEqualTo(429);
    }

    @Test
    void doFilterWhenLegacyKeysAcceptAndGatekeyKeyHasBadChecksumThenUnauthorizedWithoutLookup() {
        startAccepting();
        String key = server.store.addKey("alice");
        String broken = key.substring(0, key.length() - 1) + (key.endsWith("A") ? "B" : "A");

        assertThat(server.getWithKey(broken).statusCode()).isEqualTo(401);
        assertThat(server.getWithKey(key).statusCode()).isEqualTo(200);
        assertThat(server.store.findCalls).hasValue(1);
    }

    @Test
    void doFilterWhenLegacyKeysAcceptAndKeyOfAnotherBucketPrefixThenUnauthorizedWithoutLookup() {
        startAccepting();
        String foreign = ApiKeyFormat.crc32().generate(InMemoryKeyStore.OTHER_PREFIX);

        assertThat(server.getWithKey(foreign).statusCode()).isEqualTo(401);
        assertThat(server.store.findCalls).hasValue(0);
    }

    @Test
    void doFilterWhenLegacyCredentialTooLongThenUnauthorizedWithoutLookup() {
        startAccepting();
        String tooLong = "x".repeat(LegacyKeys.MAX_LENGTH + 1);
        server.store.addLegacyKey(tooLong, "alice", Map.of());
        String longest = "y".repeat(LegacyKeys.MAX_LENGTH);
        server.store.addLegacyKey(longest, "bob", Map.of());

        assertThat(server.getWithKey(tooLong).statusCode()).isEqualTo(401);
        assertThat(server.store.findCalls).hasValue(0);
        assertThat(server.getWithKey(longest).statusCode()).isEqualTo(200);
    }
}
