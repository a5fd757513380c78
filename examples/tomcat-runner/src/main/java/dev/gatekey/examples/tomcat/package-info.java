/**
 * {@link dev.gatekey.examples.tomcat.RunInTomcat} ({@code java -jar target/tomcat/run.jar}): runs an example WAR
 * in the standalone Tomcat its build prepared, with the admin WAR beside it, waits for the first-start admin key
 * and prints what to call.
 *
 * <p>Depends on the JDK only: it starts Tomcat as a child process and talks to it over HTTP, so it uses no Gatekey
 * package and no Tomcat class.
 */
package dev.gatekey.examples.tomcat;
