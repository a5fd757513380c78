/**
 * The tests' HTTP client: {@link dev.gatekey.testsupport.http.Http} for a deployment (relative paths, default
 * headers, JSON answers), over {@link dev.gatekey.testsupport.http.HttpTransport}'s one JDK client, which tests that
 * build their own requests use directly.
 *
 * <p>May depend on the JDK's {@code java.net.http} and, for {@code Http} only, Jackson (which the using module
 * brings); never on Gatekey's modules, whose tests use it.
 */
package dev.gatekey.testsupport.http;
