package dev.gatekey.container;

import static dev.gatekey.container.KeyVerdictContainerTest.assertInvalid;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.gatekey.container.ContainerDatabase.IssuedKey;
import dev.gatekey.testsupport.http.Http;
import java.net.URL;
import java.time.Duration;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every way of registering the filter must give: the principal on mapped paths, 401 without a key,
 * nothing on unmapped paths, revocations through the change feed. Subclasses deploy one registration form.
 */
abstract class RegistrationContract {

    @ArquillianResource
    private URL base;
    private Http http;

    /** The database the subclass's deployment uses. */
    abstract ContainerDatabase db();

    @BeforeEach
    void client() {
        http = Http.of(base);
    }

    @Test
    void whenKeyValidThenApplicationSeesPrincipal() {
        IssuedKey key = db().issue("client");

        Http.Response reply = http.get("api/whoami", "Authorization", key.bearer());

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.field("sub")).isEqualTo(key.consumer());
        assertThat(reply.field("authType")).isEqualTo("API_KEY");
        assertThat(reply.field("authorization")).isNull();
    }

    @Test
    void whenNoKeyThenUnauthorized() {
        assertThat(http.get("api/whoami").status()).isEqualTo(401);
    }

    @Test
    void whenPathNotMappedThenFilterDoesNotRun() {
        Http.Response reply = http.get("public/whoami");

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.field("principal")).isNull();
    }

    @Test
    void whenKeyRevokedAfterCachingThenRejectedWithinPollInterval() {
        IssuedKey key = db().issue("revoked");
        assertThat(http.get("api/whoami", "Authorization", key.bearer()).status()).isEqualTo(200);

        db().km.keys().revoke(ContainerDatabase.ACTOR, key.bucket(), key.consumer(), key.id());

        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(50))
                .until(() -> http.get("api/whoami", "Authorization", key.bearer()).status() == 401);
        assertInvalid(http.get("api/whoami", "Authorization", key.bearer()), "The API key has been revoked.");
    }
}
