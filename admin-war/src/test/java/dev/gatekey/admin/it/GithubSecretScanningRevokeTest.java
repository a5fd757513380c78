package dev.gatekey.admin.it;

import static dev.gatekey.admin.it.LeakFixture.auditCount;
import static dev.gatekey.admin.it.LeakFixture.keyIdOf;
import static dev.gatekey.admin.it.LeakFixture.labels;
import static dev.gatekey.admin.it.LeakFixture.leaksOf;
import static dev.gatekey.admin.it.LeakFixture.newKey;
import static dev.gatekey.admin.it.LeakFixture.payload;
import static dev.gatekey.admin.it.LeakFixture.report;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.gatekey.admin.leak.LeakSettings;
import dev.gatekey.persistence.GatekeyDatabase;
import dev.gatekey.persistence.KeyManagement;
import dev.gatekey.persistence.NewConsumer;
import dev.gatekey.testsupport.http.Http;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URL;
import java.net.http.HttpRequest.BodyPublishers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The GitHub secret-scanning webhook with {@code gatekey.leakAction=revoke} and the GitHub public keys in a
 * file: a leaked key is revoked through the change feed, so the protected servlet's filter (polling every
 * 100 ms) rejects it within seconds.
 */
@ExtendWith(ArquillianExtension.class)
class GithubSecretScanningRevokeTest {

    private static final GithubSigner GITHUB = new GithubSigner("github-test-key-2");
    private static final TestDeployment DEPLOYMENT = new TestDeployment("gatekey-admin-leaks-revoke", Map.of(
            LeakSettings.GITHUB_PUBLIC_KEYS_FILE, publicKeysFile().toString(),
            LeakSettings.LEAK_ACTION, "revoke"));

    private static GatekeyDatabase database;
    private static KeyManagement keys;

    @ArquillianResource
    private URL base;

    private Http admin;
    private Http anonymous;

    private static Path publicKeysFile() {
        try {
            Path file = Files.createTempDirectory("gk-github-keys").resolve("public_keys.json");
            Files.writeString(file, GITHUB.publicKeysDocument());
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Deployment(testable = false)
    static WebArchive deployment() {
        return DEPLOYMENT.archive();
    }

    @BeforeAll
    static void createDemoBucket() {
        database = DEPLOYMENT.openDatabase();
        keys = DEPLOYMENT.keyManagement(database);
        keys.buckets().create("test", TestDeployment.DEMO_BUCKET, null, TestDeployment.DEMO_PREFIX, false);
    }

    @AfterAll
    static void close() {
        database.close();
    }

    @BeforeEach
    void clients() {
        anonymous = SeenKeys.client(base);
        admin = anonymous.withKey(DEPLOYMENT.adminKey());
    }

    private int protectedStatus(String key) {
        return anonymous.withKey(key).send("GET", "protected/whoami", null, BodyPublishers.noBody()).status();
    }

    @Test
    void reportWhenActionIsRevokeThenKeyIsRevokedAndRejectedByTheFilterWithinTheChangeFeedInterval() {
        String key = newKey(keys);
        String keyId = keyIdOf(keys, key);
        // cached as valid first, so only the change feed can take it out in time
        assertThat(protectedStatus(key)).isEqualTo(200);

        assertThat(labels(report(anonymous, GITHUB, payload(key)))).containsExactly("true_positive");

        await().atMost(Duration.ofSeconds(5)).until(() -> protectedStatus(key) == 401);
        assertThat(leaksOf(admin, keyId)).singleElement()
                .satisfies(l -> assertThat(l.path("action").asText()).isEqualTo("revoke"));
        assertThat(auditCount(admin, "key.leaked", keyId)).isEqualTo(1);
        assertThat(auditCount(admin, "key.revoke", keyId)).isEqualTo(1);
    }

    @Test
    void reportWhenReplayedAfterRevocationThenChangesNothingAndStillSaysTruePositive() {
        String key = newKey(keys);
        String keyId = keyIdOf(keys, key);
        byte[] body = payload(key);
        labels(report(anonymous, GITHUB, body));

        assertThat(labels(report(anonymous, GITHUB, body))).containsExactly("true_positive");

        assertThat(leaksOf(admin, keyId)).hasSize(1);
        assertThat(auditCount(admin, "key.leaked", keyId)).isEqualTo(1);
        assertThat(auditCount(admin, "key.revoke", keyId)).isEqualTo(1);
    }

    @Test
    void reportWhenAdminKeyLeakedThenFoundToo() {
        String adminKey = keys.consumers().create("test", "gatekey-admin",
                new NewConsumer("leaky-viewer", null, Map.of("roles", java.util.List.of("viewer")), null),
                true).apiKeys().get(0).key();
        assertThat(anonymous.withKey(adminKey).api("GET", "/buckets").status()).isEqualTo(200);

        assertThat(labels(report(anonymous, GITHUB, payload(adminKey)))).containsExactly("true_positive");

        await().atMost(Duration.ofSeconds(5))
                .until(() -> anonymous.withKey(adminKey).api("GET", "/buckets").status() == 401);
    }
}
