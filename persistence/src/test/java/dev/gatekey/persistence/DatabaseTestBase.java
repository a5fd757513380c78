package dev.gatekey.persistence;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.gatekey.format.ApiKeyFormat;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInstance;

/**
 * One database per test class (H2 or PostgreSQL, chosen by the subclass), a mutable clock and a
 * {@link KeyManagement}; tests create uniquely named buckets so they do not see each other.
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
}
