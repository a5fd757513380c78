/**
 * The container matrix's one smoke test, shared by the server modules (Tomcat, WildFly, Payara):
 * {@link dev.gatekey.matrix.ContainerSmokeTest}, which each of them extends, deploys the admin WAR and both example
 * WARs on one standalone server and checks that a key issued through the admin API opens both applications until
 * it is revoked; {@code MatrixDatabase} recreates the server's PostgreSQL schema first.
 *
 * <p>Sees the deployments from outside, over HTTP: it depends on no Gatekey package, only on Arquillian, JUnit,
 * AssertJ, Awaitility, Jackson and JDBC.
 */
package dev.gatekey.matrix;
