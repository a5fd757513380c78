package dev.gatekey.container;

import static dev.gatekey.container.KeyVerdictContainerTest.assertInvalid;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.gatekey.container.ContainerDatabase.IssuedKey;
import java.net.URL;
import java.time.Duration;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The filter registered with {@code ServletContext.addFilter} from a {@code ServletContextListener}. */
@ExtendWith(ArquillianExtension.class)
class ProgrammaticRegistrationContainerTest {

    private static final ContainerDatabase DB = ContainerDatabase.create("programmatic");

    @ArquillianResource
    private URL base;
    private Http http;

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.webXml("programmatic", "container/programmatic/web.xml", DB.jdbcUrl());
    }

    @AfterAll
    static void closeDatabase() {
        DB.close();
    }

    @BeforeEach
    void client() {
        http = new Http(base);
    }

    @Test
    void whenKeyValidThenApplicationSeesPrincipal() {
        IssuedKey key = DB.issue("programmatic-client");

        Http.Reply reply = http.get("api/whoami", "Authorization", key.bearer());

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
        Http.Reply reply = http.get("public/whoami");

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.field("principal")).isNull();
    }

    @Test
    void whenKeyRevokedAfterCachingThenRejectedWithinPollInterval() {
        IssuedKey key = DB.issue("programmatic-revoked");
        assertThat(http.get("api/whoami", "Authorization", key.bearer()).status()).isEqualTo(200);

        DB.km.revokeKey(ContainerDatabase.ACTOR, key.bucket(), key.consumer(), key.id());

        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(50))
                .until(() -> http.get("api/whoami", "Authorization", key.bearer()).status() == 401);
        assertInvalid(http.get("api/whoami", "Authorization", key.bearer()), "The API key has been revoked.");
    }
}
