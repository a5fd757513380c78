package dev.gatekey.matrix.wildfly;

import dev.gatekey.matrix.ContainerSecurityTest;

/**
 * Gatekey's Jakarta Security mechanism in WildFly 39, on the server the smoke test uses; the application security
 * domain {@code other} without integrated JASPI ({@code src/test/wildfly/gatekey-jakarta-security.cli}).
 */
class WildFly39SecurityIT extends ContainerSecurityTest {
}
