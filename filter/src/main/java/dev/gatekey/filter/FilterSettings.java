package dev.gatekey.filter;

import dev.gatekey.config.Description;
import dev.gatekey.config.SettingsException;
import dev.gatekey.config.SettingsReader;
import dev.gatekey.format.ChecksumMode;
import dev.gatekey.policy.Scopes;
import dev.gatekey.ratelimit.RateLimit;
import dev.gatekey.store.BucketNames;
import dev.gatekey.store.StoreSettings;
import dev.gatekey.store.UsageRetention;
import jakarta.servlet.ServletException;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

/**
 * The filter's configuration, parsed and validated once from its init-params (see {@link ApiKeyFilter}).
 * {@link #toString()} shows no secret.
 *
 * <p>{@code legacyKeys} is true for {@code legacyKeys=accept} (see {@link LegacyKeys}).
 *
 * <p>{@code redisUrl} is {@code null} for local rate limits ({@code rateLimitStore=local}), else the Redis that
 * shares them ({@code rateLimitStore=redis}).
 *
 * <p>The init-param names are the public {@code String} constants named after them ({@link #BUCKET} is
 * {@code bucket}), {@link #PARAMS} all of them; a default is the constant {@code DEFAULT_} + that name, written
 * as the param is ({@link #DEFAULT_CACHE_TTL_SECONDS}). The admin WAR configures its key filter through them.
 */
public record FilterSettings(
        List<String> buckets,
        String authHeader,
        String authScheme,
        String queryParam,
        boolean allowUnauthenticatedRequests,
        boolean hideCredentials,
        String realm,
        Duration cacheTtl,
        long cacheMaximumSize,
        Duration staleIfError,
        ChecksumMode checksum,
        String checksumSecret,
        RateLimit rateLimitPerKey,
        RateLimit failedAttemptsPerIp,
        String redisUrl,
        StoreSettings store,
        Duration changePoll,
        int storeMaxConcurrentLookups,
        Set<String> requiredScopes,
        int creditCost,
        boolean usageCounting,
        Duration usageFlush,
        UsageRetention usageRetention,
        boolean legacyKeys,
        boolean passForeignCredentials) {

    public static final String BUCKET = "bucket";
    public static final String AUTH_HEADER = "authHeader";
    public static final String AUTH_SCHEME = "authScheme";
    public static final String QUERY_PARAM = "queryParam";
    public static final String ALLOW_UNAUTHENTICATED_REQUESTS = "allowUnauthenticatedRequests";
    public static final String HIDE_CREDENTIALS = "hideCredentials";
    public static final String REALM = "realm";
    public static final String CACHE_TTL_SECONDS = "cacheTtlSeconds";
    public static final String CACHE_MAXIMUM_SIZE = "cacheMaximumSize";
    public static final String STALE_IF_ERROR_SECONDS = "staleIfErrorSeconds";
    public static final String CHECKSUM = "checksum";
    public static final String CHECKSUM_SECRET = "checksumSecret";
    public static final String RATE_LIMIT_PER_KEY = "rateLimitPerKey";
    public static final String FAILED_ATTEMPTS_PER_IP = "failedAttemptsPerIp";
    public static final String RATE_LIMIT_STORE = "rateLimitStore";
    public static final String REDIS_URL = "redisUrl";
    public static final String DATA_SOURCE = "dataSource";
    public static final String JDBC_URL = "jdbcUrl";
    public static final String JDBC_USER = "jdbcUser";
    public static final String JDBC_PASSWORD = "jdbcPassword";
    public static final String CHANGE_POLL_MILLIS = "changePollMillis";
    public static final String STORE_CONNECTION_TIMEOUT_MILLIS = "storeConnectionTimeoutMillis";
    public static final String STORE_STATEMENT_TIMEOUT_MILLIS = "storeStatementTimeoutMillis";
    public static final String STORE_MAX_CONCURRENT_LOOKUPS = "storeMaxConcurrentLookups";
    public static final String REQUIRED_SCOPES = "requiredScopes";
    public static final String CREDIT_COST = "creditCost";
    public static final String USAGE_COUNTING = "usageCounting";
    public static final String USAGE_FLUSH_SECONDS = "usageFlushSeconds";
    public static final String USAGE_MINUTE_RETENTION_HOURS = "usageMinuteRetentionHours";
    public static final String USAGE_HOUR_RETENTION_DAYS = "usageHourRetentionDays";
    public static final String USAGE_DAY_RETENTION_DAYS = "usageDayRetentionDays";
    /** {@code reject} or {@code accept}: whether credentials not in Gatekey's format are looked up by their hash. */
    public static final String LEGACY_KEYS = "legacyKeys";
    public static final String FOREIGN_CREDENTIALS = "foreignCredentials";

    public static final String DEFAULT_AUTH_HEADER = "Authorization";
    public static final String DEFAULT_AUTH_SCHEME = "Bearer";
    public static final boolean DEFAULT_ALLOW_UNAUTHENTICATED_REQUESTS = false;
    public static final boolean DEFAULT_HIDE_CREDENTIALS = true;
    public static final String DEFAULT_REALM = "api";
    public static final long DEFAULT_CACHE_TTL_SECONDS = 60;
    public static final long DEFAULT_CACHE_MAXIMUM_SIZE = 100_000;
    public static final long DEFAULT_STALE_IF_ERROR_SECONDS = 300;
    public static final String DEFAULT_CHECKSUM = "crc32";
    public static final String DEFAULT_FAILED_ATTEMPTS_PER_IP = "30/1m";
    public static final String DEFAULT_RATE_LIMIT_STORE = "local";
    public static final String DEFAULT_DATA_SOURCE = "java:comp/env/jdbc/gatekey";
    public static final long DEFAULT_CHANGE_POLL_MILLIS = 1000;
    /** As {@link StoreSettings#DEFAULT_CONNECTION_TIMEOUT}. */
    public static final long DEFAULT_STORE_CONNECTION_TIMEOUT_MILLIS = 1000;
    /** As {@link StoreSettings#DEFAULT_STATEMENT_TIMEOUT}. */
    public static final long DEFAULT_STORE_STATEMENT_TIMEOUT_MILLIS = 1000;
    public static final int DEFAULT_STORE_MAX_CONCURRENT_LOOKUPS = 16;
    /** Credits one request spends of a key that has credits; 0 makes requests free. */
    public static final int DEFAULT_CREDIT_COST = 1;
    public static final String DEFAULT_LEGACY_KEYS = "reject";
    /**
     * {@code reject}: a credential that is not one of the filter's keys is refused (401). {@code pass}: it continues
     * untouched, for a later filter or mechanism (dual auth, see {@link RequireCallerFilter}).
     */
    public static final String DEFAULT_FOREIGN_CREDENTIALS = "reject";
    /** The most credits one request may cost. */
    public static final int MAX_CREDIT_COST = 1_000_000;
    public static final boolean DEFAULT_USAGE_COUNTING = true;
    public static final long DEFAULT_USAGE_FLUSH_SECONDS = 60;
    public static final long DEFAULT_USAGE_MINUTE_RETENTION_HOURS = 48;
    public static final long DEFAULT_USAGE_HOUR_RETENTION_DAYS = 90;
    public static final long DEFAULT_USAGE_DAY_RETENTION_DAYS = 400;

    /** Every init-param the filter accepts: any other name fails its start. */
    public static final Set<String> PARAMS = Set.of(BUCKET, AUTH_HEADER, AUTH_SCHEME, QUERY_PARAM,
            ALLOW_UNAUTHENTICATED_REQUESTS, HIDE_CREDENTIALS, REALM, CACHE_TTL_SECONDS, CACHE_MAXIMUM_SIZE,
            STALE_IF_ERROR_SECONDS, CHECKSUM, CHECKSUM_SECRET, RATE_LIMIT_PER_KEY, FAILED_ATTEMPTS_PER_IP,
            RATE_LIMIT_STORE, REDIS_URL, DATA_SOURCE, JDBC_URL, JDBC_USER, JDBC_PASSWORD, CHANGE_POLL_MILLIS,
            STORE_CONNECTION_TIMEOUT_MILLIS, STORE_STATEMENT_TIMEOUT_MILLIS, STORE_MAX_CONCURRENT_LOOKUPS,
            REQUIRED_SCOPES, CREDIT_COST, USAGE_COUNTING, USAGE_FLUSH_SECONDS, USAGE_MINUTE_RETENTION_HOURS,
            USAGE_HOUR_RETENTION_DAYS, USAGE_DAY_RETENTION_DAYS, LEGACY_KEYS,
            FOREIGN_CREDENTIALS);
    private static final Set<String> SECRETS = Set.of(CHECKSUM_SECRET, JDBC_PASSWORD);
    /** RFC 9110 token: header names, schemes, parameter names. */
    private static final Pattern TOKEN = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]{1,64}");
    private static final Pattern REALM_VALUE = Pattern.compile("[\\x20-\\x7e&&[^\"\\\\]]{1,100}");

    /**
     * Parses init-params.
     *
     * @param params init-param name to raw value
     * @param environment lookup of {@code ${env:NAME}}, usually {@code System::getenv}
     * @throws ServletException naming the param (and its value, unless it is a secret) when a param is
     *     unknown, missing, invalid, or conflicts with another
     */
    static FilterSettings parse(Map<String, String> params, UnaryOperator<String> environment)
            throws ServletException {
        try {
            return parse(SettingsReader.builder(SettingsReader.Kind.INIT_PARAMS).names(PARAMS)
                    .refuseUnknown(name -> true).secrets(SECRETS).urls(Set.of(REDIS_URL)).read(params, environment));
        } catch (SettingsException e) {
            throw new ServletException(e.getMessage());
        }
    }

    private static FilterSettings parse(SettingsReader s) {
        List<String> buckets = s.list(BUCKET, BucketNames.PATTERN);
        String authHeader = s.matching(AUTH_HEADER, DEFAULT_AUTH_HEADER, TOKEN);
        String authScheme = s.get(AUTH_SCHEME, DEFAULT_AUTH_SCHEME).trim();
        if (!authScheme.isEmpty() && !TOKEN.matcher(authScheme).matches()) {
            throw s.illegal(AUTH_SCHEME);
        }
        String queryParam = s.matching(QUERY_PARAM, null, TOKEN);
        boolean allowAnonymous = s.bool(ALLOW_UNAUTHENTICATED_REQUESTS, DEFAULT_ALLOW_UNAUTHENTICATED_REQUESTS);
        boolean hideCredentials = s.bool(HIDE_CREDENTIALS, DEFAULT_HIDE_CREDENTIALS);
        String realm = s.matching(REALM, DEFAULT_REALM, REALM_VALUE);
        Duration ttl = s.duration(CACHE_TTL_SECONDS, ChronoUnit.SECONDS, DEFAULT_CACHE_TTL_SECONDS, 1, 86_400);
        long maximumSize = s.number(CACHE_MAXIMUM_SIZE, DEFAULT_CACHE_MAXIMUM_SIZE, 1, 100_000_000);
        Duration stale = s.duration(STALE_IF_ERROR_SECONDS, ChronoUnit.SECONDS, DEFAULT_STALE_IF_ERROR_SECONDS, 0,
                86_400);
        ChecksumMode checksum = s.parsed(CHECKSUM, ChecksumMode.parse(DEFAULT_CHECKSUM), ChecksumMode::parse);
        String secret = s.get(CHECKSUM_SECRET);
        if (secret != null && secret.isEmpty()) {
            throw s.illegal(CHECKSUM_SECRET);
        }
        if (checksum == ChecksumMode.HMAC && secret == null) {
            throw s.isButNotSet(CHECKSUM, "hmac", CHECKSUM_SECRET);
        }
        if (checksum != ChecksumMode.HMAC && secret != null) {
            throw s.setButNot(CHECKSUM_SECRET, CHECKSUM, "hmac");
        }
        RateLimit perKey = s.explained(RATE_LIMIT_PER_KEY, null, RateLimit::parse);
        RateLimit perIp = s.explained(FAILED_ATTEMPTS_PER_IP, RateLimit.parse(DEFAULT_FAILED_ATTEMPTS_PER_IP),
                RateLimit::parse);
        String redisUrl = redisUrl(s);
        Duration poll = s.duration(CHANGE_POLL_MILLIS, ChronoUnit.MILLIS, DEFAULT_CHANGE_POLL_MILLIS, 10, 3_600_000);
        Duration connectionTimeout = s.duration(STORE_CONNECTION_TIMEOUT_MILLIS, ChronoUnit.MILLIS,
                DEFAULT_STORE_CONNECTION_TIMEOUT_MILLIS, StoreSettings.MIN_CONNECTION_TIMEOUT.toMillis(), 60_000);
        Duration statementTimeout = s.duration(STORE_STATEMENT_TIMEOUT_MILLIS, ChronoUnit.MILLIS,
                DEFAULT_STORE_STATEMENT_TIMEOUT_MILLIS, 10, 60_000);
        int maxLookups = s.integer(STORE_MAX_CONCURRENT_LOOKUPS, DEFAULT_STORE_MAX_CONCURRENT_LOOKUPS, 1, 1000);
        StoreSettings store = store(s).withTimeouts(connectionTimeout, statementTimeout);
        Set<String> requiredScopes = s.explained(REQUIRED_SCOPES, Set.of(), Scopes::parse);
        int creditCost = s.integer(CREDIT_COST, DEFAULT_CREDIT_COST, 0, MAX_CREDIT_COST);
        boolean legacyKeys = s.choice(LEGACY_KEYS, DEFAULT_LEGACY_KEYS, "reject", "accept").equals("accept");
        boolean passForeign = s.choice(FOREIGN_CREDENTIALS, DEFAULT_FOREIGN_CREDENTIALS, "reject", "pass")
                .equals("pass");
        boolean usageCounting = s.bool(USAGE_COUNTING, DEFAULT_USAGE_COUNTING);
        Duration usageFlush = s.duration(USAGE_FLUSH_SECONDS, ChronoUnit.SECONDS, DEFAULT_USAGE_FLUSH_SECONDS, 1, 60);
        UsageRetention retention = new UsageRetention(
                s.duration(USAGE_MINUTE_RETENTION_HOURS, ChronoUnit.HOURS, DEFAULT_USAGE_MINUTE_RETENTION_HOURS, 1, 720),
                s.duration(USAGE_HOUR_RETENTION_DAYS, ChronoUnit.DAYS, DEFAULT_USAGE_HOUR_RETENTION_DAYS, 1, 3650),
                s.duration(USAGE_DAY_RETENTION_DAYS, ChronoUnit.DAYS, DEFAULT_USAGE_DAY_RETENTION_DAYS, 1, 36_500));

        return new FilterSettings(buckets, authHeader, authScheme, queryParam, allowAnonymous, hideCredentials, realm,
                ttl, maximumSize, stale, checksum, secret, perKey, perIp, redisUrl, store, poll, maxLookups,
                requiredScopes, creditCost, usageCounting, usageFlush, retention, legacyKeys, passForeign);
    }

    /** The Redis URL when {@code rateLimitStore=redis}, {@code null} for local buckets. */
    private static String redisUrl(SettingsReader s) {
        String store = s.choice(RATE_LIMIT_STORE, DEFAULT_RATE_LIMIT_STORE, "local", "redis");
        if (store.equals("local")) {
            if (s.has(REDIS_URL)) {
                throw s.setButNot(REDIS_URL, RATE_LIMIT_STORE, "redis");
            }
            return null;
        }
        if (!s.has(REDIS_URL)) {
            throw s.isButNotSet(RATE_LIMIT_STORE, "redis", REDIS_URL);
        }
        return s.url(REDIS_URL, Set.of("redis", "rediss")::contains).toString();
    }

    private static StoreSettings store(SettingsReader s) {
        String dataSource = s.get(DATA_SOURCE);
        String jdbcUrl = s.get(JDBC_URL);
        if (dataSource != null && jdbcUrl != null) {
            throw s.notBoth(DATA_SOURCE, JDBC_URL);
        }
        if (dataSource != null && dataSource.isBlank()) {
            throw s.illegal(DATA_SOURCE);
        }
        if (jdbcUrl == null) {
            for (String param : List.of(JDBC_USER, JDBC_PASSWORD)) {
                if (s.has(param)) {
                    throw s.needs(param, JDBC_URL);
                }
            }
            return StoreSettings.jndi(dataSource == null ? DEFAULT_DATA_SOURCE : dataSource);
        }
        if (!jdbcUrl.startsWith("jdbc:")) {
            throw s.illegal(JDBC_URL);
        }
        return StoreSettings.jdbc(jdbcUrl, s.get(JDBC_USER), s.get(JDBC_PASSWORD));
    }

    /** True when the store settings were given explicitly rather than defaulted. */
    static boolean namesStore(Map<String, String> params) {
        return params.containsKey(DATA_SOURCE) || params.containsKey(JDBC_URL);
    }

    /** The effective settings for the start-up log line: no secret, not even whether it is long or short. */
    @Override
    public String toString() {
        return describe("");
    }

    /** The settings for the start-up line, with {@code storeInUse} in place of the store settings when set. */
    String describe(String storeInUse) {
        Description d = new Description().add(BUCKET, String.join(",", buckets)).add(AUTH_HEADER, authHeader)
                .add(AUTH_SCHEME, authScheme).add(QUERY_PARAM, queryParam)
                .add(ALLOW_UNAUTHENTICATED_REQUESTS, allowUnauthenticatedRequests)
                .add(HIDE_CREDENTIALS, hideCredentials).add(REALM, realm).add(CACHE_TTL_SECONDS, cacheTtl.toSeconds())
                .add(CACHE_MAXIMUM_SIZE, cacheMaximumSize).add(STALE_IF_ERROR_SECONDS, staleIfError.toSeconds())
                .add(CHECKSUM, checksum.name().toLowerCase(Locale.ROOT)).add(RATE_LIMIT_PER_KEY, rateLimitPerKey)
                .add(FAILED_ATTEMPTS_PER_IP, failedAttemptsPerIp);
        if (redisUrl == null) {
            d.add(RATE_LIMIT_STORE, "local");
        } else {
            d.add(RATE_LIMIT_STORE, "redis").url(REDIS_URL, redisUrl);
        }
        return d.part(storeInUse.isEmpty() ? "store=" + store : storeInUse)
                .add(CHANGE_POLL_MILLIS, changePoll.toMillis())
                .add(STORE_STATEMENT_TIMEOUT_MILLIS, store.statementTimeout().toMillis())
                .add(STORE_MAX_CONCURRENT_LOOKUPS, storeMaxConcurrentLookups)
                .add(REQUIRED_SCOPES, requiredScopes.isEmpty() ? null : String.join(",", requiredScopes))
                .add(CREDIT_COST, creditCost).add(USAGE_COUNTING, usageCounting)
                .add(USAGE_FLUSH_SECONDS, usageFlush.toSeconds())
                .add(LEGACY_KEYS, legacyKeys ? "accept" : "reject")
                .add(FOREIGN_CREDENTIALS, passForeignCredentials ? "pass" : "reject").toString();
    }

    /** How this filter reads a key, for the refusal of a request without one: {@code Authorization: Bearer <key>}. */
    String expectedCredential() {
        String header = authHeader + ": " + (authScheme.isEmpty() ? "" : authScheme + " ") + "<key>";
        return queryParam == null ? header : header + " (or the query parameter " + queryParam + ")";
    }
}
