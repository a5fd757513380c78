/**
 * The tests' HTTP client of a deployment ({@link dev.gatekey.testsupport.http.Http}): one keep-alive HTTP/1.1
 * client, JSON through Jackson.
 *
 * <p>May depend on the JDK's {@code java.net.http} and Jackson (which the using module brings); never on Gatekey's
 * modules, whose tests use it.
 */
package dev.gatekey.testsupport.http;
