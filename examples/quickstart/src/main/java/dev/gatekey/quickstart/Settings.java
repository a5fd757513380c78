package dev.gatekey.quickstart;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The names {@code --set NAME=VALUE} accepts: {@code gatekey.*} are context params of the admin WAR,
 * {@code filter.*} init-params of the demo API's filter (without the prefix). Both lists mirror what the WAR and
 * the filter accept (a test compares them with the WAR's and the filter's own sets), so an unknown name is refused
 * before anything starts, in the words the WAR or the filter would use; a bad value is refused by them at start.
 */
final class Settings {

    static final String ADMIN_PREFIX = "gatekey.";
    static final String FILTER_PREFIX = "filter.";
    static final String MASTER_KEYS = "gatekey.masterKeys";
    static final String ADMIN_KEY_FILE = "gatekey.adminKeyFile";
    static final String PRINT_ADMIN_KEY = "gatekey.printAdminKey";
    /** The demo API's filter, as its {@code web.xml} names it. */
    static final String DEMO_FILTER = "gatekey";

    /** Admin WAR context params and their help line. */
    static final Map<String, String> ADMIN = ordered(
            "gatekey.masterKeys", "id:BASE64[,id:BASE64...], first = current (default: the key in DIR/master-key)",
            "gatekey.sessionTimeoutMinutes", "idle minutes before a web UI session ends, 1..1440 (30)",
            "gatekey.leakAction", "notify or revoke: what a leak reported by GitHub secret scanning does (notify)",
            "gatekey.leakWebhookUrl", "http(s) URL told about each new leak (unset)",
            "gatekey.githubPublicKeys", "GitHub's public_keys JSON: enables the secret-scanning webhook (unset)",
            "gatekey.githubPublicKeysFile", "a file holding that JSON, instead of the above (unset)",
            "gatekey.leakMaxBodyBytes", "body limit of the secret-scanning webhook, 1024..67108864 (1048576)",
            "gatekey.maxBodyBytes", "body limit of the admin API, 1024..16777216 (65536)",
            "gatekey.changePollMillis", "change feed poll of the admin key filter, 10..3600000 (1000)",
            "gatekey.checksum", "crc32 or hmac: checksum of the keys the admin WAR creates (crc32)",
            "gatekey.checksumSecret", "HMAC secret, with gatekey.checksum=hmac (and filter.checksum=hmac)",
            "gatekey.adminKeyFile", "where the first-start admin key is written (DIR/admin-key)",
            "gatekey.printAdminKey", "true or false: also print the first-start admin key (true; see --quiet-admin-key)",
            "gatekey.dataSource", "JNDI DataSource (default: the quickstart's H2 database)",
            "gatekey.jdbcUrl", "a JDBC URL instead of the quickstart's database (unset)",
            "gatekey.jdbcUser", "user for gatekey.jdbcUrl",
            "gatekey.jdbcPassword", "password for gatekey.jdbcUrl");

    /** Demo filter init-params (without {@value #FILTER_PREFIX}) and their help line. */
    static final Map<String, String> FILTER = ordered(
            "rateLimitPerKey", "requests allowed per key, e.g. 10/1s or 5000/1h (unlimited)",
            "failedAttemptsPerIp", "failed authentications allowed per client IP (30/1m)",
            "cacheTtlSeconds", "how long a looked-up key is cached, 1..86400 (60)",
            "cacheMaximumSize", "cache bound in entries (100000)",
            "staleIfErrorSeconds", "serve a known-good cached key this long while the database fails (300)",
            "changePollMillis", "how often the change feed is polled (1000)",
            "storeConnectionTimeoutMillis", "longest wait for a database connection, 250..60000 (1000)",
            "storeStatementTimeoutMillis", "longest run of one database statement, 10..60000 (1000)",
            "storeMaxConcurrentLookups", "key store lookups running at once (bulkhead), 1..1000 (16)",
            "authHeader", "header carrying the key (Authorization)",
            "authScheme", "scheme before the key; empty = the raw header value (Bearer)",
            "queryParam", "query parameter to accept keys from (unset: keys in URLs end up in logs)",
            "allowUnauthenticatedRequests", "let keyless requests through without a principal (false)",
            "hideCredentials", "remove the key from the request the API sees (true)",
            "realm", "realm in WWW-Authenticate (api)",
            "checksum", "crc32 or hmac (crc32)",
            "checksumSecret", "HMAC secret, with checksum=hmac",
            "rateLimitStore", "local or redis: where rate limits are counted (local)",
            "redisUrl", "redis:// or rediss:// URL, with rateLimitStore=redis",
            "bucket", "bucket(s) whose keys the demo API accepts (demo-live)",
            "dataSource", "JNDI DataSource (default: the quickstart's H2 database)",
            "jdbcUrl", "a JDBC URL instead of the quickstart's database (unset)",
            "jdbcUser", "user for jdbcUrl",
            "jdbcPassword", "password for jdbcUrl");

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
