/**
 * The dual-auth example: one route ({@code GET /api/me}) that accepts a Gatekey API key or a JWT and gives the
 * handler one identity either way. {@link dev.gatekey.examples.dualauth.JwtFilter} verifies JWTs with Nimbus JOSE+JWT
 * against a JWKS; the key filter and {@link dev.gatekey.filter.RequireCallerFilter} are Gatekey's (web.xml).
 */
package dev.gatekey.examples.dualauth;
