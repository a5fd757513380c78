/** The authenticated caller ({@link dev.gatekey.principal.ApiKeyPrincipal}) and the request wrapper that carries it. */
package dev.gatekey.principal;
