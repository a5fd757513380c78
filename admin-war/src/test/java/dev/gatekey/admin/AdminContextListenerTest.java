package dev.gatekey.admin;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletContextEvent;
import java.lang.reflect.Proxy;
import java.util.Collections;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AdminContextListenerTest {

    /** A context that only has init params; anything else the listener asks for fails the test. */
    private static ServletContext contextWith(Map<String, String> params) {
        return (ServletContext) Proxy.newProxyInstance(ServletContext.class.getClassLoader(),
                new Class<?>[] {ServletContext.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "getInitParameterNames" -> Collections.enumeration(params.keySet());
                    case "getInitParameter" -> params.get((String) args[0]);
                    case "getContextPath" -> "/admin";
                    default -> throw new AssertionError("unexpected call " + method.getName());
                });
    }

    @Test
    void contextInitializedWhenParamInvalidThenDeploymentFailsNamingIt() {
        ServletContext context = contextWith(Map.of("gatekey.maxBodyBytes", "lots"));

        assertThatThrownBy(() -> new AdminContextListener().contextInitialized(new ServletContextEvent(context)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("[gatekey.maxBodyBytes]");
    }

    @Test
    void contextInitializedWhenSecretParamInvalidThenItsValueIsNotShown() {
        ServletContext context = contextWith(Map.of("gatekey.masterKeys", "k1:dG9vLXNob3J0LXNlY3JldA=="));

        assertThatThrownBy(() -> new AdminContextListener().contextInitialized(new ServletContextEvent(context)))
                .hasMessageContaining("[gatekey.masterKeys]")
                .hasMessageNotContaining("dG9vLXNob3J0LXNlY3JldA==");
    }

    @Test
    void contextInitializedWhenLeakParamInvalidThenDeploymentFailsNamingIt() {
        ServletContext context = contextWith(Map.of("gatekey.leakAction", "delete"));

        assertThatThrownBy(() -> new AdminContextListener().contextInitialized(new ServletContextEvent(context)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("[gatekey.leakAction]");
    }

    @Test
    void contextInitializedWhenLeakParamsGivenThenTheyAreKnownParams() {
        ServletContext context = contextWith(Map.of("gatekey.leakAction", "revoke",
                "gatekey.leakMaxBodyBytes", "2097152", "gatekey.dataSource", "java:comp/env/jdbc/missing"));

        // gets past the settings to the data source lookup
        assertThatThrownBy(() -> new AdminContextListener().contextInitialized(new ServletContextEvent(context)))
                .hasMessageContaining("java:comp/env/jdbc/missing")
                .hasMessageNotContaining("Unknown context parameter");
    }

    @Test
    void contextInitializedWhenDataSourceUnboundThenFailsNamingIt() {
        ServletContext context = contextWith(Map.of("gatekey.dataSource", "java:comp/env/jdbc/missing"));

        assertThatThrownBy(() -> new AdminContextListener().contextInitialized(new ServletContextEvent(context)))
                .hasMessageContaining("java:comp/env/jdbc/missing");
    }

    @Test
    void contextInitializedWhenNoDataSourceThenNamesTheResourceAndTheJdbcUrlParam() {
        ServletContext context = contextWith(Map.of());

        assertThatThrownBy(() -> new AdminContextListener().contextInitialized(new ServletContextEvent(context)))
                .hasMessageContaining("java:comp/env/jdbc/gatekey")
                .hasMessageContaining("configure the DataSource jdbc/gatekey in the container")
                .hasMessageContaining("gatekey.jdbcUrl");
    }
}
