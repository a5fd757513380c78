/**
 * Gatekey persistence: Flyway migrations, Hibernate entities (package-private, never leaving this
 * package), the JPA {@link dev.gatekey.store.KeyStore}/{@link dev.gatekey.store.ChangeFeed} and the
 * administration services, reached through {@link dev.gatekey.persistence.KeyManagement}: {@code BucketService},
 * {@code ConsumerService}, {@code KeyService} (both restricted by a {@code ConsumerGuard} through {@code guarded}),
 * {@code SelfServeService} (a user's consumer and first key at first sign-in), {@code PortalService} (self-serve
 * portal links and sessions), {@code LeakService} and {@code AuditService}, public and thin, over
 * package-private helpers ({@code Transactions}, {@code Lookups}, {@code Journal} for the change feed and the
 * audit trail, {@code InputChecks} and {@code TextChecks}, {@code Pages}, {@code Records}, {@code KeyMaterial}, {@code KeyPolicies}
 * for key policies).
 * Callers only see immutable records and the typed {@link dev.gatekey.persistence.GatekeyException}s.
 *
 * <p>May depend on the filter module's {@code dev.gatekey.store}, {@code dev.gatekey.format},
 * {@code dev.gatekey.ratelimit} and {@code dev.gatekey.policy} (scope and CIDR rules) packages, JPA/Hibernate, Flyway and HikariCP; nothing of the admin WAR.
 *
 * <h2>Configuration</h2>
 * <ul>
 *   <li><b>Database</b>: {@link dev.gatekey.persistence.GatekeyDatabase#open(javax.sql.DataSource)} over
 *       a DataSource you own, or {@link dev.gatekey.persistence.GatekeyDatabase#open(dev.gatekey.store.StoreSettings)}
 *       with {@code StoreSettings.jndi("java:comp/env/jdbc/gatekey")} (container DataSource) or
 *       {@code StoreSettings.jdbc("jdbc:h2:file:./gatekey-data/gatekey", user, password)} (pooled with
 *       HikariCP). The schema is migrated on open; Flyway's history table is {@code gk_schema_history}
 *       and every Gatekey table is prefixed {@code gk_}, so they can share an application schema.</li>
 *   <li><b>Filter</b>: the filter finds {@link dev.gatekey.persistence.JpaKeyStoreProvider} through
 *       {@link java.util.ServiceLoader}; filters with equal store settings share one pool.</li>
 *   <li><b>Master keys</b> (retrievable buckets): {@code MasterKeys.parse("k2:BASE64,k1:BASE64")},
 *       first = current, each 32 bytes of base64 ({@code openssl rand -base64 32}). Rotate by
 *       prepending a new key and keeping the old ones.</li>
 * </ul>
 */
package dev.gatekey.persistence;
