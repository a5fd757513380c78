/**
 * Optional CDI integration: {@code @Inject ApiKeyPrincipal}. Never loaded by the filter itself.
 *
 * <p>Main type: {@link dev.gatekey.cdi.ApiKeyPrincipalProducer}. Depends on {@code dev.gatekey.principal} and the
 * CDI and Servlet APIs only; no other Gatekey package depends on it.
 */
package dev.gatekey.cdi;
