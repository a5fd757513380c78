package dev.gatekey.quickstart;

import dev.gatekey.admin.AdminSettings;
import dev.gatekey.admin.leak.LeakSettings;
import dev.gatekey.filter.FilterSettings;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The names {@code --set NAME=VALUE} accepts: {@code gatekey.*} are context params of the admin WAR,
 * {@code filter.*} init-params of the demo API's filter (without the prefix). The names and defaults are the WAR's
 * and the filter's own public constants ({@link AdminSettings}, {@link LeakSettings}, {@link FilterSettings}; a test
 * checks every name has its help line), so an unknown name is refused before anything starts, in the words the
 * WAR or the filter would use; a bad value is refused by them at start.
 *
 * <p>The admin WAR's classes are not on the quickstart's class path at run time (the WAR is, inside the jar): this
 * class and {@link Quickstart} use only their compile-time constants, which javac copies in.
 */
final class Settings {

    static final String ADMIN_PREFIX = "gatekey.";
    static final String FILTER_PREFIX = "filter.";
    /** The demo API's filter, as its {@code web.xml} names it. */
    static final String DEMO_FILTER = "gatekey";

    /** Admin WAR context params and their help line. */
    static final Map<String, String> ADMIN = ordered(
            AdminSettings.MASTER_KEYS, "id:BASE64[,id:BASE64...], first = current (default: the key in DIR/master-key)",
            AdminSettings.SESSION_TIMEOUT_MINUTES, "idle minutes before a web UI session ends, 1..1440 ("
                    + AdminSettings.DEFAULT_SESSION_TIMEOUT_MINUTES + ")",
            LeakSettings.LEAK_ACTION, "notify or revoke: what a leak reported by GitHub secret scanning does ("
                    + LeakSettings.DEFAULT_LEAK_ACTION + ")",
            LeakSettings.LEAK_WEBHOOK_URL, "http(s) URL told about each new leak (unset)",
            AdminSettings.WEBHOOK_THREADS, "lifecycle webhook deliveries attempted at once, 0..64, 0 = none ("
                    + AdminSettings.DEFAULT_WEBHOOK_THREADS + ")",
            LeakSettings.GITHUB_PUBLIC_KEYS, "GitHub's public_keys JSON: enables the secret-scanning webhook (unset)",
            LeakSettings.GITHUB_PUBLIC_KEYS_FILE, "a file holding that JSON, instead of the above (unset)",
            LeakSettings.LEAK_MAX_BODY_BYTES, "body limit of the secret-scanning webhook, 1024..67108864 ("
                    + LeakSettings.DEFAULT_LEAK_MAX_BODY_BYTES + ")",
            AdminSettings.MAX_BODY_BYTES, "body limit of the admin API, 1024..16777216 ("
                    + AdminSettings.DEFAULT_MAX_BODY_BYTES + ")",
            AdminSettings.CHANGE_POLL_MILLIS, "change feed poll of the admin key filter, 10..3600000 ("
                    + AdminSettings.DEFAULT_CHANGE_POLL_MILLIS + ")",
            AdminSettings.CHECKSUM, "crc32 or hmac: checksum of the keys the admin WAR creates ("
                    + AdminSettings.DEFAULT_CHECKSUM + ")",
            AdminSettings.CHECKSUM_SECRET, "HMAC secret, with " + AdminSettings.CHECKSUM + "=hmac (and "
                    + FILTER_PREFIX + FilterSettings.CHECKSUM + "=hmac)",
            AdminSettings.ADMIN_KEY_FILE, "where the first-start admin key is written (DIR/admin-key)",
            AdminSettings.PRINT_ADMIN_KEY, "true or false: also print the first-start admin key ("
                    + AdminSettings.DEFAULT_PRINT_ADMIN_KEY + "; see --quiet-admin-key)",
            AdminSettings.PORTAL_FRAME_ANCESTORS, "who may frame the self-serve portal: 'none', or 'self' and origins"
                    + " separated by spaces (" + AdminSettings.DEFAULT_PORTAL_FRAME_ANCESTORS + ")",
            AdminSettings.PORTAL_URL, "the portal's public URL, the base of portal links (unset: the admin URL"
                    + " + /portal/)",
            AdminSettings.PORTAL_SESSION_TIMEOUT_MINUTES, "idle minutes before a portal session ends, 1..1440 ("
                    + AdminSettings.DEFAULT_PORTAL_SESSION_TIMEOUT_MINUTES + ")",
            AdminSettings.PORTAL_SESSION_LIFETIME_MINUTES, "minutes a portal session lasts at most, 1..10080 ("
                    + AdminSettings.DEFAULT_PORTAL_SESSION_LIFETIME_MINUTES + ")",
            AdminSettings.DATA_SOURCE, "JNDI DataSource (default: the quickstart's H2 database)",
            AdminSettings.JDBC_URL, "a JDBC URL instead of the quickstart's database (unset)",
            AdminSettings.JDBC_USER, "user for " + AdminSettings.JDBC_URL,
            AdminSettings.JDBC_PASSWORD, "password for " + AdminSettings.JDBC_URL);

    /** Demo filter init-params (without {@value #FILTER_PREFIX}) and their help line. */
    static final Map<String, String> FILTER = ordered(
            FilterSettings.RATE_LIMIT_PER_KEY, "requests allowed per key, e.g. 10/1s or 5000/1h (unlimited)",
            FilterSettings.FAILED_ATTEMPTS_PER_IP, "failed authentications allowed per client IP ("
                    + FilterSettings.DEFAULT_FAILED_ATTEMPTS_PER_IP + ")",
            FilterSettings.CACHE_TTL_SECONDS, "how long a looked-up key is cached, 1..86400 ("
                    + FilterSettings.DEFAULT_CACHE_TTL_SECONDS + ")",
            FilterSettings.CACHE_MAXIMUM_SIZE, "cache bound in entries (" + FilterSettings.DEFAULT_CACHE_MAXIMUM_SIZE
                    + ")",
            FilterSettings.STALE_IF_ERROR_SECONDS, "serve a known-good cached key this long while the database fails ("
                    + FilterSettings.DEFAULT_STALE_IF_ERROR_SECONDS + ")",
            FilterSettings.CHANGE_POLL_MILLIS, "how often the change feed is polled ("
                    + FilterSettings.DEFAULT_CHANGE_POLL_MILLIS + ")",
            FilterSettings.STORE_CONNECTION_TIMEOUT_MILLIS, "longest wait for a database connection, 250..60000 ("
                    + FilterSettings.DEFAULT_STORE_CONNECTION_TIMEOUT_MILLIS + ")",
            FilterSettings.STORE_STATEMENT_TIMEOUT_MILLIS, "longest run of one database statement, 10..60000 ("
                    + FilterSettings.DEFAULT_STORE_STATEMENT_TIMEOUT_MILLIS + ")",
            FilterSettings.STORE_MAX_CONCURRENT_LOOKUPS, "key store lookups running at once (bulkhead), 1..1000 ("
                    + FilterSettings.DEFAULT_STORE_MAX_CONCURRENT_LOOKUPS + ")",
            FilterSettings.REQUIRED_SCOPES, "scopes every key needs, comma separated (unset: none)",
            FilterSettings.CREDIT_COST, "credits a request spends of a key that has credits; 0 = free ("
                    + FilterSettings.DEFAULT_CREDIT_COST + ")",
            FilterSettings.USAGE_COUNTING, "count requests per key, minute and outcome for the usage charts ("
                    + FilterSettings.DEFAULT_USAGE_COUNTING + ")",
            FilterSettings.USAGE_FLUSH_SECONDS, "how often usage counts are written, 1..60 ("
                    + FilterSettings.DEFAULT_USAGE_FLUSH_SECONDS + ")",
            FilterSettings.USAGE_MINUTE_RETENTION_HOURS, "hours per-minute usage counts are kept, 1..720 ("
                    + FilterSettings.DEFAULT_USAGE_MINUTE_RETENTION_HOURS + ")",
            FilterSettings.USAGE_HOUR_RETENTION_DAYS, "days per-hour usage counts are kept, 1..3650 ("
                    + FilterSettings.DEFAULT_USAGE_HOUR_RETENTION_DAYS + ")",
            FilterSettings.USAGE_DAY_RETENTION_DAYS, "days per-day usage counts are kept, 1..36500 ("
                    + FilterSettings.DEFAULT_USAGE_DAY_RETENTION_DAYS + ")",
            FilterSettings.LEGACY_KEYS, "reject or accept: look up credentials of another format by their SHA-256 ("
                    + FilterSettings.DEFAULT_LEGACY_KEYS + ")",
            FilterSettings.FOREIGN_CREDENTIALS, "reject or pass: pass lets a credential that is not a key of the "
                    + "filter's buckets through untouched, for another authentication ("
                    + FilterSettings.DEFAULT_FOREIGN_CREDENTIALS + ")",
            FilterSettings.AUTH_HEADER, "header carrying the key (" + FilterSettings.DEFAULT_AUTH_HEADER + ")",
            FilterSettings.AUTH_SCHEME, "scheme before the key; empty = the raw header value ("
                    + FilterSettings.DEFAULT_AUTH_SCHEME + ")",
            FilterSettings.QUERY_PARAM, "query parameter to accept keys from (unset: keys in URLs end up in logs)",
            FilterSettings.ALLOW_UNAUTHENTICATED_REQUESTS, "let keyless requests through without a principal ("
                    + FilterSettings.DEFAULT_ALLOW_UNAUTHENTICATED_REQUESTS + ")",
            FilterSettings.HIDE_CREDENTIALS, "remove the key from the request the API sees ("
                    + FilterSettings.DEFAULT_HIDE_CREDENTIALS + ")",
            FilterSettings.REALM, "realm in WWW-Authenticate (" + FilterSettings.DEFAULT_REALM + ")",
            FilterSettings.CHECKSUM, "crc32 or hmac (" + FilterSettings.DEFAULT_CHECKSUM + ")",
            FilterSettings.CHECKSUM_SECRET, "HMAC secret, with " + FilterSettings.CHECKSUM + "=hmac",
            FilterSettings.RATE_LIMIT_STORE, "local or redis: where rate limits are counted ("
                    + FilterSettings.DEFAULT_RATE_LIMIT_STORE + ")",
            FilterSettings.REDIS_URL, "redis:// or rediss:// URL, with " + FilterSettings.RATE_LIMIT_STORE + "=redis",
            FilterSettings.BUCKET, "bucket(s) whose keys the demo API accepts (demo-live)",
            FilterSettings.DATA_SOURCE, "JNDI DataSource (default: the quickstart's H2 database)",
            FilterSettings.JDBC_URL, "a JDBC URL instead of the quickstart's database (unset)",
            FilterSettings.JDBC_USER, "user for " + FilterSettings.JDBC_URL,
            FilterSettings.JDBC_PASSWORD, "password for " + FilterSettings.JDBC_URL);

    private Settings() {
    }

    /**
     * Checks one {@code --set} name.
     *
     * @throws Options.UsageException for a name neither the admin WAR nor the filter knows, worded as they word it
     */
    static void check(String name, String value) throws Options.UsageException {
        if (name.startsWith(ADMIN_PREFIX)) {
            if (!ADMIN.containsKey(name)) {
                throw new Options.UsageException("Unknown context parameter [" + name + "]");
            }
        } else if (name.startsWith(FILTER_PREFIX)) {
            String param = name.substring(FILTER_PREFIX.length());
            if (!FILTER.containsKey(param)) {
                // the filter would also show the value: not here, a mistyped secret name must not print the secret
                throw new Options.UsageException("Unknown parameter [" + param + "] (--set " + name + ")");
            }
        } else {
            throw new Options.UsageException("unknown setting [" + name + "]: names start with " + ADMIN_PREFIX
                    + " (admin WAR) or " + FILTER_PREFIX + " (demo API's filter)");
        }
        if (value.isEmpty()) {
            throw new Options.UsageException("setting [" + name + "] needs a value");
        }
    }

    /** The {@code gatekey.*} settings of {@code settings}, as context params. */
    static Map<String, String> admin(Map<String, String> settings) {
        Map<String, String> params = new LinkedHashMap<>();
        settings.forEach((name, value) -> {
            if (name.startsWith(ADMIN_PREFIX)) {
                params.put(name, value);
            }
        });
        return params;
    }

    /** The {@code filter.*} settings of {@code settings}, as init-params (prefix removed). */
    static Map<String, String> filter(Map<String, String> settings) {
        Map<String, String> params = new LinkedHashMap<>();
        settings.forEach((name, value) -> {
            if (name.startsWith(FILTER_PREFIX)) {
                params.put(name.substring(FILTER_PREFIX.length()), value);
            }
        });
        return params;
    }

    /** The help lines listing every name, two groups. */
    static String help() {
        String n = System.lineSeparator();
        StringBuilder help = new StringBuilder();
        help.append("Admin WAR settings (--set gatekey.NAME=VALUE):").append(n);
        ADMIN.forEach((name, text) -> help.append(String.format("  %-36s %s%n", name, text)));
        help.append("Demo API filter settings (--set filter.NAME=VALUE):").append(n);
        FILTER.forEach((name, text) -> help.append(String.format("  %-36s %s%n", FILTER_PREFIX + name, text)));
        help.append("Values may use ${env:NAME} and ${sys:name}. A bad value stops the start with the reason.")
                .append(n);
        return help.toString();
    }

    private static Map<String, String> ordered(String... nameAndText) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < nameAndText.length; i += 2) {
            map.put(nameAndText[i], nameAndText[i + 1]);
        }
        return Collections.unmodifiableMap(map);
    }
}
