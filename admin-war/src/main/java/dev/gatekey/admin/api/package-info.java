/**
 * The admin REST API: one front servlet ({@link dev.gatekey.admin.api.ApiServlet}) dispatching with a
 * method + path-template {@link dev.gatekey.admin.api.Router} to the handlers of
 * {@link dev.gatekey.admin.api.AdminApi}; the web UI's sign-in ({@link dev.gatekey.admin.api.SessionServlet});
 * {@link dev.gatekey.admin.api.SecretScanningPatterns}, the regex served at {@code GET /secret-scanning/patterns}.
 * Jackson for JSON, {@code application/problem+json} for every failure. No JAX-RS and no container-specific API,
 * so the WAR runs on Tomcat, WildFly and Payara alike.
 *
 * <p>May depend on {@code dev.gatekey.admin.http} (problems, bounded body, JSON) and
 * {@code dev.gatekey.admin.access} (caller, roles, sessions), the key service of {@code dev.gatekey.persistence}
 * and the filter's types; not on {@code dev.gatekey.admin.leak} nor on the root {@code dev.gatekey.admin}.
 */
package dev.gatekey.admin.api;
