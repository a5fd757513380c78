package dev.gatekey.matrix.payara;

import dev.gatekey.matrix.ContainerSmokeTest;

/**
 * The smoke test in a standalone Payara Server 6, its JDBC resource {@code jdbc/gatekey} set up with asadmin by
 * {@code src/test/payara/gatekey-datasource.asadmin} (see the module's POM).
 */
class Payara6SmokeIT extends ContainerSmokeTest {
}
