package dev.gatekey.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatekey.admin.AdminKeyBootstrap.Outcome;
import dev.gatekey.format.ApiKeyFormat;
import dev.gatekey.persistence.ConsumerQuery;
import dev.gatekey.persistence.GatekeyDatabase;
import dev.gatekey.persistence.KeyFormat;
import dev.gatekey.persistence.KeyManagement;
import dev.gatekey.store.KeyHashes;
import dev.gatekey.store.StoreSettings;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AdminKeyBootstrapTest {

    @TempDir
    Path dir;

    private GatekeyDatabase database;
    private KeyManagement keys;
    private final ByteArrayOutputStream stdout = new ByteArrayOutputStream();

    @BeforeEach
    void openDatabase() {
        database = GatekeyDatabase.open(StoreSettings.jdbc(
                "jdbc:h2:mem:gk-bootstrap-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", null, null));
        keys = new KeyManagement(database, ApiKeyFormat.crc32(), null, Clock.systemUTC());
    }

    @AfterEach
    void closeDatabase() {
        database.close();
    }

    private AdminKeyBootstrap bootstrap(Path keyFile) {
        return new AdminKeyBootstrap(keys, keyFile, new PrintStream(stdout, true, StandardCharsets.UTF_8),
                Clock.systemUTC());
    }

    @Test
    void runWhenFirstStartThenCreatesIrretrievableBucketAdminConsumerAndOwnerOnlyKeyFile() throws Exception {
        Path keyFile = dir.resolve("data/admin-key");

        assertThat(bootstrap(keyFile).run()).isEqualTo(Outcome.CREATED);

        var bucket = keys.buckets().get("gatekey-admin");
        assertThat(bucket.keyPrefix()).isEqualTo("gkadm");
        assertThat(bucket.retrievable()).isFalse();
        var admin = keys.consumers().get("gatekey-admin", "admin", true, KeyFormat.NONE);
        assertThat(admin.metadata()).containsEntry("roles", List.of("admin"));
        assertThat(admin.apiKeys()).hasSize(1);

        String key = Files.readString(keyFile).trim();
        assertThat(key).startsWith("gkadm_");
        assertThat(ApiKeyFormat.crc32().isValid(key)).isTrue();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile))).isEqualTo("rw-------");
        // the key is the stored one: its hash resolves to the admin consumer's key
        assertThat(keys.keys().list("gatekey-admin", "admin", KeyFormat.MASKED).get(0).key())
                .isEqualTo(ApiKeyFormat.mask(key));
        assertThat(KeyHashes.sha256Hex(key)).hasSize(64);
        assertThat(stdout.toString(StandardCharsets.UTF_8)).contains(key).contains(keyFile.toString());
        try (var files = Files.list(keyFile.getParent())) {
            assertThat(files).containsExactly(keyFile);
        }
    }

    @Test
    void runWhenSecondStartThenCreatesNothingPrintsNothingAndLeavesTheFile() throws Exception {
        Path keyFile = dir.resolve("admin-key");
        bootstrap(keyFile).run();
        String first = Files.readString(keyFile);
        var modified = Files.getLastModifiedTime(keyFile);
        stdout.reset();

        assertThat(bootstrap(keyFile).run()).isEqualTo(Outcome.EXISTED);

        assertThat(stdout.size()).isZero();
        assertThat(Files.readString(keyFile)).isEqualTo(first);
        assertThat(Files.getLastModifiedTime(keyFile)).isEqualTo(modified);
        assertThat(keys.keys().list("gatekey-admin", "admin", KeyFormat.NONE)).hasSize(1);
        assertThat(keys.consumers().list("gatekey-admin", ConsumerQuery.first(10)).data()).hasSize(1);
    }

    @Test
    void runWhenKeyFileDeletedBeforeSecondStartThenNotRecreated() {
        Path keyFile = dir.resolve("admin-key");
        bootstrap(keyFile).run();
        keyFile.toFile().delete();

        assertThat(bootstrap(keyFile).run()).isEqualTo(Outcome.EXISTED);

        assertThat(keyFile).doesNotExist();
    }

    @Test
    void runWhenFirstStartsAreConcurrentThenExactlyOneAdminKeyIsCreated() throws Exception {
        Path keyFile = dir.resolve("admin-key");
        CyclicBarrier barrier = new CyclicBarrier(2);
        Callable<Outcome> start = () -> {
            barrier.await();
            return bootstrap(keyFile).run();
        };
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Future<Outcome> a = pool.submit(start);
            Future<Outcome> b = pool.submit(start);
            assertThat(List.of(a.get(), b.get())).containsOnlyOnce(Outcome.CREATED);
        } finally {
            pool.shutdownNow();
        }
        assertThat(keys.keys().list("gatekey-admin", "admin", KeyFormat.NONE)).hasSize(1);
        assertThat(Files.readString(keyFile).trim()).isEqualTo(
                stdout.toString(StandardCharsets.UTF_8).lines().filter(l -> l.trim().startsWith("gkadm_"))
                        .findFirst().orElseThrow().trim());
    }

    @Test
    void startWhenAdminBucketIsRetrievableThenRefused() {
        KeyManagement withMasterKeys = new KeyManagement(database, ApiKeyFormat.crc32(),
                dev.gatekey.persistence.MasterKeys.parse("k1:" + dev.gatekey.persistence.MasterKeys.generateKey()),
                Clock.systemUTC());
        withMasterKeys.buckets().create("test", "gatekey-admin", null, "gkadm", true);

        assertThatThrownBy(() -> bootstrap(dir.resolve("admin-key")).run())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("irretrievable");
    }

    @Test
    void startWhenKeyFileLocationUnwritableThenFailsBeforeCreatingAKey() throws Exception {
        Path blocker = Files.writeString(dir.resolve("not-a-dir"), "x");

        assertThatThrownBy(() -> bootstrap(blocker.resolve("admin-key")).run())
                .hasMessageContaining("gatekey.adminKeyFile");

        assertThat(keys.consumers().list("gatekey-admin", ConsumerQuery.first(10)).data()).isEmpty();
    }
}
