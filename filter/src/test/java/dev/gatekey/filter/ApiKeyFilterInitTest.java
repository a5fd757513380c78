package dev.gatekey.filter;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.servlet.FilterConfig;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletException;
import java.lang.reflect.Proxy;
import java.util.Collections;
import java.util.Enumeration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ApiKeyFilterInitTest {

    private static FilterConfig config(Map<String, String> params) {
        ServletContext context = (ServletContext) Proxy.newProxyInstance(ApiKeyFilterInitTest.class.getClassLoader(),
                new Class<?>[] {ServletContext.class}, (proxy, method, args) -> null);
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
    void initWhenNoKeyStoreProviderThenClearServletException() {
        ApiKeyFilter filter = new ApiKeyFilter();

        assertThatThrownBy(() -> filter.init(config(Map.of("bucket", "demo-live"))))
                .isInstanceOf(ServletException.class)
                .hasMessageContaining("No dev.gatekey.store.KeyStoreProvider found on the classpath");
    }

    @Test
    void initWhenParamIllegalThenFailsBeforeOpeningAnything() {
        ApiKeyFilter filter = new ApiKeyFilter();

        assertThatThrownBy(() -> filter.init(config(Map.of("bucket", "demo-live", "cacheTtlSeconds", "abc"))))
                .isInstanceOf(ServletException.class)
                .hasMessage("Illegal value for parameter [cacheTtlSeconds]: [abc]");
    }

    @Test
    void initWhenEnvironmentVariableThenExpandedThroughFilter() {
        ApiKeyFilter filter = new ApiKeyFilter();
        filter.environment = name -> null;

        assertThatThrownBy(() -> filter.init(config(Map.of("bucket", "${env:GK_BUCKET}"))))
                .hasMessage("Undefined variable [${env:GK_BUCKET}] in parameter [bucket]");
    }
}
