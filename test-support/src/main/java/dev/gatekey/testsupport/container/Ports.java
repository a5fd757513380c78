package dev.gatekey.testsupport.container;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestPlan;

/**
 * Ports for the servers the tests start: {@link #freePort()} for one of their own, and {@link #httpPort()}, the
 * HTTP port of the embedded Tomcat that Arquillian starts, chosen free when the test JVM's test plan starts.
 *
 * <p>Every module's {@code arquillian.xml} binds {@code ${gatekey.test.httpPort}}: the embedded Tomcat adapter
 * reports the configured port to the tests, so port 0 would reach them as 0; a port free at run time is the next
 * best thing, and lets builds run side by side. {@code -Dgatekey.test.httpPort=N} on the test JVM fixes it.
 * Registered as a JUnit Platform listener through {@code META-INF/services}, like
 * {@link dev.gatekey.testsupport.SkipReasonListener}.
 */
public final class Ports implements TestExecutionListener {

    /** The system property {@code arquillian.xml} reads. */
    public static final String HTTP_PORT_PROPERTY = "gatekey.test.httpPort";

    /** Chooses the embedded Tomcat's port before any test class starts Arquillian. */
    @Override
    public void testPlanExecutionStarted(TestPlan testPlan) {
        httpPort();
    }

    /** The embedded Tomcat's port: system property {@value #HTTP_PORT_PROPERTY}, set to a free port if absent. */
    public static synchronized int httpPort() {
        String port = System.getProperty(HTTP_PORT_PROPERTY);
        if (port == null || port.isBlank()) {
            port = Integer.toString(freePort());
            System.setProperty(HTTP_PORT_PROPERTY, port);
        }
        return Integer.parseInt(port.trim());
    }

    /** A port nothing listens on now (the operating system's choice). */
    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
