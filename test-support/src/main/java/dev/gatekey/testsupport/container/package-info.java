/**
 * The Arquillian container set-up shared by the modules' container tests: the WARs they deploy
 * ({@link dev.gatekey.testsupport.container.Deployments}) and free ports, among them the embedded Tomcat's HTTP port
 * ({@link dev.gatekey.testsupport.container.Ports}).
 *
 * <p>May depend on ShrinkWrap (which the using module brings with Arquillian) and the JUnit Platform launcher API;
 * never on Gatekey's modules, whose tests use it.
 */
package dev.gatekey.testsupport.container;
