/**
 * The authenticated caller ({@link dev.gatekey.principal.ApiKeyPrincipal}) and the request wrapper that carries it.
 *
 * <p>Main types: {@link dev.gatekey.principal.ApiKeyPrincipal}, {@link dev.gatekey.principal.AuthenticatedRequest},
 * and {@link dev.gatekey.principal.QueryStrings}, the one reading of the raw query string that the filter (finding
 * the key's query parameter) and the wrapper (hiding it) share. Depends on {@code dev.gatekey.store} and the
 * Servlet API only: applications depend on this package, so it stays below the filter.
 */
package dev.gatekey.principal;
