package dev.gatekey.faults;

import dev.gatekey.filter.ApiKeyFilter;
import dev.gatekey.metrics.GatekeyMetrics;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterRegistration;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.catalina.Context;
import org.apache.catalina.LifecycleException;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;

/**
 * One application node: an embedded Tomcat on a free port with {@link ApiKeyFilter} (opened from its
 * init-params, exactly as a user registers it) on {@code /api/*}, {@code /api/ping} and an unprotected
 * {@code /public/ping}, its own meter registry, and a count of requests in flight.
 */
public final class Node implements AutoCloseable {

    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    final AtomicInteger inFlight = new AtomicInteger();
    final AtomicInteger maxInFlight = new AtomicInteger();
    private final Tomcat tomcat = new Tomcat();
    private final Context context;
    private final File base;

    /**
     * @param remoteAddress the client address every request appears to come from: a fresh one per node keeps the
     *     shared failed-attempt buckets in Redis apart from any other test's
     */
    public Node(Map<String, String> filterParams, String remoteAddress) throws IOException, LifecycleException {
        base = Files.createTempDirectory("gatekey-node").toFile();
        tomcat.setBaseDir(base.getAbsolutePath());
        Connector connector = new Connector();
        connector.setPort(0);
        connector.setProperty("address", "127.0.0.1");
        tomcat.setConnector(connector);
        context = tomcat.addContext("", base.getAbsolutePath());
        context.addServletContainerInitializer((classes, servletContext) -> {
            servletContext.setAttribute(GatekeyMetrics.METER_REGISTRY_ATTRIBUTE, registry);
            Filter counting = (request, response, chain) -> {
                int now = inFlight.incrementAndGet();
                maxInFlight.accumulateAndGet(now, Math::max);
                try {
                    chain.doFilter(new HttpServletRequestWrapper((HttpServletRequest) request) {
                        @Override
                        public String getRemoteAddr() {
                            return remoteAddress;
                        }
                    }, response);
                } finally {
                    inFlight.decrementAndGet();
                }
            };
            servletContext.addFilter("inFlight", counting).addMappingForUrlPatterns(null, false, "/*");
            FilterRegistration.Dynamic gatekey = servletContext.addFilter("gatekey", new ApiKeyFilter());
            gatekey.setInitParameters(filterParams);
            gatekey.addMappingForUrlPatterns(null, true, "/api/*");
            servletContext.addServlet("ping", new HttpServlet() {
                @Override
                protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
                    resp.setContentType("text/plain");
                    resp.getWriter().write("pong");
                }
            }).addMapping("/api/ping", "/public/ping");
        }, null);
        tomcat.start();
        if (!context.getState().isAvailable()) {
            close();
            throw new IllegalStateException("the node did not start: " + context.getState());
        }
    }

    public String url(String path) {
        return "http://127.0.0.1:" + tomcat.getConnector().getLocalPort() + path;
    }

    /** {@code closed}, {@code open} or {@code half_open}, as the filter's gauge says. */
    String state(String dependency) {
        for (String state : new String[] {GatekeyMetrics.STATE_CLOSED, GatekeyMetrics.STATE_OPEN,
                GatekeyMetrics.STATE_HALF_OPEN}) {
            Gauge gauge = registry.find(GatekeyMetrics.DEPENDENCY_STATE).tag(GatekeyMetrics.DEPENDENCY_TAG, dependency)
                    .tag(GatekeyMetrics.STATE_TAG, state).gauge();
            if (gauge != null && gauge.value() == 1) {
                return state;
            }
        }
        return "unknown";
    }

    double counter(String name) {
        var counter = registry.find(name).counter();
        return counter == null ? 0 : counter.count();
    }

    @Override
    public void close() {
        try {
            tomcat.stop();
            tomcat.destroy();
        } catch (LifecycleException e) {
            throw new IllegalStateException(e);
        }
    }
}
