/**
 * The self-serve portal at {@code {admin}/portal/}: its page and assets, its own JSON routes, its session
 * cookie and CSRF check, all under that one path so a proxy can expose the portal alone. A portal session
 * acts only through {@code KeyManagement.portal()} on the consumers its manager manages; nothing here reaches
 * the admin API. May depend on {@code admin.http} and {@code persistence}; nothing but {@code dev.gatekey.admin}
 * (the wiring) depends on it.
 */
package dev.gatekey.admin.portal;
