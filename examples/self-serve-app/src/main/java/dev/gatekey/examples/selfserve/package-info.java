/**
 * Example: self-serve API keys in an application with its own sign-in. A user's first sign-in provisions their
 * consumer and key ({@code KeyManagement.selfServe()}), the "API keys" settings page opens the portal for them
 * ({@code KeyManagement.portal()}), and {@code /api/*} is protected by the Gatekey filter. {@link SelfServeApp}
 * runs it in embedded Tomcat beside the admin WAR (the portal), both on one H2 database.
 */
package dev.gatekey.examples.selfserve;
