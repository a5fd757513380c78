package dev.gatekey.container;

import dev.gatekey.filter.ApiKeyFilter;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterRegistration;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import java.util.EnumSet;
import java.util.Map;

/** Registration with {@code ServletContext.addFilter}, the database URL read from a context-param. */
public class ProgrammaticRegistrationListener implements ServletContextListener {

    @Override
    public void contextInitialized(ServletContextEvent event) {
        ServletContext context = event.getServletContext();
        FilterRegistration.Dynamic filter = context.addFilter("gatekey-programmatic", ApiKeyFilter.class);
        filter.setInitParameters(Map.of(
                "bucket", "orders",
                "jdbcUrl", context.getInitParameter("gatekey.jdbcUrl"),
                "changePollMillis", "100"));
        filter.addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST), false, "/api/*");
    }
}
