/**
 * The annotated example application: the Gatekey filter registered with {@code @WebFilter}
 * ({@link dev.gatekey.examples.annotated.ApiKeyAuthentication}), a request-scoped CDI bean that reads the injected
 * {@link dev.gatekey.principal.ApiKeyPrincipal} ({@link dev.gatekey.examples.annotated.Plans}), and the servlets
 * {@code /api/whoami} and {@code /public/ping}.
 *
 * <p>Shows what an application writes, so it depends only on the filter module's public API
 * ({@link dev.gatekey.filter.ApiKeyFilter}, {@code dev.gatekey.principal}), Jakarta EE and Jackson.
 */
package dev.gatekey.examples.annotated;
