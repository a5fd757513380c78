package dev.gatekey.filter;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatekey.format.ApiKeyFormat;
import dev.gatekey.testing.InMemoryKeyStore;
import dev.gatekey.testsupport.logging.LogCapture;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ApiKeyFilterTest {

    private final FilterServer server = new FilterServer();

    @AfterEach
    void stop() throws Exception {
        server.close();
    }

    private static void assertUnauthorized(HttpResponse<String> response, boolean keyPresent) {
        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                v -> assertThat(v).startsWith("application/problem+json"));
        assertThat(response.headers().firstValue("Cache-Control")).hasValue("no-store");
        assertThat(response.headers().firstValue("WWW-Authenticate")).hasValue(
                keyPresent ? "Bearer realm=\"api\", error=\"invalid_token\"" : "Bearer realm=\"api\"");
        assertThat(response.body()).contains("\"status\":401");
    }

    private static String line(HttpResponse<String> response, String start) {
        return response.body().lines().filter(l -> l.startsWith(start)).findFirst().orElseThrow();
    }

    @Test
    void doFilterWhenKeyValidThenPrincipalSeenByApplication() {
        server.start();
        String key = server.store.addKey("alice");

        HttpResponse<String> response = server.getWithKey(key);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("principal=alice", "remoteUser=alice", "authType=API_KEY",
                "attribute=" + server.store.stored(key).keyId());
        assertThat(server.count("gatekey.requests", "outcome", "valid")).isEqualTo(1);
    }

    @Test
    void doFilterWhenRawKeyWithoutSchemeThenToldWhichHeaderAndScheme() {
        server.start();
        String key = server.store.addKey(InMemoryKeyStore.BUCKET, "raw", Map.of(), null, true);

        HttpResponse<String> response = server.get("/api", "Authorization", key);

        assertUnauthorized(response, false);
        assertThat(response.body()).contains("An API key is required. Send it as Authorization: Bearer <key>.")
                .doesNotContain(key);
    }

    @Test
    void doFilterWhenCustomHeaderWithoutSchemeAndQueryParamThenToldSo() {
        server.start(Map.of("authHeader", "X-Api-Key", "authScheme", "", "queryParam", "api_key"));

        HttpResponse<String> response = server.get("/api");

        assertThat(response.body()).contains(
                "Send it as X-Api-Key: <key> (or the query parameter api_key).");
    }

    @Test
    void doFilterWhenKeyMissingThenUnauthorizedWithoutError() {
        server.start();

        HttpResponse<String> response = server.get("/api");

        assertUnauthorized(response, false);
        assertThat(response.body()).contains("An API key is required.");
        assertThat(server.count("gatekey.requests", "outcome", "missing")).isEqualTo(1);
    }

    @Test
    void doFilterWhenKeyEmptyThenUnauthorized() {
        server.start();

        assertUnauthorized(server.get("/api", "Authorization", "Bearer"), true);
    }

    @Test
    void doFilterWhenOtherSchemeThenUnauthorizedAsMissing() {
        server.start();
        String key = server.store.addKey("alice");

        assertUnauthorized(server.get("/api", "Authorization", "Basic " + key), false);
    }

    @Test
    void doFilterWhenSchemeLowercaseThenAccepted() {
        server.start();
        String key = server.store.addKey("alice");

        assertThat(server.get("/api", "Authorization", "bearer " + key).statusCode()).isEqualTo(200);
    }

    @Test
    void doFilterWhenCustomHeaderWithEmptySchemeThenRawValueIsTheKey() {
        server.start(Map.of("authHeader", "X-API-Key", "authScheme", ""));
        String key = server.store.addKey("alice");

        HttpResponse<String> response = server.get("/api", "X-API-Key", key);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).doesNotContain(key);
        assertThat(line(response, "headerNames=")).doesNotContainIgnoringCase("x-api-key");
    }

    @Test
    void doFilterWhenTwoKeyHeadersThenUnauthorized() {
        server.start();
        String key = server.store.addKey("alice");

        assertUnauthorized(server.get("/api", "Authorization", "Bearer " + key, "Authorization", "Bearer " + key),
                true);
        assertThat(server.store.findCalls).hasValue(0);
    }

    @Test
    void doFilterWhenKeyInQueryAndQueryParamNotConfiguredThenIgnored() {
        server.start();
        String key = server.store.addKey("alice");

        assertUnauthorized(server.get("/api?api_key=" + key), false);
    }

    @Test
    void doFilterWhenKeyInConfiguredQueryParamThenAcceptedAndHidden() {
        server.start(Map.of("queryParam", "api_key"));
        String key = server.store.addKey("alice");

        HttpResponse<String> response = server.get("/api?a=1&api_key=" + key + "&b=2");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).doesNotContain(key).contains("query=a=1&b=2", "apiKeyParam=null",
                "parameterNames=[a, b]");
    }

    @Test
    void doFilterWhenKeyInHeaderAndQueryThenUnauthorized() {
        server.start(Map.of("queryParam", "api_key"));
        String key = server.store.addKey("alice");

        assertUnauthorized(server.get("/api?api_key=" + key, "Authorization", "Bearer " + key), true);
    }

    @Test
    void doFilterWhenTwoQueryKeysThenUnauthorized() {
        server.start(Map.of("queryParam", "api_key"));
        String key = server.store.addKey("alice");

        assertUnauthorized(server.get("/api?api_key=" + key + "&api_key=" + key), true);
    }

    @Test
    void doFilterWhenMalformedThenUnauthorizedWithoutStoreAccess() {
        server.start();

        HttpResponse<String> response = server.getWithKey("demo_live_tooshort_abcdef");

        assertUnauthorized(response, true);
        assertThat(response.body()).contains("The API key is not valid.");
        assertThat(server.store.findCalls).hasValue(0);
        assertThat(server.count("gatekey.requests", "outcome", "malformed")).isEqualTo(1);
    }

    @Test
    void doFilterWhenBadChecksumThenUnauthorizedWithoutCacheOrStoreAccess() {
        server.start();
        String key = server.store.addKey("alice");
        String forged = key.substring(0, key.length() - 1) + (key.endsWith("A") ? "B" : "A");

        HttpResponse<String> response = server.getWithKey(forged);

        assertUnauthorized(response, true);
        assertThat(server.store.findCalls).hasValue(0);
        assertThat(server.count("gatekey.store.lookups")).isZero();
        assertThat(server.count("gatekey.cache.requests", "result", "miss")).isZero();
        assertThat(server.count("gatekey.requests", "outcome", "bad_checksum")).isEqualTo(1);
    }

    @Test
    void doFilterWhenUnknownKeyThenUnauthorizedAndNegativeCached() {
        server.start();
        String unknown = ApiKeyFormat.crc32().generate(InMemoryKeyStore.PREFIX);

        assertUnauthorized(server.getWithKey(unknown), true);
        assertUnauthorized(server.getWithKey(unknown), true);

        assertThat(server.store.findCalls).hasValue(1);
        assertThat(server.count("gatekey.store.lookups")).isEqualTo(1);
        assertThat(server.count("gatekey.cache.requests", "result", "hit")).isEqualTo(1);
        assertThat(server.count("gatekey.requests", "outcome", "unknown")).isEqualTo(2);
    }

    @Test
    void doFilterWhenKeyExpiresWhileCachedThenUnauthorizedWithExpiredDetail() {
        server.start();
        String key = server.store.addKey(InMemoryKeyStore.BUCKET, "alice", Map.of(),
                server.time.instant().plusSeconds(10), true);
        assertThat(server.getWithKey(key).statusCode()).isEqualTo(200);

        server.time.advance(Duration.ofSeconds(10));
        HttpResponse<String> response = server.getWithKey(key);

        assertUnauthorized(response, true);
        assertThat(response.body()).contains("The API key has expired.");
        assertThat(server.store.findCalls).hasValue(1);
    }

    @Test
    void doFilterWhenKeyRevokedThroughChangeFeedThenUnauthorized() {
        server.start();
        String key = server.store.addKey("alice");
        assertThat(server.getWithKey(key).statusCode()).isEqualTo(200);

        server.store.revoke(key, server.time.instant());
        assertThat(server.getWithKey(key).statusCode()).as("still cached").isEqualTo(200);
        server.filter.pollOnce();
        HttpResponse<String> response = server.getWithKey(key);

        assertUnauthorized(response, true);
        assertThat(response.body()).contains("The API key has been revoked.");
        assertThat(server.count("gatekey.changes.applied")).isEqualTo(1);
    }

    @Test
    void doFilterWhenFlushOnChangeFeedThenEverythingReloaded() {
        server.start();
        String key = server.store.addKey("alice");
        server.getWithKey(key);
        server.store.deleteSilently(key);

        server.store.flush();
        server.filter.pollOnce();

        assertUnauthorized(server.getWithKey(key), true);
        assertThat(server.store.findCalls).hasValue(2);
    }

    @Test
    void doFilterWhenKeyHasPrefixOfAnotherBucketThenUnauthorizedWithoutStoreAccess() {
        server.start();
        String other = server.store.addKey(InMemoryKeyStore.OTHER_BUCKET, "bob", Map.of(), null, true);

        assertUnauthorized(server.getWithKey(other), true);
        assertThat(server.store.findCalls).hasValue(0);
        assertThat(server.count("gatekey.requests", "outcome", "malformed")).isEqualTo(1);
    }

    @Test
    void doFilterWhenStoredKeyBelongsToAnotherBucketThenUnauthorized() {
        server.start();
        String key = server.store.addKeyStoredUnder(InMemoryKeyStore.PREFIX, InMemoryKeyStore.OTHER_BUCKET, "bob");

        HttpResponse<String> response = server.getWithKey(key);

        assertUnauthorized(response, true);
        assertThat(response.body()).contains("The API key is not valid.");
        assertThat(server.count("gatekey.requests", "outcome", "wrong_bucket")).isEqualTo(1);
    }

    @Test
    void doFilterWhenSecondBucketConfiguredThenItsKeysAccepted() {
        server.start(Map.of("bucket", "demo-live, other-bucket"));
        String other = server.store.addKey(InMemoryKeyStore.OTHER_BUCKET, "bob", Map.of(), null, true);

        assertThat(server.getWithKey(other).statusCode()).isEqualTo(200);
    }

    @Test
    void doFilterWhenConsumerDisabledThenUnauthorizedWithGenericDetail() {
        server.start();
        String key = server.store.addKey(InMemoryKeyStore.BUCKET, "carol", Map.of(), null, false);

        HttpResponse<String> response = server.getWithKey(key);

        assertUnauthorized(response, true);
        assertThat(response.body()).contains("The API key is not valid.");
        assertThat(server.count("gatekey.requests", "outcome", "disabled")).isEqualTo(1);
    }

    @Test
    void doFilterWhenStoreDownThenServiceUnavailableAndNotCached() {
        server.start();
        String key = server.store.addKey("alice");
        server.store.storeDown = true;

        HttpResponse<String> response = server.getWithKey(key);

        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(response.headers().firstValue("Retry-After")).hasValue("5");
        assertThat(response.body()).contains("\"status\":503").doesNotContain(key);
        assertThat(server.count("gatekey.store.errors")).isEqualTo(1);
        assertThat(server.count("gatekey.requests", "outcome", "store_error")).isEqualTo(1);

        server.store.storeDown = false;
        assertThat(server.getWithKey(key).statusCode()).as("recovers without restart").isEqualTo(200);
    }

    @Test
    void doFilterWhenStoreDownWithinStaleWindowThenLastGoodEntryServed() {
        server.start(Map.of("cacheTtlSeconds", "60", "staleIfErrorSeconds", "300"));
        String key = server.store.addKey("alice");
        assertThat(server.getWithKey(key).statusCode()).isEqualTo(200);
        server.store.storeDown = true;

        server.time.advance(Duration.ofSeconds(60 + 299));

        assertThat(server.getWithKey(key).statusCode()).isEqualTo(200);
    }

    @Test
    void doFilterWhenStoreDownBeyondStaleWindowThenServiceUnavailable() {
        server.start(Map.of("cacheTtlSeconds", "60", "staleIfErrorSeconds", "300"));
        String key = server.store.addKey("alice");
        assertThat(server.getWithKey(key).statusCode()).isEqualTo(200);
        server.store.storeDown = true;

        server.time.advance(Duration.ofSeconds(60 + 300));

        assertThat(server.getWithKey(key).statusCode()).isEqualTo(503);
    }

    @Test
    void doFilterWhenKeyOverItsLimitThenTooManyRequestsWithHeaders() {
        server.start(Map.of("rateLimitPerKey", "2/1m"));
        String key = server.store.addKey("alice");
        server.getWithKey(key);
        server.getWithKey(key);

        HttpResponse<String> response = server.getWithKey(key);

        assertThat(response.statusCode()).isEqualTo(429);
        assertThat(response.headers().firstValue("Retry-After")).hasValue("30");
        assertThat(response.headers().firstValue("RateLimit-Limit")).hasValue("2");
        assertThat(response.headers().firstValue("RateLimit-Remaining")).hasValue("0");
        assertThat(response.headers().firstValue("RateLimit-Reset")).hasValue("60");
        assertThat(response.body()).contains("\"status\":429");

        server.time.advance(Duration.ofSeconds(30));
        assertThat(server.getWithKey(key).statusCode()).isEqualTo(200);
    }

    @Test
    void doFilterWhenConsumerMetadataSetsRateLimitThenItOverridesTheDefault() {
        server.start(Map.of("rateLimitPerKey", "100/1s"));
        String key = server.store.addKey(InMemoryKeyStore.BUCKET, "slow", Map.of("rateLimit", "1/1h"), null, true);
        assertThat(server.getWithKey(key).statusCode()).isEqualTo(200);

        HttpResponse<String> response = server.getWithKey(key);

        assertThat(response.statusCode()).isEqualTo(429);
        assertThat(response.headers().firstValue("RateLimit-Limit")).hasValue("1");
        assertThat(response.headers().firstValue("Retry-After")).hasValue("3600");
    }

    @Test
    void doFilterWhenIpOverFailedAttemptLimitThenTooManyRequestsEvenForValidKey() {
        server.start(Map.of("failedAttemptsPerIp", "3/1m"));
        String key = server.store.addKey("alice");
        String unknown = ApiKeyFormat.crc32().generate(InMemoryKeyStore.PREFIX);
        for (int i = 0; i < 3; i++) {
            assertThat(server.getWithKey(unknown).statusCode()).isEqualTo(401);
        }

        HttpResponse<String> response = server.getWithKey(key);

        assertThat(response.statusCode()).isEqualTo(429);
        assertThat(response.headers().firstValue("Retry-After")).hasValue("20");
        assertThat(server.store.findCalls).hasValue(1);

        server.time.advance(Duration.ofSeconds(20));
        assertThat(server.getWithKey(key).statusCode()).isEqualTo(200);
    }

    @Test
    void doFilterWhenAnonymousAllowedThenContinuesWithoutPrincipal() {
        server.start(Map.of("allowUnauthenticatedRequests", "true"));

        HttpResponse<String> response = server.get("/api");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("principal=null", "authType=null", "attribute=null");
    }

    @Test
    void doFilterWhenAnonymousAllowedAndKeyInvalidThenStillUnauthorized() {
        server.start(Map.of("allowUnauthenticatedRequests", "true"));

        assertUnauthorized(server.getWithKey(ApiKeyFormat.crc32().generate(InMemoryKeyStore.PREFIX)), true);
    }

    @Test
    void doFilterWhenHideCredentialsByDefaultThenKeyHeaderHidden() {
        server.start();
        String key = server.store.addKey("alice");

        HttpResponse<String> response = server.getWithKey(key);

        assertThat(response.body()).contains("authorization=null", "authorizationHeaders=[]").doesNotContain(key);
        assertThat(line(response, "headerNames=")).doesNotContainIgnoringCase("authorization");
    }

    @Test
    void doFilterWhenHideCredentialsOffThenKeyHeaderVisible() {
        server.start(Map.of("hideCredentials", "false"));
        String key = server.store.addKey("alice");

        assertThat(server.getWithKey(key).body()).contains("authorization=Bearer " + key);
    }

    @Test
    void doFilterWhenMetadataRolesContainRoleThenUserInRole() {
        server.start();
        String admin = server.store.addKey(InMemoryKeyStore.BUCKET, "root", Map.of("roles", List.of("admin")), null,
                true);
        String viewer = server.store.addKey(InMemoryKeyStore.BUCKET, "eve", Map.of("roles", List.of("viewer")), null,
                true);

        assertThat(server.getWithKey(admin).body()).contains("admin=true");
        assertThat(server.getWithKey(viewer).body()).contains("admin=false");
    }

    @Test
    void doFilterWhenNextRequestOnSameThreadIsAnonymousThenNoPrincipalLeaks() {
        server.start(Map.of("allowUnauthenticatedRequests", "true"));
        String key = server.store.addKey("alice");
        assertThat(server.getWithKey(key).body()).contains("principal=alice");

        assertThat(server.get("/api").body()).contains("principal=null", "remoteUser=null", "attribute=null");
    }

    @Test
    void doFilterWhenHeaderIsTenKilobytesThenUnauthorized() {
        server.start();

        assertUnauthorized(server.get("/api", "Authorization", "Bearer " + "x".repeat(10 * 1024)), true);
        assertThat(server.store.findCalls).hasValue(0);
    }

    @Test
    void doFilterWhenManyDistinctUnknownKeysThenCacheStaysWithinConfiguredBound() {
        server.start(Map.of("cacheMaximumSize", "100"));
        ApiKeyFormat format = ApiKeyFormat.crc32();
        for (int i = 0; i < 1_000; i++) {
            server.filter.validator().validate(format.generate(InMemoryKeyStore.PREFIX));
        }

        server.filter.cache().cleanUp();

        assertThat(server.filter.cache().estimatedSize()).isLessThanOrEqualTo(100);
    }

    @Test
    void doFilterWhenIpBlockedAndTwoKeysThenTooManyRequests() {
        server.start(Map.of("failedAttemptsPerIp", "1/1m"));
        String key = server.store.addKey("alice");
        server.get("/api", "Authorization", "Bearer " + key, "Authorization", "Bearer " + key);

        assertThat(server.get("/api", "Authorization", "Bearer " + key, "Authorization", "Bearer " + key)
                .statusCode()).isEqualTo(429);
    }

    @Test
    void doFilterWhenValidKeyThenLastUsedRecordedOffTheRequestPath() {
        server.start();
        String key = server.store.addKey("alice");
        server.getWithKey(key);
        assertThat(server.store.lastUsed).isEmpty();

        server.filter.lastUsed().flush();

        assertThat(server.store.lastUsed).containsEntry(server.store.stored(key).keyId(), server.time.instant());
    }

    @Test
    void destroyWhenLastUsedPendingThenFlushed() {
        server.start();
        String key = server.store.addKey("alice");
        server.getWithKey(key);

        server.filter.destroy();

        assertThat(server.store.lastUsed).containsKey(server.store.stored(key).keyId());
    }

    @Test
    void doFilterWhenHmacChecksumThenOnlyKeysMintedWithTheSecretReachTheStore() {
        server.start(Map.of("checksum", "hmac", "checksumSecret", "test-secret"));
        String minted = server.store.addKey(ApiKeyFormat.hmac("test-secret"), "alice");
        String forged = server.store.addKey(ApiKeyFormat.hmac("guessed"), "mallory");

        assertThat(server.getWithKey(minted).statusCode()).isEqualTo(200);
        assertUnauthorized(server.getWithKey(forged), true);
        assertThat(server.store.findCalls).hasValue(1);
        assertThat(server.count("gatekey.requests", "outcome", "bad_checksum")).isEqualTo(1);
    }

    @Test
    void initWhenStartedThenOneDaemonPollerThreadStoppedByDestroy() {
        server.start();
        assertThat(pollerThreads()).singleElement().satisfies(t -> assertThat(t.isDaemon()).isTrue());

        server.filter.destroy();

        assertThat(pollerThreads()).isEmpty();
    }

    private static List<Thread> pollerThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> ApiKeyFilter.THREAD_NAME.equals(t.getName()) && t.isAlive()).toList();
    }

    @Test
    void initWhenSettingsValidThenOneInfoLineWithoutSecrets() throws Exception {
        try (LogCapture log = new LogCapture(ApiKeyFilter.class)) {
            server.start(Map.of("checksum", "hmac", "checksumSecret", "s3cr3t-value"));

            assertThat(log.at(java.util.logging.Level.INFO)).singleElement()
                    .satisfies(r -> assertThat(r.getMessage()).contains("bucket=demo-live", "checksum=hmac")
                            .doesNotContain("s3cr3t-value"));
        }
    }
}
