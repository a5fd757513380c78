/** Optional CDI integration: {@code @Inject ApiKeyPrincipal}. Never loaded by the filter itself. */
package dev.gatekey.cdi;
