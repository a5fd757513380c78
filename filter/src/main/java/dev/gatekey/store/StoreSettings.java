package dev.gatekey.store;

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

    /** Never shows the password. */
    @Override
    public String toString() {
        return dataSource != null
                ? "StoreSettings[dataSource=" + dataSource + "]"
                : "StoreSettings[jdbcUrl=" + jdbcUrl + ", jdbcUser=" + jdbcUser + "]";
    }
}
