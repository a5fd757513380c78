package dev.gatekey.cdi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatekey.principal.ApiKeyPrincipal;
import dev.gatekey.store.StoredKey;
import jakarta.servlet.http.HttpServletRequest;
import java.lang.reflect.Proxy;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ApiKeyPrincipalProducerTest {

    private static HttpServletRequest requestWithAttribute(Object value) {
        return (HttpServletRequest) Proxy.newProxyInstance(ApiKeyPrincipalProducerTest.class.getClassLoader(),
                new Class<?>[] {HttpServletRequest.class},
                (proxy, method, args) -> "getAttribute".equals(method.getName())
                        && ApiKeyPrincipal.REQUEST_ATTRIBUTE.equals(args[0]) ? value : null);
    }

    @Test
    void principalWhenRequestAuthenticatedThenFilterPrincipal() {
        ApiKeyPrincipal principal = ApiKeyPrincipal.of(new StoredKey("key_1", "b", "alice", Map.of(), null, null,
                true));

        assertThat(new ApiKeyPrincipalProducer(requestWithAttribute(principal)).principal()).isSameAs(principal);
    }

    @Test
    void principalWhenRequestAnonymousThenClearException() {
        assertThatThrownBy(() -> new ApiKeyPrincipalProducer(requestWithAttribute(null)).principal())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("No API key principal on this request");
    }
}
