package dev.gatekey.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.gatekey.format.ApiKeyFormat;
import dev.gatekey.store.Change;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInstance;

/**
 * One database per test class (H2 or PostgreSQL, chosen by the subclass), a mutable clock and a
 * {@link KeyManagement}; tests create uniquely named buckets so they do not see each other. The helpers below
 * are shared by the services' contracts.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class DatabaseTestBase {

    static final String ACTOR = "alice@admin";
    static final String MASTER_KEYS = "k2:" + MasterKeys.generateKey() + ",k1:" + MasterKeys.generateKey();

    private static final AtomicInteger SEQUENCE = new AtomicInteger();

    TestDatabase db;
    final MutableClock clock = new MutableClock(Instant.parse("2030-01-01T00:00:00.123456789Z"));
    final ApiKeyFormat format = ApiKeyFormat.crc32();
    final MasterKeys masterKeys = MasterKeys.parse(MASTER_KEYS);
    KeyManagement km;

    abstract TestDatabase openDatabase();

    @BeforeAll
    void openDb() {
        db = openDatabase();
        if (db != null) {
            km = new KeyManagement(db.database, format, masterKeys, clock);
        }
    }

    /** Per test rather than per class, so reports list every skipped test with the reason. */
    @BeforeEach
    void requireDatabase() {
        assumeTrue(db != null, TestDatabase.PG_SKIPPED);
    }

    @AfterAll
    void closeDb() {
        if (db != null) {
            db.close();
        }
    }

    /** A new retrievable bucket with a unique name and prefix. */
    Bucket newBucket(boolean retrievable) {
        int n = SEQUENCE.incrementAndGet();
        return km.buckets().create(ACTOR, "bucket-" + n, "test bucket", "p" + n + "_test", retrievable);
    }

    static String unique(String base) {
        return base + SEQUENCE.incrementAndGet();
    }

    /** A new consumer without keys. */
    Consumer newConsumer(Bucket bucket) {
        return km.consumers().create(ACTOR, bucket.name(), NewConsumer.named(unique("user")), false);
    }

    /** A new consumer with one key, its text in {@code apiKeys().get(0).key()}. */
    Consumer newConsumerWithKey(Bucket bucket) {
        return km.consumers().create(ACTOR, bucket.name(), NewConsumer.named(unique("c")), true);
    }

    JpaKeyStore store() {
        return new JpaKeyStore(db.database);
    }

    List<Change> changesSince(long position) {
        return store().changesAfter(position, 1000);
    }

    /** The clock's instant as the services store it. */
    Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }

    Map<String, ApiKey> keysById(Bucket bucket, Consumer consumer) {
        return km.keys().list(bucket.name(), consumer.name(), KeyFormat.NONE).stream()
                .collect(Collectors.toMap(ApiKey::id, k -> k));
    }

    /** {"v":"xxx..."} serialized to exactly {@code bytes} bytes. */
    static Map<String, Object> metadataOfSize(int bytes) {
        Map<String, Object> metadata = Map.of("v", "x".repeat(bytes - "{\"v\":\"\"}".length()));
        assertThat(Json.write(metadata)).hasSize(bytes);
        return metadata;
    }

    /** The one field error of a write refused with 400. */
    static FieldError errorOf(Runnable write) {
        InvalidInputException e = catchThrowableOfType(InvalidInputException.class, write::run);
        assertThat(e).as("refused with 400").isNotNull();
        assertThat(e.errors()).hasSize(1);
        return e.errors().get(0);
    }

    /** The credits generation column of a key. */
    long generationOf(String keyId) {
        try (Connection c = db.dataSource.getConnection();
                PreparedStatement s = c.prepareStatement("select credits_generation from gk_api_key where public_id = ?")) {
            s.setString(1, keyId);
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return r.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
