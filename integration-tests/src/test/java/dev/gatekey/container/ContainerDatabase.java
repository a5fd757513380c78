package dev.gatekey.container;

import dev.gatekey.format.ApiKeyFormat;
import dev.gatekey.persistence.ApiKey;
import dev.gatekey.persistence.GatekeyDatabase;
import dev.gatekey.persistence.KeyManagement;
import dev.gatekey.persistence.NewConsumer;
import dev.gatekey.store.StoreSettings;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.UUID;

/**
 * The real H2 database a container test shares with the filters it deploys: an in-memory database with a
 * name of its own (kept while the JVM lives), opened here through {@link KeyManagement} to arrange buckets,
 * consumers and keys exactly as the admin API would.
 */
final class ContainerDatabase implements AutoCloseable {

    static final String ACTOR = "container-test";

    /** The bucket the deployments protect. */
    static final String BUCKET = "orders";
    static final String PREFIX = "orders";
    /** A bucket no deployment accepts. */
    static final String OTHER_BUCKET = "billing";
    static final String OTHER_PREFIX = "billing";

    final String name;
    private final String jdbcUrl;
    final GatekeyDatabase database;
    final KeyManagement km;
    final ApiKeyFormat format = ApiKeyFormat.crc32();

    private ContainerDatabase(String name, String jdbcUrl) {
        this.name = name;
        this.jdbcUrl = jdbcUrl;
        database = GatekeyDatabase.open(StoreSettings.jdbc(jdbcUrl, null, null));
        km = new KeyManagement(database, format, null, Clock.systemUTC());
        km.buckets().create(ACTOR, BUCKET, "protected by the deployments", PREFIX, false);
        km.buckets().create(ACTOR, OTHER_BUCKET, "accepted by no deployment", OTHER_PREFIX, false);
    }

    /** A new database with buckets {@value #BUCKET} and {@value #OTHER_BUCKET}. */
    static ContainerDatabase create(String label) {
        String name = uniqueName(label);
        return new ContainerDatabase(name, "jdbc:h2:mem:" + name + ";DB_CLOSE_DELAY=-1");
    }

    /** Same, for a database at {@code jdbcUrl} (the URL of {@code name}, made by the caller). */
    static ContainerDatabase at(String name, String jdbcUrl) {
        return new ContainerDatabase(name, jdbcUrl);
    }

    static String uniqueName(String label) {
        return "gk-it-" + label + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** The URL the filters of the deployment use. */
    String jdbcUrl() {
        return jdbcUrl;
    }

    /** A new consumer of {@code bucket} with its first key; consumer names are made unique. */
    IssuedKey issue(String bucket, String consumer, Map<String, Object> metadata) {
        String unique = consumer + "-" + UUID.randomUUID().toString().substring(0, 8);
        ApiKey key = km.consumers().create(ACTOR, bucket, new NewConsumer(unique, null, metadata, null), true)
                .apiKeys().get(0);
        return new IssuedKey(bucket, unique, key.id(), key.key());
    }

    IssuedKey issue(String consumer) {
        return issue(BUCKET, consumer, Map.of());
    }

    /** A key of a new consumer that expired an hour ago (created by a management clock set in the past). */
    IssuedKey issueExpired(String consumer) {
        IssuedKey owner = issue(consumer);
        Instant past = Instant.now().minusSeconds(7200);
        KeyManagement earlier = new KeyManagement(database, format, null, Clock.fixed(past, ZoneOffset.UTC));
        ApiKey key = earlier.keys().create(ACTOR, BUCKET, owner.consumer(), "expired", past.plusSeconds(3600));
        return new IssuedKey(BUCKET, owner.consumer(), key.id(), key.key());
    }

    /** A well-formed key of {@value #BUCKET} with a valid checksum that the store has never seen. */
    String unknownKey() {
        return format.generate(PREFIX);
    }

    @Override
    public void close() {
        database.close();
    }

    /** A key as its holder knows it, and where it lives. */
    record IssuedKey(String bucket, String consumer, String id, String key) {

        String bearer() {
            return "Bearer " + key;
        }
    }
}
