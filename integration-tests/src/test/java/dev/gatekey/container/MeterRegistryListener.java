package dev.gatekey.container;

import dev.gatekey.metrics.GatekeyMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;

/** Gives the filters of a deployment a meter registry of their own, as an application would. */
public class MeterRegistryListener implements ServletContextListener {

    static final String ATTRIBUTE = GatekeyMetrics.METER_REGISTRY_ATTRIBUTE;

    @Override
    public void contextInitialized(ServletContextEvent event) {
        event.getServletContext().setAttribute(ATTRIBUTE, new SimpleMeterRegistry());
    }
}
