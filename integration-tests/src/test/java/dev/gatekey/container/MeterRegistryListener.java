package dev.gatekey.container;

import dev.gatekey.metrics.GatekeyMetrics;
import dev.gatekey.testsupport.servlet.WhoAmIServlet;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Gives the filters of a deployment a meter registry of their own, as an application would, and the
 * {@link WhoAmIServlet}'s {@code /metrics} the Gatekey store counters of it.
 */
public class MeterRegistryListener implements ServletContextListener {

    static final String ATTRIBUTE = GatekeyMetrics.METER_REGISTRY_ATTRIBUTE;

    @Override
    public void contextInitialized(ServletContextEvent event) {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        event.getServletContext().setAttribute(ATTRIBUTE, registry);
        event.getServletContext().setAttribute(WhoAmIServlet.METRICS_ATTRIBUTE,
                (Supplier<Map<String, Object>>) () -> counters(registry));
    }

    private static Map<String, Object> counters(MeterRegistry registry) {
        Map<String, Object> body = new LinkedHashMap<>();
        for (Counter counter : registry.find("gatekey.store.lookups").counters()) {
            body.put("storeLookups", counter.count());
        }
        for (Counter counter : registry.find("gatekey.store.errors").counters()) {
            body.put("storeErrors", counter.count());
        }
        for (Counter counter : registry.find("gatekey.changes.applied").counters()) {
            body.put("changesApplied", counter.count());
        }
        return body;
    }
}
