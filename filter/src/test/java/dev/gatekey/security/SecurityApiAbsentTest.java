package dev.gatekey.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URL;
import java.net.URLClassLoader;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Where the container has no Jakarta Security (Tomcat, with or without Weld): the filter's classes and the CDI
 * extension that every CDI container loads from {@code META-INF/services} load and link without it; only the
 * mechanism itself needs it.
 */
class SecurityApiAbsentTest {

    /** Gatekey's classes from the build output, every other class from the test class path but Jakarta Security. */
    private static ClassLoader withoutJakartaSecurity() {
        URL classes = ApiKeyMechanismExtension.class.getProtectionDomain().getCodeSource().getLocation();
        ClassLoader parent = SecurityApiAbsentTest.class.getClassLoader();
        return new URLClassLoader(new URL[] {classes}, null) {
            @Override
            protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
                if (name.startsWith("jakarta.security.")) {
                    throw new ClassNotFoundException(name);
                }
                if (name.startsWith("dev.gatekey.")) {
                    return super.loadClass(name, resolve);
                }
                return parent.loadClass(name);
            }
        };
    }

    @Test
    void loadWhenJakartaSecurityAbsentThenFilterAndExtensionLinkAndMechanismDoesNot() throws Exception {
        ClassLoader loader = withoutJakartaSecurity();

        for (String name : List.of("dev.gatekey.filter.ApiKeyFilter", "dev.gatekey.filter.KeyAuthentication",
                "dev.gatekey.filter.RequireCallerFilter", "dev.gatekey.security.ApiKeyMechanismExtension",
                "dev.gatekey.security.ApiKeyAuthenticationMechanismDefinition")) {
            Class<?> type = Class.forName(name, true, loader);
            // resolves every type in the methods' signatures, as a CDI container's reflection does
            assertThat(type.getDeclaredMethods()).as(name).isNotNull();
            assertThat(type.getDeclaredFields()).as(name).isNotNull();
        }
        assertThatThrownBy(() -> Class.forName("dev.gatekey.security.ApiKeyAuthenticationMechanism", true, loader))
                .isInstanceOf(NoClassDefFoundError.class).hasMessageContaining("jakarta/security");
    }
}
