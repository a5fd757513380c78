package dev.gatekey.filter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatekey.store.StoreSettings;
import jakarta.servlet.FilterConfig;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletException;
import java.io.IOException;
import java.lang.reflect.Proxy;
import java.net.URL;
import java.util.Collections;
import java.util.Enumeration;
import java.util.Map;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Start-up: params, and without a given store, {@code ServiceLoader<KeyStoreProvider>}. */
class ApiKeyFilterInitTest {

    private final ApiKeyFilter filter = new ApiKeyFilter();

    @AfterEach
    void destroy() {
        filter.destroy();
        TestKeyStoreProvider.reset();
    }

    static FilterConfig config(Map<String, String> params) {
        ServletContext context = (ServletContext) Proxy.newProxyInstance(
                ApiKeyFilterInitTest.class.getClassLoader(), new Class<?>[] {ServletContext.class},
                (proxy, method, args) -> null);
        return new FilterConfig() {
            @Override
            public String getFilterName() {
                return "gatekey";
            }

            @Override
            public ServletContext getServletContext() {
                return context;
            }

            @Override
            public String getInitParameter(String name) {
                return params.get(name);
            }

            @Override
            public Enumeration<String> getInitParameterNames() {
                return Collections.enumeration(params.keySet());
            }
        };
    }

    @Test
    void initWhenNoStoreParamsThenProviderOpensDefaultDataSource() throws Exception {
        filter.init(config(Map.of("bucket", "demo-live")));

        assertThat(TestKeyStoreProvider.opened).isEqualTo(StoreSettings.jndi("java:comp/env/jdbc/gatekey"));
    }

    @Test
    void initWhenJdbcUrlThenProviderOpensIt() throws Exception {
        filter.init(config(Map.of("bucket", "demo-live", "jdbcUrl", "jdbc:h2:mem:t", "jdbcUser", "sa",
                "jdbcPassword", "pw")));

        assertThat(TestKeyStoreProvider.opened).isEqualTo(StoreSettings.jdbc("jdbc:h2:mem:t", "sa", "pw"));
    }

    @Test
    void destroyWhenStoreOpenedByFilterThenClosed() throws Exception {
        filter.init(config(Map.of("bucket", "demo-live")));

        filter.destroy();

        assertThat(TestKeyStoreProvider.closed).isTrue();
    }

    @Test
    void initWhenProviderFailsThenServletExceptionWithoutPassword() {
        TestKeyStoreProvider.failure = new IllegalArgumentException("cannot reach database");

        assertThatThrownBy(() -> filter.init(config(Map.of("bucket", "demo-live", "jdbcUrl", "jdbc:h2:mem:t",
                "jdbcPassword", "hunter2"))))
                .isInstanceOf(ServletException.class)
                .hasMessageContaining("cannot reach database")
                .message().doesNotContain("hunter2");
    }

    @Test
    void initWhenNoProviderOnClasspathThenClearServletException() throws Exception {
        ClassLoader hiding = new ClassLoader(getClass().getClassLoader()) {
            @Override
            public Enumeration<URL> getResources(String name) throws IOException {
                return name.startsWith("META-INF/services/") ? Collections.emptyEnumeration()
                        : super.getResources(name);
            }
        };

        assertThatThrownBy(() -> withContextClassLoader(hiding, () -> {
            filter.init(config(Map.of("bucket", "demo-live")));
            return null;
        })).isInstanceOf(ServletException.class)
                .hasMessageStartingWith("No dev.gatekey.store.KeyStoreProvider found on the classpath");
    }

    @Test
    void initWhenParamIllegalThenFailsBeforeOpeningAnything() {
        assertThatThrownBy(() -> filter.init(config(Map.of("bucket", "demo-live", "cacheTtlSeconds", "abc"))))
                .isInstanceOf(ServletException.class)
                .hasMessage("Illegal value for parameter [cacheTtlSeconds]: [abc]");
    }

    @Test
    void initWhenEnvironmentVariableThenExpandedThroughFilter() {
        filter.environment = name -> null;

        assertThatThrownBy(() -> filter.init(config(Map.of("bucket", "${env:GK_BUCKET}"))))
                .hasMessage("Undefined variable [${env:GK_BUCKET}] in parameter [bucket]");
    }

    private static <T> T withContextClassLoader(ClassLoader loader, Callable<T> action) throws Exception {
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(loader);
        try {
            return action.call();
        } finally {
            thread.setContextClassLoader(previous);
        }
    }
}
