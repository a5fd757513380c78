package dev.gatekey.admin.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatekey.admin.leak.LeakSettings;
import dev.gatekey.testsupport.http.Http;
import java.net.URL;
import java.net.http.HttpRequest.BodyPublishers;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Without GitHub public keys the webhook answers 404 with a problem that says what to configure. */
@ExtendWith(ArquillianExtension.class)
class GithubSecretScanningOffTest {

    private static final TestDeployment DEPLOYMENT = new TestDeployment("gatekey-admin-leaks-off");

    @ArquillianResource
    private URL base;

    @Deployment(testable = false)
    static WebArchive deployment() {
        return DEPLOYMENT.archive();
    }

    @Test
    void postWebhookWhenUnconfiguredThenNotFoundWithAClearProblem() {
        Http.Response answer = SeenKeys.client(base).send("POST", LeakFixture.WEBHOOK_PATH, "application/json",
                BodyPublishers.ofString("[]"));

        assertThat(answer.status()).isEqualTo(404);
        assertThat(answer.contentType()).startsWith("application/problem+json");
        assertThat(answer.json().path("detail").asText()).contains(LeakSettings.GITHUB_PUBLIC_KEYS)
                .contains(LeakSettings.GITHUB_PUBLIC_KEYS_FILE);
    }

    @Test
    void getLeaksWhenWebhookUnconfiguredThenStillListedForAdmins() {
        Http admin = SeenKeys.client(base).withKey(DEPLOYMENT.adminKey());

        Http.Response answer = admin.api("GET", "/leaks");

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.json().path("data").isArray()).isTrue();
        assertThat(answer.json().path("nextCursor").isNull()).isTrue();
    }
}
