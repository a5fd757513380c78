package dev.gatekey.migration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.gatekey.faults.Node;
import dev.gatekey.format.ApiKeyFormat;
import dev.gatekey.persistence.GatekeyDatabase;
import dev.gatekey.persistence.ImportResult;
import dev.gatekey.persistence.ImportedKey;
import dev.gatekey.persistence.KeyManagement;
import dev.gatekey.store.KeyHashes;
import dev.gatekey.store.StoreSettings;
import dev.gatekey.testsupport.http.HttpTransport;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Keys imported through {@code ImportService} and the filter with {@code legacyKeys=accept} on the real key store
 * (H2 in this JVM, opened by the filter from its {@code jdbcUrl} as a user configures it): an imported key
 * authenticates, an unknown legacy credential is 401 and a failed attempt, a revoked one is 401 within the change
 * feed's interval. The PostgreSQL run of the migration guide is {@link LegacyKeyMigrationTest}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LegacyKeysThroughFilterTest {

    private static final String BUCKET = "legacy-h2";
    private static final HttpClient CLIENT = HttpTransport.client();

    private final String jdbcUrl = "jdbc:h2:mem:gk-legacy-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
    private GatekeyDatabase database;
    private KeyManagement keys;

    @BeforeAll
    void open() {
        database = GatekeyDatabase.open(StoreSettings.jdbc(jdbcUrl, null, null));
        keys = new KeyManagement(database, ApiKeyFormat.crc32(), null, Clock.systemUTC());
        keys.buckets().create("test", BUCKET, null, "legacyh2", false);
    }

    @AfterAll
    void close() {
        database.close();
    }

    private String importKey(String consumer, String legacyKey) {
        ImportResult result = keys.imports().importKeys("test", BUCKET,
                List.of(ImportedKey.of(consumer, "sha256:" + KeyHashes.sha256Hex(legacyKey)))).get(0);
        assertThat(result.status()).isEqualTo(ImportResult.Status.CREATED);
        return result.keyId();
    }

    private Node node(String remoteAddress, String failedAttempts) throws Exception {
        return new Node(Map.of("bucket", BUCKET, "jdbcUrl", jdbcUrl, "legacyKeys", "accept",
                "changePollMillis", "100", "failedAttemptsPerIp", failedAttempts), remoteAddress);
    }

    private static int status(Node node, String key) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(node.url("/api/ping")))
                .header("Authorization", "Bearer " + key).timeout(Duration.ofSeconds(20)).build();
        return CLIENT.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    @Test
    void doFilterWhenImportedKeyThenServed() throws Exception {
        String legacy = "h2-legacy-" + UUID.randomUUID();
        importKey("acme", legacy);
        try (Node node = node("10.19.1.1", "30/1m")) {
            assertThat(status(node, legacy)).isEqualTo(200);
        }
    }

    @Test
    void doFilterWhenKeyImportedWhileRunningThenServedWithinAPoll() throws Exception {
        try (Node node = node("10.19.1.2", "30/1m")) {
            String legacy = "h2-late-" + UUID.randomUUID();
            importKey("late", legacy);
            await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(50))
                    .until(() -> status(node, legacy) == 200);
        }
    }

    @Test
    void doFilterWhenUnknownLegacyCredentialThenUnauthorizedAndAFailedAttempt() throws Exception {
        try (Node node = node("10.19.1.3", "2/1m")) {
            assertThat(status(node, "never-imported-1")).isEqualTo(401);
            assertThat(status(node, "never-imported-2")).isEqualTo(401);
            assertThat(status(node, "never-imported-3")).isEqualTo(429);
        }
    }

    @Test
    void doFilterWhenImportedKeyRevokedThenUnauthorizedWithinTheChangeFeedInterval() throws Exception {
        String legacy = "h2-revoke-" + UUID.randomUUID();
        String keyId = importKey("revoked", legacy);
        try (Node node = node("10.19.1.4", "30/1m")) {
            assertThat(status(node, legacy)).isEqualTo(200);

            keys.keys().revoke("test", BUCKET, "revoked", keyId);

            await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(50))
                    .until(() -> status(node, legacy) == 401);
        }
    }
}
