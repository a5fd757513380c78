/**
 * The admin WAR's start-up: {@link dev.gatekey.admin.AdminSettings} (context params, parsed once),
 * {@link dev.gatekey.admin.AdminKeyBootstrap} (the first-start admin key),
 * {@link dev.gatekey.admin.SecurityHeadersFilter} and {@link dev.gatekey.admin.AdminContextListener}, which wires
 * the database, the admin key filter, the API and sign-in servlets, the self-serve portal and the leak webhook.
 *
 * <p>The wiring root: it may depend on every sub-package ({@code http}, {@code access}, {@code api},
 * {@code leak}, {@code portal}); no sub-package depends on it. Inside the WAR the dependencies point one way:
 * {@code admin → api, leak, portal → access → http} ({@code portal} and {@code leak} use only {@code http}).
 */
package dev.gatekey.admin;
