package dev.gatekey.matrix.payara;

import dev.gatekey.matrix.ContainerSecurityTest;

/**
 * Gatekey's Jakarta Security mechanism in Payara 6, on the domain the smoke test uses; groups become roles by the
 * domain's default principal-to-role mapping ({@code src/test/payara/gatekey-datasource.asadmin}).
 */
class Payara6SecurityIT extends ContainerSecurityTest {
}
