package dev.gatekey.filter;

import dev.gatekey.config.Placeholders;
import dev.gatekey.format.ChecksumMode;
import dev.gatekey.ratelimit.RateLimit;
import dev.gatekey.ratelimit.RateLimiters;
import dev.gatekey.store.StoreSettings;
import jakarta.servlet.ServletException;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
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
 * <p>{@code redisUrl} is {@code null} for local rate limits ({@code rateLimitStore=local}), else the Redis that
 * shares them ({@code rateLimitStore=redis}).
 */
record FilterSettings(
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
        int storeMaxConcurrentLookups) {

    static final String BUCKET = "bucket";
    static final String AUTH_HEADER = "authHeader";
    static final String AUTH_SCHEME = "authScheme";
    static final String QUERY_PARAM = "queryParam";
    static final String ALLOW_UNAUTHENTICATED_REQUESTS = "allowUnauthenticatedRequests";
    static final String HIDE_CREDENTIALS = "hideCredentials";
    static final String REALM = "realm";
    static final String CACHE_TTL_SECONDS = "cacheTtlSeconds";
    static final String CACHE_MAXIMUM_SIZE = "cacheMaximumSize";
    static final String STALE_IF_ERROR_SECONDS = "staleIfErrorSeconds";
    static final String CHECKSUM = "checksum";
    static final String CHECKSUM_SECRET = "checksumSecret";
    static final String RATE_LIMIT_PER_KEY = "rateLimitPerKey";
    static final String FAILED_ATTEMPTS_PER_IP = "failedAttemptsPerIp";
    static final String RATE_LIMIT_STORE = "rateLimitStore";
    static final String REDIS_URL = "redisUrl";
    static final String DATA_SOURCE = "dataSource";
    static final String JDBC_URL = "jdbcUrl";
    static final String JDBC_USER = "jdbcUser";
    static final String JDBC_PASSWORD = "jdbcPassword";
    static final String CHANGE_POLL_MILLIS = "changePollMillis";
    static final String STORE_CONNECTION_TIMEOUT_MILLIS = "storeConnectionTimeoutMillis";
    static final String STORE_STATEMENT_TIMEOUT_MILLIS = "storeStatementTimeoutMillis";
    static final String STORE_MAX_CONCURRENT_LOOKUPS = "storeMaxConcurrentLookups";
    static final int DEFAULT_STORE_MAX_CONCURRENT_LOOKUPS = 16;

    private static final Set<String> PARAMS = Set.of(BUCKET, AUTH_HEADER, AUTH_SCHEME, QUERY_PARAM,
            ALLOW_UNAUTHENTICATED_REQUESTS, HIDE_CREDENTIALS, REALM, CACHE_TTL_SECONDS, CACHE_MAXIMUM_SIZE,
            STALE_IF_ERROR_SECONDS, CHECKSUM, CHECKSUM_SECRET, RATE_LIMIT_PER_KEY, FAILED_ATTEMPTS_PER_IP,
            RATE_LIMIT_STORE, REDIS_URL, DATA_SOURCE, JDBC_URL, JDBC_USER, JDBC_PASSWORD, CHANGE_POLL_MILLIS,
            STORE_CONNECTION_TIMEOUT_MILLIS, STORE_STATEMENT_TIMEOUT_MILLIS, STORE_MAX_CONCURRENT_LOOKUPS);
    private static final Set<String> SECRETS = Set.of(CHECKSUM_SECRET, JDBC_PASSWORD);
    private static final Pattern BUCKET_NAME = Pattern.compile("[a-z0-9][a-z0-9-]{2,63}");
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
        Map<String, String> p = new HashMap<>();
        for (Map.Entry<String, String> e : params.entrySet()) {
            if (!PARAMS.contains(e.getKey())) {
                throw new ServletException("Unknown parameter [" + e.getKey() + "]: [" + shown(e.getKey(), e.getValue())
                        + "]");
            }
            p.put(e.getKey(), expand(e.getKey(), e.getValue(), environment));
        }

        String bucketList = p.get(BUCKET);
        if (bucketList == null || bucketList.isBlank()) {
            throw new ServletException("Missing required parameter [" + BUCKET + "]");
        }
        Set<String> buckets = new LinkedHashSet<>();
        for (String b : bucketList.split(",", -1)) {
            String name = b.trim();
            if (!BUCKET_NAME.matcher(name).matches()) {
                throw illegal(BUCKET, bucketList);
            }
            buckets.add(name);
        }

        String authHeader = matching(p, AUTH_HEADER, "Authorization", TOKEN);
        String authScheme = p.getOrDefault(AUTH_SCHEME, "Bearer").trim();
        if (!authScheme.isEmpty() && !TOKEN.matcher(authScheme).matches()) {
            throw illegal(AUTH_SCHEME, p.get(AUTH_SCHEME));
        }
        String queryParam = p.containsKey(QUERY_PARAM) ? matching(p, QUERY_PARAM, null, TOKEN) : null;
        boolean allowAnonymous = bool(p, ALLOW_UNAUTHENTICATED_REQUESTS, false);
        boolean hideCredentials = bool(p, HIDE_CREDENTIALS, true);
        String realm = matching(p, REALM, "api", REALM_VALUE);
        long ttl = number(p, CACHE_TTL_SECONDS, 60, 1, 86_400);
        long maximumSize = number(p, CACHE_MAXIMUM_SIZE, 100_000, 1, 100_000_000);
        long stale = number(p, STALE_IF_ERROR_SECONDS, 300, 0, 86_400);
        ChecksumMode checksum;
        try {
            checksum = ChecksumMode.parse(p.getOrDefault(CHECKSUM, "crc32"));
        } catch (IllegalArgumentException e) {
            throw illegal(CHECKSUM, p.get(CHECKSUM));
        }
        String secret = p.get(CHECKSUM_SECRET);
        if (secret != null && secret.isEmpty()) {
            throw illegal(CHECKSUM_SECRET, secret);
        }
        if (checksum == ChecksumMode.HMAC && secret == null) {
            throw new ServletException("Parameter [" + CHECKSUM + "] is [hmac] but [" + CHECKSUM_SECRET
                    + "] is not set");
        }
        if (checksum != ChecksumMode.HMAC && secret != null) {
            throw new ServletException("Parameter [" + CHECKSUM_SECRET + "] is set but [" + CHECKSUM
                    + "] is not [hmac]");
        }
        RateLimit perKey = p.containsKey(RATE_LIMIT_PER_KEY) ? rate(p, RATE_LIMIT_PER_KEY) : null;
        RateLimit perIp = p.containsKey(FAILED_ATTEMPTS_PER_IP) ? rate(p, FAILED_ATTEMPTS_PER_IP)
                : RateLimit.parse("30/1m");
        String redisUrl = redisUrl(p);
        long poll = number(p, CHANGE_POLL_MILLIS, 1000, 10, 3_600_000);
        long connectionTimeout = number(p, STORE_CONNECTION_TIMEOUT_MILLIS,
                StoreSettings.DEFAULT_CONNECTION_TIMEOUT.toMillis(), StoreSettings.MIN_CONNECTION_TIMEOUT.toMillis(),
                60_000);
        long statementTimeout = number(p, STORE_STATEMENT_TIMEOUT_MILLIS,
                StoreSettings.DEFAULT_STATEMENT_TIMEOUT.toMillis(), 10, 60_000);
        int maxLookups = (int) number(p, STORE_MAX_CONCURRENT_LOOKUPS, DEFAULT_STORE_MAX_CONCURRENT_LOOKUPS, 1, 1000);
        StoreSettings store = store(p).withTimeouts(Duration.ofMillis(connectionTimeout),
                Duration.ofMillis(statementTimeout));

        return new FilterSettings(List.copyOf(new ArrayList<>(buckets)), authHeader, authScheme, queryParam,
                allowAnonymous, hideCredentials, realm, Duration.ofSeconds(ttl), maximumSize, Duration.ofSeconds(stale),
                checksum, secret, perKey, perIp, redisUrl, store, Duration.ofMillis(poll), maxLookups);
    }

    /** The Redis URL when {@code rateLimitStore=redis}, {@code null} for local buckets. */
    private static String redisUrl(Map<String, String> p) throws ServletException {
        String store = p.getOrDefault(RATE_LIMIT_STORE, "local").trim();
        String url = p.get(REDIS_URL);
        switch (store) {
            case "local" -> {
                if (url != null) {
                    throw new ServletException("Parameter [" + REDIS_URL + "] is set but [" + RATE_LIMIT_STORE
                            + "] is not [redis]");
                }
                return null;
            }
            case "redis" -> {
                if (url == null) {
                    throw new ServletException("Parameter [" + RATE_LIMIT_STORE + "] is [redis] but [" + REDIS_URL
                            + "] is not set");
                }
                try {
                    URI uri = new URI(url.trim());
                    String scheme = uri.getScheme();
                    if (!("redis".equals(scheme) || "rediss".equals(scheme)) || uri.getHost() == null) {
                        throw illegal(REDIS_URL, url);
                    }
                } catch (URISyntaxException e) {
                    throw illegal(REDIS_URL, url);
                }
                return url.trim();
            }
            default -> throw illegal(RATE_LIMIT_STORE, p.get(RATE_LIMIT_STORE));
        }
    }

    private static StoreSettings store(Map<String, String> p) throws ServletException {
        String dataSource = p.get(DATA_SOURCE);
        String jdbcUrl = p.get(JDBC_URL);
        if (dataSource != null && jdbcUrl != null) {
            throw new ServletException("Parameters [" + DATA_SOURCE + "] and [" + JDBC_URL
                    + "] cannot both be set");
        }
        if (dataSource != null && dataSource.isBlank()) {
            throw illegal(DATA_SOURCE, dataSource);
        }
        if (jdbcUrl == null) {
            for (String param : List.of(JDBC_USER, JDBC_PASSWORD)) {
                if (p.containsKey(param)) {
                    throw new ServletException("Parameter [" + param + "] needs [" + JDBC_URL + "]");
                }
            }
            return StoreSettings.jndi(dataSource == null ? "java:comp/env/jdbc/gatekey" : dataSource);
        }
        if (!jdbcUrl.startsWith("jdbc:")) {
            throw illegal(JDBC_URL, jdbcUrl);
        }
        return StoreSettings.jdbc(jdbcUrl, p.get(JDBC_USER), p.get(JDBC_PASSWORD));
    }

    /** True when the store settings were given explicitly rather than defaulted. */
    static boolean namesStore(Map<String, String> params) {
        return params.containsKey(DATA_SOURCE) || params.containsKey(JDBC_URL);
    }

    private static String expand(String param, String value, UnaryOperator<String> environment)
            throws ServletException {
        try {
            return Placeholders.expand(value, environment);
        } catch (IllegalArgumentException e) {
            throw new ServletException(e.getMessage() + " in parameter [" + param + "]");
        }
    }

    private static String matching(Map<String, String> p, String param, String defaultValue, Pattern pattern)
            throws ServletException {
        String value = p.get(param);
        if (value == null) {
            return defaultValue;
        }
        if (!pattern.matcher(value.trim()).matches()) {
            throw illegal(param, value);
        }
        return value.trim();
    }

    private static boolean bool(Map<String, String> p, String param, boolean defaultValue) throws ServletException {
        String value = p.get(param);
        if (value == null) {
            return defaultValue;
        }
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw illegal(param, value);
        };
    }

    private static long number(Map<String, String> p, String param, long defaultValue, long min, long max)
            throws ServletException {
        String value = p.get(param);
        if (value == null) {
            return defaultValue;
        }
        try {
            long n = Long.parseLong(value.trim());
            if (n < min || n > max) {
                throw illegal(param, value);
            }
            return n;
        } catch (NumberFormatException e) {
            throw illegal(param, value);
        }
    }

    private static RateLimit rate(Map<String, String> p, String param) throws ServletException {
        try {
            return RateLimit.parse(p.get(param));
        } catch (IllegalArgumentException e) {
            return throwIllegal(param, p.get(param), e.getMessage());
        }
    }

    /** Never returns: the reason (which quotes no secret) follows the value. */
    private static <T> T throwIllegal(String param, String value, String reason) throws ServletException {
        throw new ServletException(illegal(param, value).getMessage() + ": " + reason);
    }

    private static ServletException illegal(String param, String value) {
        return new ServletException("Illegal value for parameter [" + param + "]: [" + shown(param, value) + "]");
    }

    private static String shown(String param, String value) {
        if (REDIS_URL.equals(param)) {
            return RateLimiters.redact(value);
        }
        return SECRETS.contains(param) ? "(hidden)" : value;
    }

    /** The effective settings for the start-up log line: no secret, not even whether it is long or short. */
    @Override
    public String toString() {
        return describe("");
    }

    /** The settings for the start-up line, with {@code storeInUse} in place of the store settings when set. */
    String describe(String storeInUse) {
        String where = storeInUse.isEmpty() ? "store=" + store : storeInUse;
        return "bucket=" + String.join(",", buckets) + ", authHeader=" + authHeader + ", authScheme=" + authScheme
                + ", queryParam=" + queryParam + ", allowUnauthenticatedRequests=" + allowUnauthenticatedRequests
                + ", hideCredentials=" + hideCredentials + ", realm=" + realm + ", cacheTtlSeconds="
                + cacheTtl.toSeconds() + ", cacheMaximumSize=" + cacheMaximumSize + ", staleIfErrorSeconds="
                + staleIfError.toSeconds() + ", checksum=" + checksum.name().toLowerCase(Locale.ROOT)
                + ", rateLimitPerKey=" + rateLimitPerKey + ", failedAttemptsPerIp=" + failedAttemptsPerIp
                + (redisUrl == null ? ", rateLimitStore=local"
                        : ", rateLimitStore=redis, redisUrl=" + RateLimiters.redact(redisUrl))
                + ", " + where + ", changePollMillis=" + changePoll.toMillis() + ", storeStatementTimeoutMillis="
                + store.statementTimeout().toMillis() + ", storeMaxConcurrentLookups=" + storeMaxConcurrentLookups;
    }

    /** How this filter reads a key, for the refusal of a request without one: {@code Authorization: Bearer <key>}. */
    String expectedCredential() {
        String header = authHeader + ": " + (authScheme.isEmpty() ? "" : authScheme + " ") + "<key>";
        return queryParam == null ? header : header + " (or the query parameter " + queryParam + ")";
    }
}
