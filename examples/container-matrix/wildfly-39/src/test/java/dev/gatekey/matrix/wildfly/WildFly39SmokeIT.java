package dev.gatekey.matrix.wildfly;

import dev.gatekey.matrix.ContainerSmokeTest;

/**
 * The smoke test in a standalone WildFly 39, its DataSource {@code java:jboss/datasources/gatekey} set up by
 * {@code src/test/wildfly/gatekey-datasource.cli} (see the module's POM).
 */
class WildFly39SmokeIT extends ContainerSmokeTest {
}
