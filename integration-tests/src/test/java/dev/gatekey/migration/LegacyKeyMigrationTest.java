package dev.gatekey.migration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gatekey.faults.Node;
import dev.gatekey.format.ApiKeyFormat;
import dev.gatekey.persistence.ApiKey;
import dev.gatekey.persistence.GatekeyDatabase;
import dev.gatekey.persistence.ImportResult;
import dev.gatekey.persistence.ImportedKey;
import dev.gatekey.persistence.KeyFormat;
import dev.gatekey.persistence.KeyManagement;
import dev.gatekey.store.KeyHashes;
import dev.gatekey.store.StoreSettings;
import dev.gatekey.testsupport.http.HttpTransport;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/**
 * The tested example of {@code docs/migrating.md}, on PostgreSQL in a schema of its own: a hand-written
 * {@code api_keys} table with plaintext and SHA-256 keys, the guide's export query run as the guide writes it,
 * the import, the old keys through the filter with {@code legacyKeys=accept} (and the real key store), failed
 * attempts, revocation through the change feed, and a roll to a Gatekey key.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@EnabledIfEnvironmentVariable(named = "GATEKEY_TEST_JDBC_URL", matches = ".+",
        disabledReason = "GATEKEY_TEST_JDBC_URL is not set: the migration guide's PostgreSQL example is skipped")
class LegacyKeyMigrationTest {

    private static final String BUCKET = "legacy-live";
    private static final String PLAIN_KEY = "acme-7f3c9a1b2d4e5f60";
    private static final String HASHED_KEY = "gx_live_Q2xhc3NpY0tleQ";
    private static final String REVOKED_KEY = "old-revoked-key-0001";
    private static final String EXPIRED_KEY = "old-expired-key-0002";
    private static final String LEGACY_TABLE = """
            CREATE TABLE api_keys (
                id          bigserial PRIMARY KEY,
                customer    text        NOT NULL,
                plan        text,
                api_key     text,
                key_sha256  text,
                label       text,
                created_at  timestamptz NOT NULL DEFAULT now(),
                expires_at  timestamptz,
                revoked     boolean     NOT NULL DEFAULT false
            )""";
    private static final HttpClient CLIENT = HttpTransport.client();
    private static final TypeReference<Map<String, Object>> METADATA = new TypeReference<>() {
    };

    private String baseJdbcUrl;
    private String schema;
    private GatekeyDatabase database;
    private KeyManagement keys;
    private List<ImportResult> imported;
    private String exportedJson;

    @BeforeAll
    void migrate() throws Exception {
        baseJdbcUrl = System.getenv("GATEKEY_TEST_JDBC_URL");
        schema = "gk_migration_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12)
                .toLowerCase(Locale.ROOT);
        execute(baseJdbcUrl, "CREATE SCHEMA " + schema);
        database = GatekeyDatabase.open(StoreSettings.jdbc(jdbcUrl(), null, null));
        keys = new KeyManagement(database, ApiKeyFormat.crc32(), null, Clock.systemUTC());
        keys.buckets().create("migration", BUCKET, "imported keys", "acme_live", false);
        try (Connection c = DriverManager.getConnection(jdbcUrl()); Statement s = c.createStatement()) {
            s.execute(LEGACY_TABLE);
            s.execute("INSERT INTO api_keys (customer, plan, api_key, label, created_at) VALUES"
                    + " ('acme-corp', 'gold', '" + PLAIN_KEY + "', 'production', '2021-03-04 05:06:07+00')");
            s.execute("INSERT INTO api_keys (customer, plan, key_sha256, expires_at) VALUES"
                    + " ('globex', 'free', '" + KeyHashes.sha256Hex(HASHED_KEY).toUpperCase(Locale.ROOT) + "',"
                    + " now() + interval '365 days')");
            s.execute("INSERT INTO api_keys (customer, api_key, revoked) VALUES ('initech', '" + REVOKED_KEY
                    + "', true)");
            s.execute("INSERT INTO api_keys (customer, api_key, expires_at) VALUES ('initech', '" + EXPIRED_KEY
                    + "', now() - interval '1 day')");
            try (ResultSet r = s.executeQuery(exportQuery())) {
                r.next();
                exportedJson = r.getString(1);
            }
        }
        imported = keys.imports().importKeys("migration", BUCKET, items(exportedJson));
    }

    @AfterAll
    void dropSchema() throws SQLException {
        if (database != null) {
            database.close();
        }
        if (schema != null) {
            execute(baseJdbcUrl, "DROP SCHEMA " + schema + " CASCADE");
        }
    }

    /** The query of docs/migrating.md, read from the page itself: what the guide says is what runs here. */
    private static String exportQuery() throws IOException {
        String guide = Files.readString(Path.of("..", "docs", "migrating.md"));
        Matcher block = Pattern.compile("<!-- export-sql[^>]*-->\\s*```sql\\n(.*?)```", Pattern.DOTALL).matcher(guide);
        assertThat(block.find()).as("docs/migrating.md has the export query after <!-- export-sql -->").isTrue();
        return block.group(1);
    }

    /** The export as the import route would read it. */
    private static List<ImportedKey> items(String json) throws IOException {
        List<ImportedKey> items = new ArrayList<>();
        ObjectMapper mapper = new ObjectMapper();
        for (JsonNode item : mapper.readTree(json)) {
            items.add(new ImportedKey(item.path("consumer").asText(), item.path("keyHash").asText(),
                    item.path("description").isNull() ? null : item.path("description").asText(),
                    instant(item.path("createdOn")), instant(item.path("expiresOn")),
                    mapper.convertValue(item.path("metadata"), METADATA)));
        }
        return items;
    }

    private static Instant instant(JsonNode node) {
        return node.isNull() || node.isMissingNode() ? null : Instant.parse(node.asText());
    }

    private String jdbcUrl() {
        return baseJdbcUrl + (baseJdbcUrl.contains("?") ? "&" : "?") + "currentSchema=" + schema;
    }

    private static void execute(String url, String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    /** A filter node accepting legacy keys; each test its own client address, so failed attempts stay apart. */
    private Node node(String remoteAddress, String failedAttempts) throws Exception {
        return new Node(Map.of("bucket", BUCKET, "jdbcUrl", jdbcUrl(), "legacyKeys", "accept",
                "changePollMillis", "100", "failedAttemptsPerIp", failedAttempts), remoteAddress);
    }

    private static int status(Node node, String key) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(node.url("/api/ping")))
                .header("Authorization", "Bearer " + key).timeout(Duration.ofSeconds(20)).build();
        return CLIENT.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    @Test
    void exportWhenRunAsTheGuideWritesItThenActiveKeysOnlyAndAllImported() {
        assertThat(imported).extracting(ImportResult::status)
                .containsExactly(ImportResult.Status.CREATED, ImportResult.Status.CREATED);
        ApiKey acme = keys.keys().list(BUCKET, "acme-corp", KeyFormat.MASKED).get(0);
        assertThat(acme.description()).isEqualTo("production");
        assertThat(acme.createdOn()).isEqualTo(Instant.parse("2021-03-04T05:06:07Z"));
        assertThat(acme.key()).isEqualTo("imported\u2026" + KeyHashes.sha256Hex(PLAIN_KEY).substring(60));
        assertThat(keys.consumers().get(BUCKET, "globex", false, KeyFormat.NONE).metadata())
                .isEqualTo(Map.of("plan", "free"));
        assertThat(keys.keys().list(BUCKET, "globex", KeyFormat.NONE).get(0).expiresOn()).isNotNull();
    }

    @Test
    void importWhenSentAgainThenEveryKeyExists() throws IOException {
        assertThat(keys.imports().importKeys("migration", BUCKET, items(exportedJson)))
                .extracting(ImportResult::status)
                .containsExactly(ImportResult.Status.EXISTS, ImportResult.Status.EXISTS);
    }

    @Test
    void doFilterWhenLegacyKeysAcceptThenPlaintextAndHashedOldKeysPassAndLeftBehindOnesDoNot() throws Exception {
        try (Node node = node("10.19.0.1", "30/1m")) {
            assertThat(status(node, PLAIN_KEY)).isEqualTo(200);
            assertThat(status(node, HASHED_KEY)).isEqualTo(200);
            assertThat(status(node, REVOKED_KEY)).isEqualTo(401);
            assertThat(status(node, EXPIRED_KEY)).isEqualTo(401);
        }
    }

    @Test
    void doFilterWhenUnknownLegacyCredentialsThenUnauthorizedAndCountedAsFailedAttempts() throws Exception {
        try (Node node = node("10.19.0.2", "3/1m")) {
            assertThat(status(node, "no-such-key-1")).isEqualTo(401);
            assertThat(status(node, "no-such-key-2")).isEqualTo(401);
            assertThat(status(node, "no-such-key-3")).isEqualTo(401);
            assertThat(status(node, "no-such-key-4")).isEqualTo(429);
        }
    }

    @Test
    void doFilterWhenLegacyKeysRejectThenOldKeysRefused() throws Exception {
        try (Node node = new Node(Map.of("bucket", BUCKET, "jdbcUrl", jdbcUrl()), "10.19.0.3")) {
            assertThat(status(node, PLAIN_KEY)).isEqualTo(401);
        }
    }

    @Test
    void doFilterWhenImportedKeyRevokedThenUnauthorizedWithinTheChangeFeedInterval() throws Exception {
        String legacy = "revoke-me-" + UUID.randomUUID();
        String keyId = keys.imports().importKeys("migration", BUCKET,
                List.of(ImportedKey.of("hooli", "sha256:" + KeyHashes.sha256Hex(legacy)))).get(0).keyId();
        try (Node node = node("10.19.0.4", "30/1m")) {
            assertThat(status(node, legacy)).isEqualTo(200);

            keys.keys().revoke("migration", BUCKET, "hooli", keyId);

            await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(50))
                    .until(() -> status(node, legacy) == 401);
        }
    }

    @Test
    void rollKeyWhenLegacyKeyInUseThenAGatekeyKeyWorksAndTheOldOneUntilItsExpiry() throws Exception {
        try (Node node = node("10.19.0.5", "30/1m")) {
            assertThat(status(node, PLAIN_KEY)).isEqualTo(200);
            Instant grace = Instant.now().plus(Duration.ofDays(30)).truncatedTo(ChronoUnit.SECONDS);

            ApiKey gatekeyKey = keys.keys().roll("migration", BUCKET, "acme-corp", grace);

            assertThat(gatekeyKey.key()).startsWith("acme_live_");
            assertThat(ApiKeyFormat.crc32().isValid(gatekeyKey.key())).isTrue();
            await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(50))
                    .until(() -> status(node, gatekeyKey.key()) == 200);
            assertThat(status(node, PLAIN_KEY)).as("the old key until " + grace).isEqualTo(200);
            assertThat(keys.keys().list(BUCKET, "acme-corp", KeyFormat.NONE)).filteredOn(k -> k.key() == null)
                    .extracting(ApiKey::expiresOn).containsExactly(grace, null);
        }
    }
}
