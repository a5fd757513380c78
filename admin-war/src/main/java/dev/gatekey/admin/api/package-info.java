/**
 * The admin REST API: one front servlet ({@link dev.gatekey.admin.api.ApiServlet}) dispatching with a
 * method + path-template {@link dev.gatekey.admin.api.Router} to the handlers of
 * {@link dev.gatekey.admin.api.AdminApi}; Jackson for JSON, {@code application/problem+json} for every
 * failure. No JAX-RS and no container-specific API, so the WAR runs on Tomcat, WildFly and Payara alike.
 */
package dev.gatekey.admin.api;
