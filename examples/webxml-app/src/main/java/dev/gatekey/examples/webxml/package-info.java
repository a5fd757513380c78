/**
 * The {@code web.xml} example application: the Gatekey filter is declared in {@code WEB-INF/web.xml}, so the code
 * is plain servlets: {@link dev.gatekey.examples.webxml.WhoAmIServlet} reads the
 * {@link dev.gatekey.principal.ApiKeyPrincipal}, {@link dev.gatekey.examples.webxml.OrdersServlet} only
 * {@code request.getRemoteUser()}, and {@link dev.gatekey.examples.webxml.PingServlet} answers anyone it reaches.
 *
 * <p>Shows what an application writes, so it depends only on {@code dev.gatekey.principal}, Jakarta Servlet and
 * Jackson.
 */
package dev.gatekey.examples.webxml;
