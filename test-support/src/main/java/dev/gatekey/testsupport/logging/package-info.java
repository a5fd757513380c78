/**
 * Capturing log records in tests ({@link dev.gatekey.testsupport.logging.LogCapture}): Gatekey, Tomcat and the
 * WARs log through {@code java.util.logging}.
 *
 * <p>May depend on the JDK only.
 */
package dev.gatekey.testsupport.logging;
