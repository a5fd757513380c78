/**
 * The protected application of the test deployments ({@link dev.gatekey.testsupport.servlet.WhoAmIServlet}).
 *
 * <p>May depend on the Servlet API and Jackson (which the using module brings); never on Gatekey's modules, whose
 * tests use it: it reads the Gatekey principal through its public method names.
 */
package dev.gatekey.testsupport.servlet;
