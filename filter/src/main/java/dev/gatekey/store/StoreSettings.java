package dev.gatekey.store;

import java.util.regex.Pattern;

/**
 * Where the key store lives: a container DataSource by JNDI name, or a JDBC URL (pooled by the
 * provider). Exactly one of {@code dataSource} and {@code jdbcUrl} is set.
 *
 * @param dataSource JNDI name of a DataSource, e.g. {@code java:comp/env/jdbc/gatekey}
 * @param jdbcUrl JDBC URL, e.g. {@code jdbc:h2:file:./gatekey-data/gatekey}
 * @param jdbcUser user for {@code jdbcUrl}, may be {@code null}
 * @param jdbcPassword password for {@code jdbcUrl}, may be {@code null}; never logged
 */
public record StoreSettings(String dataSource, String jdbcUrl, String jdbcUser, String jdbcPassword) {

    private static final Pattern PASSWORD_PARAMETER = Pattern.compile("(?i)(password=)[^&;]*");

    public StoreSettings {
        if ((dataSource == null) == (jdbcUrl == null)) {
            throw new IllegalArgumentException("exactly one of dataSource and jdbcUrl must be set");
        }
    }

    public static StoreSettings jndi(String name) {
        return new StoreSettings(name, null, null, null);
    }

    public static StoreSettings jdbc(String url, String user, String password) {
        return new StoreSettings(null, url, user, password);
    }

    /** Never shows a password, whether given apart or as a URL parameter. */
    @Override
    public String toString() {
        return dataSource != null
                ? "StoreSettings[dataSource=" + dataSource + "]"
                : "StoreSettings[jdbcUrl=" + redact(jdbcUrl) + ", jdbcUser=" + jdbcUser + "]";
    }

    /** A JDBC URL fit for logs and messages: the value of any {@code password=} parameter is masked. */
    public static String redact(String jdbcUrl) {
        return jdbcUrl == null ? null : PASSWORD_PARAMETER.matcher(jdbcUrl).replaceAll("$1***");
    }
}
