package dev.gatekey.filter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatekey.format.ChecksumMode;
import dev.gatekey.ratelimit.RateLimit;
import dev.gatekey.store.StoreSettings;
import jakarta.servlet.ServletException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class FilterSettingsTest {

    private static final UnaryOperator<String> NO_ENV = name -> null;

    private static FilterSettings parse(String... pairs) throws ServletException {
        return parse(NO_ENV, pairs);
    }

    private static FilterSettings parse(UnaryOperator<String> env, String... pairs) throws ServletException {
        Map<String, String> params = new HashMap<>();
        params.put("bucket", "demo-live");
        for (int i = 0; i < pairs.length; i += 2) {
            if (pairs[i + 1] == null) {
                params.remove(pairs[i]);
            } else {
                params.put(pairs[i], pairs[i + 1]);
            }
        }
        return FilterSettings.parse(params, env);
    }

    @Test
    void parseWhenOnlyBucketThenDefaults() throws Exception {
        FilterSettings s = parse();

        assertThat(s.buckets()).containsExactly("demo-live");
        assertThat(s.authHeader()).isEqualTo("Authorization");
        assertThat(s.authScheme()).isEqualTo("Bearer");
        assertThat(s.queryParam()).isNull();
        assertThat(s.allowUnauthenticatedRequests()).isFalse();
        assertThat(s.hideCredentials()).isTrue();
        assertThat(s.realm()).isEqualTo("api");
        assertThat(s.cacheTtl()).isEqualTo(Duration.ofSeconds(60));
        assertThat(s.cacheMaximumSize()).isEqualTo(100_000);
        assertThat(s.staleIfError()).isEqualTo(Duration.ofSeconds(300));
        assertThat(s.checksum()).isEqualTo(ChecksumMode.CRC32);
        assertThat(s.checksumSecret()).isNull();
        assertThat(s.rateLimitPerKey()).isNull();
        assertThat(s.failedAttemptsPerIp()).isEqualTo(new RateLimit(30, Duration.ofMinutes(1)));
        assertThat(s.store()).isEqualTo(StoreSettings.jndi("java:comp/env/jdbc/gatekey"));
        assertThat(s.changePoll()).isEqualTo(Duration.ofSeconds(1));
        assertThat(s.redisUrl()).isNull();
        assertThat(s.toString()).contains("rateLimitStore=local").doesNotContain("redisUrl");
    }

    @Test
    void parseWhenRedisStoreThenUrlKeptAndRedactedInToString() throws Exception {
        FilterSettings s = parse(name -> "GK_REDIS".equals(name) ? "redis://gk:hunter2@redis.internal:6379/2" : null,
                "rateLimitStore", "redis", "redisUrl", "${env:GK_REDIS}");

        assertThat(s.redisUrl()).isEqualTo("redis://gk:hunter2@redis.internal:6379/2");
        assertThat(s.toString()).contains("rateLimitStore=redis, redisUrl=redis://gk:***@redis.internal:6379/2")
                .doesNotContain("hunter2");
        assertThat(parse("rateLimitStore", "local").redisUrl()).isNull();
        assertThat(parse("rateLimitStore", "redis", "redisUrl", "rediss://h").redisUrl()).isEqualTo("rediss://h");
    }

    @Test
    void parseWhenRedisWithoutUrlThenRefused() {
        assertThatThrownBy(() -> parse("rateLimitStore", "redis"))
                .hasMessage("Parameter [rateLimitStore] is [redis] but [redisUrl] is not set");
    }

    @Test
    void parseWhenUrlWithoutRedisThenRefused() {
        assertThatThrownBy(() -> parse("redisUrl", "redis://h:6379"))
                .hasMessage("Parameter [redisUrl] is set but [rateLimitStore] is not [redis]");
        assertThatThrownBy(() -> parse("rateLimitStore", "local", "redisUrl", "redis://:hunter2@h"))
                .hasMessage("Parameter [redisUrl] is set but [rateLimitStore] is not [redis]");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "http://h:6379|http://h:6379",
        "h:6379|h:6379",
        "redis://|redis://",
        "redis://h 1|redis://h 1",
        "redis://:hunter2@|redis://:***@",
        "rediss://u:hunter2@/0|rediss://u:***@/0",
    })
    void parseWhenRedisUrlIllegalThenRefusedWithoutPassword(String url, String shown) {
        assertThatThrownBy(() -> parse("rateLimitStore", "redis", "redisUrl", url))
                .hasMessage("Illegal value for parameter [redisUrl]: [" + shown + "]");
    }

    @Test
    void parseWhenStoreResilienceParamsUnsetThenDefaults() throws Exception {
        FilterSettings s = parse();

        assertThat(s.store().connectionTimeout()).isEqualTo(Duration.ofMillis(1000));
        assertThat(s.store().statementTimeout()).isEqualTo(Duration.ofMillis(1000));
        assertThat(s.storeMaxConcurrentLookups()).isEqualTo(16);
    }

    @Test
    void parseWhenStoreResilienceParamsSetThenInTheStoreSettings() throws Exception {
        FilterSettings s = parse("jdbcUrl", "jdbc:h2:mem:x", "storeConnectionTimeoutMillis", "300",
                "storeStatementTimeoutMillis", " 250 ", "storeMaxConcurrentLookups", "4");

        assertThat(s.store()).isEqualTo(StoreSettings.jdbc("jdbc:h2:mem:x", null, null)
                .withTimeouts(Duration.ofMillis(300), Duration.ofMillis(250)));
        assertThat(s.storeMaxConcurrentLookups()).isEqualTo(4);
        assertThat(s.toString()).contains("storeStatementTimeoutMillis=250", "storeMaxConcurrentLookups=4",
                "connectionTimeoutMillis=300");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "storeConnectionTimeoutMillis|249",
        "storeConnectionTimeoutMillis|60001",
        "storeStatementTimeoutMillis|9",
        "storeStatementTimeoutMillis|1s",
        "storeMaxConcurrentLookups|0",
        "storeMaxConcurrentLookups|1001",
    })
    void parseWhenStoreResilienceParamOutOfRangeThenRefusedNamingIt(String param, String value) {
        assertThatThrownBy(() -> parse(param, value))
                .hasMessage("Illegal value for parameter [" + param + "]: [" + value + "]");
    }

    @Test
    void parseWhenRateLimitStoreUnknownThenRefused() {
        assertThatThrownBy(() -> parse("rateLimitStore", "memcached"))
                .hasMessage("Illegal value for parameter [rateLimitStore]: [memcached]");
    }

    @Test
    void parseWhenEveryParamSetThenAllApplied() throws Exception {
        FilterSettings s = parse("bucket", "a-one,b-two", "authHeader", "X-Api-Key", "authScheme", "",
                "queryParam", "api_key", "allowUnauthenticatedRequests", "TRUE", "hideCredentials", "false",
                "realm", "orders", "cacheTtlSeconds", "5", "cacheMaximumSize", "10", "staleIfErrorSeconds", "0",
                "checksum", "hmac", "checksumSecret", "s", "rateLimitPerKey", "5000/1h",
                "failedAttemptsPerIp", "10/1s", "jdbcUrl", "jdbc:h2:mem:x", "jdbcUser", "sa", "jdbcPassword", "pw",
                "changePollMillis", "250");

        assertThat(s.buckets()).containsExactly("a-one", "b-two");
        assertThat(s.authScheme()).isEmpty();
        assertThat(s.allowUnauthenticatedRequests()).isTrue();
        assertThat(s.rateLimitPerKey()).isEqualTo(new RateLimit(5000, Duration.ofHours(1)));
        assertThat(s.store()).isEqualTo(StoreSettings.jdbc("jdbc:h2:mem:x", "sa", "pw"));
        assertThat(s.changePoll()).isEqualTo(Duration.ofMillis(250));
        assertThat(s.toString()).doesNotContain("pw").contains("checksum=hmac", "cacheTtlSeconds=5");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "cacheTtlSeconds|abc",
        "cacheTtlSeconds|0",
        "cacheMaximumSize|-1",
        "staleIfErrorSeconds|1.5",
        "changePollMillis|0",
        "allowUnauthenticatedRequests|yes",
        "hideCredentials|1",
        "checksum|md5",
        "rateLimitPerKey|100",
        "rateLimitPerKey|100/s",
        "failedAttemptsPerIp|0/1m",
        "authHeader|Bad Header",
        "authScheme|Bear er",
        "queryParam|a b",
        "realm|say \"hi\"",
        "bucket|Demo",
        "bucket|demo-live,,x-y-z",
        "jdbcUrl|postgres://x",
    })
    void parseWhenValueIllegalThenMessageNamesParamAndValue(String param, String value) {
        assertThatThrownBy(() -> parse(param, value)).isInstanceOf(ServletException.class)
                .hasMessageStartingWith("Illegal value for parameter [" + param + "]: [" + value + "]");
    }

    @ParameterizedTest
    @ValueSource(strings = {"failedAttemptsPerIp", "rateLimitPerKey"})
    void parseWhenRateAboveWhatBucket4jAcceptsThenRefusedAtStartUpNamingParamAndReason(String param) {
        assertThatThrownBy(() -> parse(param, "9999999999/1s")).isInstanceOf(ServletException.class)
                .hasMessageStartingWith("Illegal value for parameter [" + param + "]: [9999999999/1s]: ")
                .hasMessageContaining("outside what the rate-limit library accepts");
    }

    @Test
    void parseWhenUnknownParamThenMessageNamesIt() {
        assertThatThrownBy(() -> parse("cacheTTL", "5")).hasMessage("Unknown parameter [cacheTTL]: [5]");
    }

    @Test
    void parseWhenBucketMissingThenRequired() {
        assertThatThrownBy(() -> parse("bucket", null)).hasMessage("Missing required parameter [bucket]");
    }

    @Test
    void parseWhenSecretIllegalThenValueNotEchoed() {
        assertThatThrownBy(() -> parse("checksum", "hmac", "checksumSecret", ""))
                .hasMessage("Illegal value for parameter [checksumSecret]: [(hidden)]");
    }

    @Test
    void parseWhenPasswordWithoutJdbcUrlThenPasswordNotEchoed() {
        assertThatThrownBy(() -> parse("jdbcPassword", "hunter2"))
                .hasMessage("Parameter [jdbcPassword] needs [jdbcUrl]")
                .message().doesNotContain("hunter2");
    }

    @Test
    void parseWhenHmacWithoutSecretThenRefused() {
        assertThatThrownBy(() -> parse("checksum", "hmac"))
                .hasMessage("Parameter [checksum] is [hmac] but [checksumSecret] is not set");
    }

    @Test
    void parseWhenSecretWithoutHmacThenRefused() {
        assertThatThrownBy(() -> parse("checksumSecret", "s"))
                .hasMessage("Parameter [checksumSecret] is set but [checksum] is not [hmac]");
    }

    @Test
    void parseWhenDataSourceAndJdbcUrlThenRefused() {
        assertThatThrownBy(() -> parse("dataSource", "java:comp/env/jdbc/x", "jdbcUrl", "jdbc:h2:mem:x"))
                .hasMessage("Parameters [dataSource] and [jdbcUrl] cannot both be set");
    }

    @Test
    void parseWhenEnvVariableThenExpanded() throws Exception {
        FilterSettings s = parse(name -> "GK_SECRET".equals(name) ? "from-env" : null,
                "checksum", "hmac", "checksumSecret", "${env:GK_SECRET}");

        assertThat(s.checksumSecret()).isEqualTo("from-env");
    }

    @Test
    void parseWhenSystemPropertyThenExpandedInsideText() throws Exception {
        System.setProperty("gatekey.test.bucket", "live");
        try {
            assertThat(parse("bucket", "demo-${sys:gatekey.test.bucket}").buckets()).containsExactly("demo-live");
        } finally {
            System.clearProperty("gatekey.test.bucket");
        }
    }

    @Test
    void parseWhenVariableUnsetThenMessageNamesIt() {
        assertThatThrownBy(() -> parse("checksum", "hmac", "checksumSecret", "${env:GK_MISSING}"))
                .hasMessage("Undefined variable [${env:GK_MISSING}] in parameter [checksumSecret]");
    }

    @Test
    void parseWhenBucketsRepeatThenOnce() throws Exception {
        assertThat(parse("bucket", "demo-live, demo-live").buckets()).isEqualTo(List.of("demo-live"));
    }

    @Test
    void parseWhenLegacyKeysUnsetThenRejectedAndShown() throws ServletException {
        FilterSettings s = parse();
        assertThat(s.legacyKeys()).isFalse();
        assertThat(s.toString()).contains("legacyKeys=reject");
    }

    @Test
    void parseWhenLegacyKeysAcceptThenAccepted() throws ServletException {
        FilterSettings s = parse("legacyKeys", "accept");
        assertThat(s.legacyKeys()).isTrue();
        assertThat(s.toString()).contains("legacyKeys=accept");
        assertThat(parse("legacyKeys", "reject").legacyKeys()).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"yes", "ACCEPT", "true", ""})
    void parseWhenLegacyKeysNeitherRejectNorAcceptThenRefusedNamingIt(String value) {
        assertThatThrownBy(() -> parse("legacyKeys", value))
                .hasMessage("Illegal value for parameter [legacyKeys]: [" + value + "]");
    }
}
