package dev.gatekey.admin.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatekey.testsupport.http.Http;
import java.net.URL;
import java.util.Map;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A WAR configured with {@code gatekey.portalFrameAncestors} and {@code gatekey.portalUrl}. */
@ExtendWith(ArquillianExtension.class)
class PortalFramingTest {

    private static final TestDeployment DEPLOYMENT = new TestDeployment("gatekey-admin-portal-framed", Map.of(
            "gatekey.portalFrameAncestors", "'self' https://app.example.com",
            "gatekey.portalUrl", "https://keys.example.com/gatekey/portal/"));

    @ArquillianResource
    private URL base;

    @Deployment(testable = false)
    static WebArchive deployment() {
        return UiDeployment.archive(DEPLOYMENT);
    }

    @Test
    void portalWhenFrameAncestorsConfiguredThenOnlyThePortalMayBeFramedByThem() {
        Http anonymous = Http.of(base);
        Http.Response portal = anonymous.get("portal/");
        assertThat(portal.status()).isEqualTo(200);
        assertThat(portal.header("Content-Security-Policy")).contains("frame-ancestors 'self' https://app.example.com;")
                .contains("script-src 'self'");
        assertThat(portal.headers().firstValue("X-Frame-Options")).isEmpty();

        Http.Response adminUi = anonymous.get("");
        assertThat(adminUi.header("Content-Security-Policy")).contains("frame-ancestors 'none'");
        assertThat(adminUi.header("X-Frame-Options")).isEqualTo("DENY");
    }

    @Test
    void openPortalSessionWhenPortalUrlConfiguredThenLinkUsesIt() {
        Http.Response answer = SeenKeys.client(base).withKey(DEPLOYMENT.adminKey())
                .api("POST", "/buckets/gatekey-admin/portal-sessions", Map.of("manager", "m"));

        assertThat(answer.status()).as(answer.toString()).isEqualTo(201);
        assertThat(answer.json().path("url").asText()).matches("https://keys\\.example\\.com/gatekey/portal/#[A-Za-z0-9_-]{43}");
    }
}
