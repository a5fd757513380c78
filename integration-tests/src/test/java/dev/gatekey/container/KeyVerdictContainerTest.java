package dev.gatekey.container;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.gatekey.container.ContainerDatabase.IssuedKey;
import dev.gatekey.persistence.ConsumerChanges;
import dev.gatekey.testsupport.container.Deployments;
import dev.gatekey.testsupport.http.Http;
import java.net.URL;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What the store says about a key, end to end: the filter registered in web.xml, keys arranged through
 * {@code KeyManagement} in the same H2 database, changes reaching the filter through the change feed.
 */
@ExtendWith(ArquillianExtension.class)
class KeyVerdictContainerTest {

    private static final ContainerDatabase DB = ContainerDatabase.create("verdict");
    /** Far longer than any wait here: a change that shows up did so through the change feed. */
    private static final Duration FEED_DEADLINE = Duration.ofSeconds(5);

    @ArquillianResource
    private URL base;
    private Http http;

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.webXml("verdict", "container/web.xml", DB.jdbcUrl());
    }

    @AfterAll
    static void closeDatabase() {
        DB.close();
    }

    @BeforeEach
    void client() {
        http = Http.of(base);
    }

    @Test
    void whenKeyValidThenApplicationSeesPrincipal() {
        IssuedKey key = DB.issue(ContainerDatabase.BUCKET, "shop", Map.of("roles", List.of("admin"), "tier", "gold"));

        Http.Response reply = http.get("api/whoami", "Authorization", key.bearer());

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.field("principal")).isEqualTo(key.consumer());
        assertThat(reply.field("sub")).isEqualTo(key.consumer());
        assertThat(reply.field("remoteUser")).isEqualTo(key.consumer());
        assertThat(reply.field("authType")).isEqualTo("API_KEY");
        assertThat(reply.field("keyId")).isEqualTo(key.id());
        assertThat(reply.field("attribute")).isEqualTo(key.id());
        assertThat(reply.field("bucket")).isEqualTo(ContainerDatabase.BUCKET);
        assertThat(reply.json().get("admin").asBoolean()).isTrue();
        assertThat(reply.json().get("data").get("tier").asText()).isEqualTo("gold");
    }

    @Test
    void whenKeyMalformedThenUnauthorizedWithInvalidToken() {
        assertInvalid(http.get("api/whoami", "Authorization", "Bearer orders_tooShort_abc"), "The API key is not valid.");
    }

    @Test
    void whenChecksumWrongThenUnauthorizedWithoutStoreLookup() {
        String key = DB.unknownKey();
        String tampered = key.substring(0, key.length() - 1) + (key.endsWith("A") ? "B" : "A");
        double lookups = storeLookups();

        assertInvalid(http.get("api/whoami", "Authorization", "Bearer " + tampered), "The API key is not valid.");
        assertThat(storeLookups()).isEqualTo(lookups);
    }

    @Test
    void whenKeyUnknownThenUnauthorized() {
        assertInvalid(http.get("api/whoami", "Authorization", "Bearer " + DB.unknownKey()), "The API key is not valid.");
    }

    @Test
    void whenUnknownKeyRepeatedThenNegativeCacheAnswersWithoutStoreLookup() {
        String unknown = "Bearer " + DB.unknownKey();
        double before = storeLookups();

        assertThat(http.get("api/whoami", "Authorization", unknown).status()).isEqualTo(401);
        assertThat(storeLookups()).isEqualTo(before + 1);
        assertThat(http.get("api/whoami", "Authorization", unknown).status()).isEqualTo(401);
        assertThat(http.get("api/whoami", "Authorization", unknown).status()).isEqualTo(401);
        assertThat(storeLookups()).isEqualTo(before + 1);
    }

    @Test
    void whenKeyExpiredThenUnauthorizedSayingExpired() {
        IssuedKey expired = DB.issueExpired("late");

        assertInvalid(http.get("api/whoami", "Authorization", expired.bearer()), "The API key has expired.");
    }

    @Test
    void whenKeyOfAnotherBucketThenUnauthorizedLikeUnknown() {
        IssuedKey foreign = DB.issue(ContainerDatabase.OTHER_BUCKET, "billing-client", Map.of());

        assertInvalid(http.get("api/whoami", "Authorization", foreign.bearer()), "The API key is not valid.");
    }

    @Test
    void whenKeyRevokedAfterCachingThenRejectedWithinPollInterval() {
        IssuedKey key = DB.issue("revoked");
        assertThat(http.get("api/whoami", "Authorization", key.bearer()).status()).isEqualTo(200);

        DB.km.keys().revoke(ContainerDatabase.ACTOR, key.bucket(), key.consumer(), key.id());

        await().atMost(FEED_DEADLINE).pollInterval(Duration.ofMillis(50))
                .until(() -> http.get("api/whoami", "Authorization", key.bearer()).status() == 401);
        assertInvalid(http.get("api/whoami", "Authorization", key.bearer()), "The API key has been revoked.");
    }

    @Test
    void whenConsumerDeletedAfterCachingThenItsKeyRejectedWithinPollInterval() {
        IssuedKey key = DB.issue("deleted");
        assertThat(http.get("api/whoami", "Authorization", key.bearer()).status()).isEqualTo(200);

        DB.km.consumers().delete(ContainerDatabase.ACTOR, key.bucket(), key.consumer());

        await().atMost(FEED_DEADLINE).pollInterval(Duration.ofMillis(50))
                .until(() -> http.get("api/whoami", "Authorization", key.bearer()).status() == 401);
    }

    @Test
    void whenRolesChangeAfterCachingThenIsUserInRoleFlipsWithinPollInterval() {
        IssuedKey key = DB.issue(ContainerDatabase.BUCKET, "promoted", Map.of("roles", List.of("viewer")));
        assertThat(http.get("api/whoami", "Authorization", key.bearer()).json().get("admin").asBoolean()).isFalse();

        DB.km.consumers().update(ContainerDatabase.ACTOR, key.bucket(), key.consumer(),
                new ConsumerChanges(null, Map.of("roles", List.of("viewer", "admin")), null));

        await().atMost(FEED_DEADLINE).pollInterval(Duration.ofMillis(50))
                .until(() -> http.get("api/whoami", "Authorization", key.bearer()).json().get("admin").asBoolean());
    }

    @Test
    void whenCachesFlushedThenNextRequestGoesToTheStore() {
        IssuedKey key = DB.issue("flushed");
        assertThat(http.get("api/whoami", "Authorization", key.bearer()).status()).isEqualTo(200);
        double lookups = storeLookups();

        DB.km.keys().flushCaches(ContainerDatabase.ACTOR);

        await().atMost(FEED_DEADLINE).pollInterval(Duration.ofMillis(50)).until(() -> {
            assertThat(http.get("api/whoami", "Authorization", key.bearer()).status()).isEqualTo(200);
            return storeLookups() > lookups;
        });
    }

    @Test
    void whenKeyOverItsRateLimitThenTooManyRequestsWithRateLimitHeaders() {
        IssuedKey key = DB.issue("busy");
        assertThat(http.get("limited/whoami", "Authorization", key.bearer()).status()).isEqualTo(200);
        assertThat(http.get("limited/whoami", "Authorization", key.bearer()).status()).isEqualTo(200);

        Http.Response reply = http.get("limited/whoami", "Authorization", key.bearer());

        assertThat(reply.status()).isEqualTo(429);
        assertThat(reply.header("Content-Type")).startsWith("application/problem+json");
        assertThat(Long.parseLong(reply.header("Retry-After"))).isPositive();
        assertThat(reply.header("RateLimit-Limit")).isEqualTo("2");
        assertThat(reply.header("RateLimit-Remaining")).isEqualTo("0");
        assertThat(Long.parseLong(reply.header("RateLimit-Reset"))).isPositive();
        assertThat(reply.json().get("status").asInt()).isEqualTo(429);
        // another key of the same consumer's bucket is not affected
        assertThat(http.get("limited/whoami", "Authorization", DB.issue("calm").bearer()).status()).isEqualTo(200);
    }

    @Test
    void whenClientIpOverFailedAttemptLimitThenTooManyRequestsEvenWithValidKey() {
        for (int i = 0; i < 3; i++) {
            assertThat(http.get("guarded/whoami", "Authorization", "Bearer " + DB.unknownKey()).status())
                    .isEqualTo(401);
        }

        Http.Response blocked = http.get("guarded/whoami", "Authorization", DB.issue("innocent").bearer());

        assertThat(blocked.status()).isEqualTo(429);
        assertThat(Long.parseLong(blocked.header("Retry-After"))).isPositive();
        assertThat(blocked.json().get("status").asInt()).isEqualTo(429);
    }

    private double storeLookups() {
        var node = http.get("metrics").json().get("storeLookups");
        return node == null ? 0 : node.asDouble();
    }

    static void assertInvalid(Http.Response reply, String detail) {
        assertThat(reply.status()).isEqualTo(401);
        assertThat(reply.header("Content-Type")).startsWith("application/problem+json");
        assertThat(reply.header("WWW-Authenticate")).isEqualTo("Bearer realm=\"api\", error=\"invalid_token\"");
        assertThat(reply.json().get("status").asInt()).isEqualTo(401);
        assertThat(reply.json().get("title").asText()).isEqualTo("Unauthorized");
        assertThat(reply.json().get("detail").asText()).isEqualTo(detail);
    }
}
