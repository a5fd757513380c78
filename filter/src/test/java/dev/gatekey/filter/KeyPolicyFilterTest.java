package dev.gatekey.filter;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatekey.store.CreditPolicy;
import dev.gatekey.store.KeyPolicy;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Key policies end to end in embedded Tomcat: allowlists, required scopes, credits. */
class KeyPolicyFilterTest {

    private static final CreditPolicy.Refill DAILY_5 = new CreditPolicy.Refill(CreditPolicy.Interval.DAILY, 5, null);

    private final FilterServer server = new FilterServer();

    @AfterEach
    void stop() throws Exception {
        server.close();
    }

    private String keyWith(Set<String> scopes, List<String> allowedIps, CreditPolicy credits) {
        return server.store.addKey("alice", new KeyPolicy(scopes, allowedIps, credits));
    }

    private String keyWithCredits(long remaining) {
        return keyWith(Set.of(), List.of(), new CreditPolicy(remaining, 0, null, null));
    }

    private static void assertProblem(HttpResponse<String> response, int status, String detail) {
        assertThat(response.statusCode()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                v -> assertThat(v).startsWith("application/problem+json"));
        assertThat(response.body()).contains("\"status\":" + status, "\"detail\":\"" + detail + "\"");
    }

    @Test
    void doFilterWhenAddressOutsideAllowlistThen403IpDenied() {
        server.start();
        String key = keyWith(Set.of(), List.of("10.0.0.0/8", "2001:db8::/32"), null);

        HttpResponse<String> response = server.getWithKey(key);

        assertProblem(response, 403, "The API key may not be used from this address.");
        assertThat(response.headers().firstValue("WWW-Authenticate")).isEmpty();
        assertThat(server.count("gatekey.requests", "outcome", "ip_denied")).isEqualTo(1);
    }

    @Test
    void doFilterWhenAddressInsideAllowlistThenAccepted() {
        server.start();
        String key = keyWith(Set.of(), List.of("10.0.0.0/8", "127.0.0.0/8", "::1"), null);

        assertThat(server.getWithKey(key).statusCode()).isEqualTo(200);
    }

    @Test
    void doFilterWhenRequiredScopeMissingThen403WithInsufficientScopeChallenge() {
        server.start(Map.of("requiredScopes", "orders:read, orders:write"));
        String key = keyWith(Set.of("orders:read"), List.of(), null);

        HttpResponse<String> response = server.getWithKey(key);

        assertProblem(response, 403, "The API key lacks a required scope.");
        assertThat(response.headers().firstValue("WWW-Authenticate")).hasValue(
                "Bearer realm=\"api\", error=\"insufficient_scope\", scope=\"orders:read orders:write\"");
        assertThat(server.count("gatekey.requests", "outcome", "insufficient_scope")).isEqualTo(1);
    }

    @Test
    void doFilterWhenKeyHasAllRequiredScopesThenAcceptedWithScopesAsRoles() {
        server.start(Map.of("requiredScopes", "orders:read"));
        String key = keyWith(Set.of("orders:read", "billing"), List.of(), null);

        HttpResponse<String> response = server.getWithKey(key);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("ordersRead=true", "admin=false");
    }

    @Test
    void doFilterWhenKeyWithoutScopesAndNoneRequiredThenAccepted() {
        server.start();
        String key = server.store.addKey("alice");

        HttpResponse<String> response = server.getWithKey(key);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("ordersRead=false");
    }

    @Test
    void doFilterWhenAddressDeniedAndScopeMissingThenIpDeniedFirst() {
        server.start(Map.of("requiredScopes", "orders:read"));
        String key = keyWith(Set.of(), List.of("10.0.0.0/8"), null);

        assertThat(server.getWithKey(key).statusCode()).isEqualTo(403);
        assertThat(server.count("gatekey.requests", "outcome", "ip_denied")).isEqualTo(1);
    }

    @Test
    void doFilterWhenScopeMissingThenNoCreditSpent() {
        server.start(Map.of("requiredScopes", "orders:read"));
        String key = keyWith(Set.of(), List.of(), new CreditPolicy(3, 0, null, null));

        assertThat(server.getWithKey(key).statusCode()).isEqualTo(403);
        assertThat(server.store.leaseCalls.get()).isZero();
    }

    @Test
    void doFilterWhenCreditsRunOutThen429UsageExceededWithRetryAfterUntilRefill() {
        server.start();
        String key = keyWith(Set.of(), List.of(), new CreditPolicy(2, 0, DAILY_5,
                server.time.instant().plus(Duration.ofDays(1))));
        server.time.advance(Duration.ofHours(6));

        assertThat(server.getWithKey(key).statusCode()).isEqualTo(200);
        assertThat(server.getWithKey(key).statusCode()).isEqualTo(200);
        HttpResponse<String> refused = server.getWithKey(key);

        assertProblem(refused, 429, "The API key has no credits left.");
        assertThat(refused.headers().firstValue("Retry-After")).hasValue(Long.toString(18 * 3600));
        assertThat(refused.headers().firstValue("RateLimit-Limit")).isEmpty();
        assertThat(server.count("gatekey.requests", "outcome", "usage_exceeded")).isEqualTo(1);
        assertThat(server.store.creditsLeft(key)).isZero();
    }

    @Test
    void doFilterWhenCreditsRunOutWithoutRefillThen429WithoutRetryAfter() {
        server.start();
        String key = keyWithCredits(0);

        HttpResponse<String> refused = server.getWithKey(key);

        assertProblem(refused, 429, "The API key has no credits left.");
        assertThat(refused.headers().firstValue("Retry-After")).isEmpty();
    }

    @Test
    void doFilterWhenRefillDueThenCreditsAgainAndRefilledOnce() {
        server.start();
        String key = keyWith(Set.of(), List.of(), new CreditPolicy(1, 0, DAILY_5,
                server.time.instant().plus(Duration.ofDays(1))));
        assertThat(server.getWithKey(key).statusCode()).isEqualTo(200);
        assertThat(server.getWithKey(key).statusCode()).isEqualTo(429);

        server.time.advance(Duration.ofDays(1));

        assertThat(server.getWithKey(key).statusCode()).isEqualTo(200);
        assertThat(server.store.creditsGeneration(key)).isEqualTo(1);
        assertThat(server.store.creditsLeft(key)).isLessThan(5);
        server.filter.pollOnce();
        assertThat(server.getWithKey(key).statusCode()).isEqualTo(200);
        assertThat(server.store.creditsGeneration(key)).isEqualTo(1);
    }

    @Test
    void doFilterWhenCreditCostZeroThenFreeWithoutLease() {
        server.start(Map.of("creditCost", "0"));
        String key = keyWithCredits(0);

        assertThat(server.getWithKey(key).statusCode()).isEqualTo(200);
        assertThat(server.store.leaseCalls.get()).isZero();
    }

    @Test
    void doFilterWhenCreditCostAboveRemainingThen429() {
        server.start(Map.of("creditCost", "3"));
        String key = keyWithCredits(5);

        assertThat(server.getWithKey(key).statusCode()).isEqualTo(200);
        assertThat(server.getWithKey(key).statusCode()).isEqualTo(429);
        assertThat(server.store.creditsLeft(key)).isLessThanOrEqualTo(2);
    }

    @Test
    void doFilterWhenKeyWithoutCreditsThenNoLease() {
        server.start();
        String key = server.store.addKey("alice");

        assertThat(server.getWithKey(key).statusCode()).isEqualTo(200);
        assertThat(server.store.leaseCalls.get()).isZero();
    }

    @Test
    void doFilterWhenLeaseFailsThen503NotAccepted() {
        server.start();
        String key = keyWithCredits(10);
        server.store.creditsDown = true;

        HttpResponse<String> response = server.getWithKey(key);

        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(response.headers().firstValue("Retry-After")).hasValue("5");
    }

    @Test
    void doFilterWhenLeasesKeepFailingThenBreakerOpensAndLaterRequestsGet503WithoutWaitingForTheStore() {
        server.start();
        String key = keyWithCredits(10);
        server.store.creditsDown = true;

        for (int i = 0; i < 20; i++) {
            assertThat(server.getWithKey(key).statusCode()).isEqualTo(503);
        }

        // the lookup and three failed leases open the lookups' breaker; the other 17 requests never reach the store
        assertThat(server.store.leaseCalls.get()).isLessThanOrEqualTo(4);
    }

    @Test
    void doFilterWhenRateLimitedThenNoCreditSpent() {
        server.start(Map.of("rateLimitPerKey", "1/1m"));
        String key = keyWithCredits(10);

        assertThat(server.getWithKey(key).statusCode()).isEqualTo(200);
        assertThat(server.getWithKey(key).statusCode()).isEqualTo(429);

        assertThat(server.count("gatekey.requests", "outcome", "rate_limited")).isEqualTo(1);
        assertThat(server.store.leaseCalls.get()).isEqualTo(1);
    }

    @Test
    void doFilterWhenLeasesGrowThenStoreAskedLessThanOncePerRequest() {
        server.start();
        String key = keyWithCredits(1000);

        for (int i = 0; i < 40; i++) {
            assertThat(server.getWithKey(key).statusCode()).isEqualTo(200);
        }

        assertThat(server.store.leaseCalls.get()).isLessThan(10);
        assertThat(server.store.creditsLeft(key)).isBetween(1000L - 40 - 16, 1000L - 40);
    }

    @Test
    void destroyWhenLeaseUnspentThenReturned() throws Exception {
        server.start();
        String key = keyWithCredits(1000);
        for (int i = 0; i < 4; i++) {
            server.getWithKey(key);
        }
        assertThat(server.store.creditsLeft(key)).isLessThan(996);

        server.close();

        assertThat(server.store.creditsLeft(key)).isEqualTo(996);
    }

    @Test
    void doFilterWhenCreditsSetByAdminThenOldLeaseDroppedNotReturned() throws Exception {
        server.start();
        String key = keyWithCredits(1000);
        for (int i = 0; i < 4; i++) {
            server.getWithKey(key);
        }
        server.store.setCredits(key, 1);
        server.filter.pollOnce();

        assertThat(server.getWithKey(key).statusCode()).isEqualTo(200);
        assertThat(server.getWithKey(key).statusCode()).isEqualTo(429);
        server.close();
        assertThat(server.store.creditsLeft(key)).isZero();
    }
}
