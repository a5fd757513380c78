/**
 * The admin WAR's start-up: {@link dev.gatekey.admin.AdminSettings} (context params, parsed once),
 * {@link dev.gatekey.admin.AdminKeyBootstrap} (the first-start admin key) and
 * {@link dev.gatekey.admin.AdminContextListener}, which wires the database, the admin key filter and the API
 * servlet.
 */
package dev.gatekey.admin;
