package dev.gatekey.security;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Enables Gatekey's Jakarta Security {@code HttpAuthenticationMechanism} for the application, the way
 * {@code @BasicAuthenticationMechanismDefinition} enables the built-in one: put it on one CDI bean class of the
 * application, a class the container discovers (with {@code bean-discovery-mode="annotated"}: one with a
 * bean-defining annotation such as {@code @ApplicationScoped}); a second definition fails the deployment.
 *
 * <p>Its attributes are the {@link dev.gatekey.filter.ApiKeyFilter} init-params of the same name, with the same
 * formats, defaults, checks and messages (the attribute's default {@code ""} leaves the param unset, so the filter's
 * default applies). Values expand {@code ${env:NAME}} and {@code ${sys:name}}; a value that is a Jakarta EL expression
 * {@code #{...}} is evaluated once, at deployment, against the application's CDI beans.
 *
 * <p>Two filter params are not here, on purpose: {@code allowUnauthenticatedRequests} (the container decides: a
 * request without a key to an unprotected resource goes on anonymously, one to a protected resource is refused
 * 401) and {@code hideCredentials} (the container, not the mechanism, hands the request on).
 *
 * <p>{@link #delegate()} names (by {@code @Named}) another {@code HttpAuthenticationMechanism} bean that authenticates
 * what is not a Gatekey key when {@code foreignCredentials = "pass"} (dual auth). Keep that bean out of the
 * container's own resolution with {@code @Typed(TheClass.class)}: the container must see exactly one mechanism.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface ApiKeyAuthenticationMechanismDefinition {

    /** Bucket name(s), comma separated, whose keys are accepted. Required. */
    String bucket();

    String authHeader() default "";

    String authScheme() default "";

    String queryParam() default "";

    String realm() default "";

    String cacheTtlSeconds() default "";

    String cacheMaximumSize() default "";

    String staleIfErrorSeconds() default "";

    String checksum() default "";

    /** Usually {@code ${env:...}}; never logged. */
    String checksumSecret() default "";

    String rateLimitPerKey() default "";

    String failedAttemptsPerIp() default "";

    String rateLimitStore() default "";

    String redisUrl() default "";

    /** JNDI name of the DataSource; the filter's default {@code java:comp/env/jdbc/gatekey} when unset. */
    String dataSource() default "";

    String jdbcUrl() default "";

    String jdbcUser() default "";

    String jdbcPassword() default "";

    String changePollMillis() default "";

    String storeConnectionTimeoutMillis() default "";

    String storeStatementTimeoutMillis() default "";

    String storeMaxConcurrentLookups() default "";

    String requiredScopes() default "";

    String creditCost() default "";

    String usageCounting() default "";

    String usageFlushSeconds() default "";

    String usageMinuteRetentionHours() default "";

    String usageHourRetentionDays() default "";

    String usageDayRetentionDays() default "";

    /** {@code reject} (default) or {@code accept}: credentials of another format looked up by their SHA-256. */
    String legacyKeys() default "";

    /** {@code reject} (default) or {@code pass}: see {@link #delegate()}. */
    String foreignCredentials() default "";

    /**
     * The {@code @Named} name of the mechanism bean that authenticates foreign credentials; needs
     * {@code foreignCredentials = "pass"}. Unset: a foreign credential on a protected resource is refused 401 (one
     * failed attempt), on an unprotected one it is ignored.
     */
    String delegate() default "";
}
