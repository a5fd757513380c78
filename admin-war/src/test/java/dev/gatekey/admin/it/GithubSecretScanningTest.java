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

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatekey.admin.leak.GithubSecretScanningServlet;
import dev.gatekey.admin.leak.LeakSettings;
import dev.gatekey.format.ApiKeyFormat;
import dev.gatekey.persistence.GatekeyDatabase;
import dev.gatekey.persistence.KeyManagement;
import dev.gatekey.testsupport.http.Http;
import dev.gatekey.testsupport.logging.LogCapture;
import java.net.URL;
import java.net.http.HttpRequest.BodyPublishers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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
 * The GitHub secret-scanning webhook with {@code gatekey.leakAction=notify} (the default), the GitHub public
 * keys inline, a local leak webhook and a 100000-byte body limit (larger than {@code gatekey.maxBodyBytes}).
 */
@ExtendWith(ArquillianExtension.class)
class GithubSecretScanningTest {

    private static final int LEAK_BODY_LIMIT = 100_000;
    private static final LogCapture LOGS = LogCapture.install();
    private static final GithubSigner GITHUB = new GithubSigner("github-test-key-1");
    private static final WebhookReceiver RECEIVER = WebhookReceiver.start();
    private static final TestDeployment DEPLOYMENT = new TestDeployment("gatekey-admin-leaks", Map.of(
            LeakSettings.GITHUB_PUBLIC_KEYS, GITHUB.publicKeysDocument(),
            LeakSettings.LEAK_WEBHOOK_URL, RECEIVER.url(),
            LeakSettings.LEAK_MAX_BODY_BYTES, Integer.toString(LEAK_BODY_LIMIT)));

    private static GatekeyDatabase database;
    private static KeyManagement keys;

    @ArquillianResource
    private URL base;

    private Http admin;
    private Http anonymous;

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
        RECEIVER.close();
    }

    @BeforeEach
    void clients() {
        anonymous = SeenKeys.client(base);
        admin = anonymous.withKey(DEPLOYMENT.adminKey());
    }

    private int protectedStatus(String key) {
        return anonymous.withKey(key).send("GET", "protected/whoami", null, BodyPublishers.noBody()).status();
    }

    private Http.Response post(Http client, byte[] body) {
        return client.send("POST", LeakFixture.WEBHOOK_PATH, "application/json", BodyPublishers.ofByteArray(body));
    }

    private Http signedWith(String keyId, String signature) {
        return anonymous.with(GithubSecretScanningServlet.KEY_ID_HEADER, keyId)
                .with(GithubSecretScanningServlet.SIGNATURE_HEADER, signature);
    }

    @Test
    void reportWhenBatchIsMixedThenLabelledPerToken() {
        String active = newKey(keys);
        String revoked = newKey(keys);
        String revokedId = keyIdOf(keys, revoked);
        var owner = keys.leaks().findKeysByHash(List.of(dev.gatekey.store.KeyHashes.sha256Hex(revoked))).values().iterator()
                .next();
        keys.keys().revoke("test", owner.bucket(), owner.consumer(), revokedId);
        String foreign = ApiKeyFormat.crc32().generate("someone_else");
        String badChecksum = active.substring(0, active.length() - 1) + (active.endsWith("A") ? "B" : "A");

        Http.Response answer = report(anonymous, GITHUB,
                payload(active, revoked, foreign, "not a key at all", badChecksum, ""));

        assertThat(labels(answer)).containsExactly("true_positive", "true_positive", "false_positive",
                "false_positive", "false_positive", "false_positive");
        JsonNode first = answer.json().get(0);
        assertThat(first.path("token_raw").asText()).isEqualTo(active);
        assertThat(first.path("token_type").asText()).isEqualTo(LeakFixture.TOKEN_TYPE);
        assertThat(leaksOf(admin, keyIdOf(keys, active))).hasSize(1);
        assertThat(leaksOf(admin, revokedId)).isEmpty();
    }

    @Test
    void reportWhenActionIsNotifyThenRecordsTheLeakAndAuditsButTheKeyStillWorks() {
        String key = newKey(keys);
        String keyId = keyIdOf(keys, key);

        assertThat(labels(report(anonymous, GITHUB, payload(key)))).containsExactly("true_positive");

        List<JsonNode> leaks = leaksOf(admin, keyId);
        assertThat(leaks).hasSize(1);
        assertThat(leaks.get(0).path("action").asText()).isEqualTo("notify");
        assertThat(leaks.get(0).path("bucket").asText()).isEqualTo(TestDeployment.DEMO_BUCKET);
        assertThat(auditCount(admin, "key.leaked", keyId)).isEqualTo(1);
        assertThat(auditCount(admin, "key.revoke", keyId)).isZero();
        assertThat(protectedStatus(key)).isEqualTo(200);
    }

    @Test
    void reportWhenPayloadReplayedThenIdempotent() {
        String key = newKey(keys);
        String keyId = keyIdOf(keys, key);
        byte[] body = payload(key);
        assertThat(labels(report(anonymous, GITHUB, body))).containsExactly("true_positive");

        assertThat(labels(report(anonymous, GITHUB, body))).containsExactly("true_positive");

        assertThat(leaksOf(admin, keyId)).hasSize(1);
        assertThat(auditCount(admin, "key.leaked", keyId)).isEqualTo(1);
    }

    @Test
    void reportWhenSignatureBadThenUnauthorizedAndRecordsNothing() {
        String key = newKey(keys);
        byte[] body = payload(key);
        String signatureOfAnotherBody = GITHUB.sign(payload(key));

        Http.Response forged = post(signedWith(GITHUB.keyId, signatureOfAnotherBody), body);
        Http.Response garbage = post(signedWith(GITHUB.keyId, "bm90IGEgc2lnbmF0dXJl"), body);

        assertThat(forged.status()).isEqualTo(401);
        assertThat(forged.contentType()).startsWith("application/problem+json");
        assertThat(garbage.status()).isEqualTo(401);
        assertThat(leaksOf(admin, keyIdOf(keys, key))).isEmpty();
    }

    @Test
    void reportWhenKeyIdentifierUnknownThenUnauthorized() {
        String key = newKey(keys);
        byte[] body = payload(key);
        GithubSigner stranger = new GithubSigner("someone-elses-key");

        assertThat(post(signedWith("someone-elses-key", stranger.sign(body)), body).status()).isEqualTo(401);
        assertThat(post(signedWith(GITHUB.keyId, stranger.sign(body)), body).status()).isEqualTo(401);
        assertThat(leaksOf(admin, keyIdOf(keys, key))).isEmpty();
    }

    @Test
    void reportWhenSignatureHeadersMissingThenUnauthorized() {
        byte[] body = payload(newKey(keys));

        assertThat(post(anonymous, body).status()).isEqualTo(401);
        assertThat(post(anonymous.with(GithubSecretScanningServlet.KEY_ID_HEADER, GITHUB.keyId), body).status())
                .isEqualTo(401);
        assertThat(post(anonymous.with(GithubSecretScanningServlet.SIGNATURE_HEADER, GITHUB.sign(body)), body)
                .status()).isEqualTo(401);
    }

    @Test
    void reportWhenAdminKeyInsteadOfSignatureThenUnauthorized() {
        byte[] body = payload(newKey(keys));

        assertThat(post(admin, body).status()).isEqualTo(401);
    }

    @Test
    void reportWhenJsonIsNotAnArrayThenBadRequest() {
        Http.Response object = report(anonymous, GITHUB, "{\"token\":\"x\"}".getBytes(StandardCharsets.UTF_8));
        Http.Response malformed = report(anonymous, GITHUB, "[{".getBytes(StandardCharsets.UTF_8));

        assertThat(object.status()).isEqualTo(400);
        assertThat(object.contentType()).startsWith("application/problem+json");
        assertThat(malformed.status()).isEqualTo(400);
    }

    @Test
    void reportWhenEntriesMissFieldsThenBadRequestNamingThem() {
        byte[] body = "[{\"token\":\"abc\",\"type\":\"t\",\"source\":\"content\"},42]".getBytes(StandardCharsets.UTF_8);

        Http.Response answer = report(anonymous, GITHUB, body);

        assertThat(answer.status()).isEqualTo(400);
        List<String> fields = new ArrayList<>();
        answer.json().path("errors").forEach(e -> fields.add(e.path("field").asText()));
        assertThat(fields).containsExactly("[0].url", "[1]");
    }

    @Test
    void reportWhenBatchEmptyThenEmptyAnswer() {
        assertThat(labels(report(anonymous, GITHUB, "[]".getBytes(StandardCharsets.UTF_8)))).isEmpty();
    }

    @Test
    void reportWhenBatchLargerThanTheApiBodyLimitThenAcceptedUpToTheLeakLimit() {
        List<String> tokens = new ArrayList<>();
        while (payload(tokens.toArray(String[]::new)).length < 80_000) {
            tokens.add(ApiKeyFormat.crc32().generate("someone_else"));
        }

        assertThat(labels(report(anonymous, GITHUB, payload(tokens.toArray(String[]::new)))))
                .hasSize(tokens.size()).containsOnly("false_positive");
    }

    @Test
    void reportWhenBodyOversizedThenTooLarge() {
        byte[] body = new byte[LEAK_BODY_LIMIT + 1];
        java.util.Arrays.fill(body, (byte) ' ');

        Http.Response answer = report(anonymous, GITHUB, body);

        assertThat(answer.status()).isEqualTo(413);
        assertThat(answer.contentType()).startsWith("application/problem+json");
    }

    @Test
    void sendWhenMethodIsNotPostThen405() {
        Http.Response answer = anonymous.send("GET", LeakFixture.WEBHOOK_PATH, null, BodyPublishers.noBody());

        assertThat(answer.status()).isEqualTo(405);
        assertThat(answer.header("Allow")).isEqualTo("POST");
    }

    @Test
    void getLeaksWhenSeveralThenPaginatedNewestFirstWithUrlAndSourceButNeverTheKey() {
        String key = newKey(keys);
        String keyId = keyIdOf(keys, key);
        byte[] body = payload(key, key, key);
        labels(report(anonymous, GITHUB, body));

        List<JsonNode> seen = new ArrayList<>();
        String cursor = null;
        do {
            Http.Response page = admin.api("GET", "/leaks?limit=1" + (cursor == null ? "" : "&cursor=" + cursor));
            assertThat(page.status()).as(page.toString()).isEqualTo(200);
            assertThat(page.body()).doesNotContain(key).doesNotContain(key.substring(key.length() - 12));
            assertThat(page.json().path("data")).hasSizeLessThanOrEqualTo(1);
            page.json().path("data").forEach(seen::add);
            cursor = page.json().path("nextCursor").isNull() ? null : page.json().path("nextCursor").asText();
        } while (cursor != null);

        List<JsonNode> mine = seen.stream().filter(l -> l.path("keyId").asText().equals(keyId)).toList();
        assertThat(mine).hasSize(3);
        assertThat(mine).allSatisfy(l -> {
            assertThat(l.path("url").asText()).startsWith("https://github.com/acme/app/blob/main/.env#L");
            assertThat(l.path("source").asText()).isEqualTo("content");
            assertThat(l.path("tokenType").asText()).isEqualTo(LeakFixture.TOKEN_TYPE);
        });
        List<Long> ids = seen.stream().map(l -> l.path("id").asLong()).toList();
        assertThat(ids).isSortedAccordingTo((a, b) -> Long.compare(b, a)).doesNotHaveDuplicates();
    }

    @Test
    void getLeaksWhenAnonymousThenUnauthorized() {
        Http.Response answer = anonymous.api("GET", "/leaks");

        assertThat(answer.status()).isEqualTo(401);
    }

    @Test
    void reportWhenLeakWebhookSetThenToldWithoutKeyMaterial() throws Exception {
        String key = newKey(keys);
        String keyId = keyIdOf(keys, key);

        labels(report(anonymous, GITHUB, payload(key)));

        String notification = await().atMost(Duration.ofSeconds(5)).until(
                () -> RECEIVER.bodies.stream().filter(b -> b.contains(keyId)).findFirst(),
                java.util.Optional::isPresent).orElseThrow();
        JsonNode json = Http.JSON.readTree(notification);
        assertThat(json.path("event").asText()).isEqualTo("key.leaked");
        assertThat(json.path("keyId").asText()).isEqualTo(keyId);
        assertThat(json.path("bucket").asText()).isEqualTo(TestDeployment.DEMO_BUCKET);
        assertThat(json.path("consumer").asText()).isNotEmpty();
        assertThat(json.path("url").asText()).startsWith("https://github.com/");
        assertThat(json.path("source").asText()).isEqualTo("content");
        assertThat(json.path("action").asText()).isEqualTo("notify");
        assertThat(notification).doesNotContain(key).doesNotContain(key.substring(key.length() - 12));
    }

    @Test
    void reportWhenLoggedThenLeakedKeysNamedByIdAndNoTokenShownNotEvenOfRejectedPayloads() {
        String key = newKey(keys);
        String keyId = keyIdOf(keys, key);
        String other = newKey(keys);
        byte[] missingFields = ("[{\"token\":\"" + other + "\"}]").getBytes(StandardCharsets.UTF_8);
        byte[] malformed = ("[{\"token\":\"" + other).getBytes(StandardCharsets.UTF_8);

        labels(report(anonymous, GITHUB, payload(key)));
        assertThat(report(anonymous, GITHUB, missingFields).status()).isEqualTo(400);
        assertThat(report(anonymous, GITHUB, malformed).status()).isEqualTo(400);
        assertThat(post(signedWith(GITHUB.keyId, "AAAA"), payload(other)).status()).isEqualTo(401);

        assertThat(LOGS.lines()).anySatisfy(line -> assertThat(line).contains(keyId).contains("leaked"));
        assertThat(LOGS.lines()).noneSatisfy(line -> assertThat(line).contains(key));
        assertThat(LOGS.lines()).noneSatisfy(line -> assertThat(line).contains(other));
    }

    @Test
    void getPatternsWhenBucketsExistThenListsTheRegexOfEach() {
        Http.Response answer = admin.api("GET", "/secret-scanning/patterns");

        assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
        assertThat(answer.json().path("checksum").asText()).isEqualTo("crc32");
        assertThat(answer.json().path("regex").asText())
                .isEqualTo("\\b(?:demo_live|gkadm)_[0-9A-Za-z]{40}_[0-9A-Za-z]{6}\\b");
        assertThat(answer.json().path("data").findValuesAsText("regex"))
                .contains("\\bdemo_live_[0-9A-Za-z]{40}_[0-9A-Za-z]{6}\\b");
    }
}
