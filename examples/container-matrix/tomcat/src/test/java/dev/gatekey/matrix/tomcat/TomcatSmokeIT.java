package dev.gatekey.matrix.tomcat;

import dev.gatekey.matrix.ContainerSmokeTest;

/** The smoke test in standalone Tomcat: 10.1 and 11, one failsafe run each (see the module's POM). */
class TomcatSmokeIT extends ContainerSmokeTest {
}
