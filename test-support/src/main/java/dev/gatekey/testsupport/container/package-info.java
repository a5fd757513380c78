/**
 * The Arquillian container set-up shared by the modules' container tests: the WARs they deploy
 * ({@link dev.gatekey.testsupport.container.Deployments}) and the embedded Tomcat's free HTTP port
 * ({@link dev.gatekey.testsupport.container.FreePort}).
 *
 * <p>May depend on ShrinkWrap (which the using module brings with Arquillian) and the JUnit Platform launcher API;
 * never on Gatekey's modules, whose tests use it.
 */
package dev.gatekey.testsupport.container;
