/**
 * The quickstart ({@code java -jar gatekey-quickstart.jar}): {@link dev.gatekey.quickstart.Quickstart} runs
 * embedded Tomcat with the demo API WAR and the admin WAR on one H2 database in a data directory, shared through
 * one pool ({@link dev.gatekey.quickstart.PooledDataSources}), plus {@code /health} ({@code HealthServlet}) and
 * {@code /metrics} ({@code MetricsServlet}). Around it: the command line ({@link dev.gatekey.quickstart.Options}),
 * the {@code --set} names ({@code Settings}), the master key file ({@code MasterKeyFile}), logging to standard
 * output ({@code StandardOutputLogging}) and the reason a WAR did not start ({@code StartFailures}).
 *
 * <p>May depend on the public types of the filter and persistence modules, Tomcat, HikariCP, H2 and Micrometer;
 * the WARs it serves are configured by their parameter names, never reached through their classes.
 */
package dev.gatekey.quickstart;
