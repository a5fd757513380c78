package dev.gatekey.admin.portal;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The portal cookie's attributes on plain and secure requests. */
class PortalCookieTest {

    private static HttpServletRequest request(boolean secure) {
        return (HttpServletRequest) Proxy.newProxyInstance(PortalCookieTest.class.getClassLoader(),
                new Class<?>[] {HttpServletRequest.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "isSecure" -> secure;
                    case "getContextPath" -> "/gatekey";
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    private static HttpServletResponse response(List<String> setCookies) {
        return (HttpServletResponse) Proxy.newProxyInstance(PortalCookieTest.class.getClassLoader(), new Class<?>[] {HttpServletResponse.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("addHeader") && "Set-Cookie".equals(args[0])) {
                        setCookies.add((String) args[1]);
                        return null;
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }

    @Test
    void setWhenHttpsThenSecureHttpOnlyStrictAndScopedToThePortal() {
        List<String> cookies = new ArrayList<>();
        PortalCookie.set(request(true), response(cookies), "id");
        assertThat(cookies).containsExactly("GATEKEY_PORTAL=id; Path=/gatekey/portal; HttpOnly; SameSite=Strict; Secure");
    }

    @Test
    void setWhenPlainHttpThenNotSecure() {
        List<String> cookies = new ArrayList<>();
        PortalCookie.set(request(false), response(cookies), "id");
        assertThat(cookies).containsExactly("GATEKEY_PORTAL=id; Path=/gatekey/portal; HttpOnly; SameSite=Strict");
    }

    @Test
    void clearWhenSignedOutThenExpiredWithTheSameScope() {
        List<String> cookies = new ArrayList<>();
        PortalCookie.clear(request(true), response(cookies));
        assertThat(cookies).containsExactly(
                "GATEKEY_PORTAL=; Path=/gatekey/portal; HttpOnly; SameSite=Strict; Secure; Max-Age=0");
    }
}
