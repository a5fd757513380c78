package dev.gatekey.container;

import static dev.gatekey.container.KeyVerdictContainerTest.assertInvalid;
import static dev.gatekey.container.RawHttp.line;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gatekey.container.ContainerDatabase.IssuedKey;
import dev.gatekey.testsupport.container.Deployments;
import dev.gatekey.testsupport.http.Http;
import java.io.IOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Where the filter finds the key and what the application sees of it: header, scheme, query parameter,
 * anonymous access, hidden credentials, hostile headers. Filter registered in web.xml.
 */
@ExtendWith(ArquillianExtension.class)
class RequestExtractionContainerTest {

    private static final ContainerDatabase DB = ContainerDatabase.create("extraction");
    private static final IssuedKey KEY = DB.issue("reader");

    @ArquillianResource
    private URL base;
    private Http http;

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.webXml("extraction", "container/web.xml", DB.jdbcUrl());
    }

    @AfterAll
    static void closeDatabase() {
        DB.close();
    }

    @BeforeEach
    void client() {
        http = Http.of(base);
    }

    @Test
    void whenNoKeyThenUnauthorizedWithChallengeOnly() {
        Http.Response reply = http.get("api/whoami");

        assertThat(reply.status()).isEqualTo(401);
        assertThat(reply.header("WWW-Authenticate")).isEqualTo("Bearer realm=\"api\"");
        assertThat(reply.header("Content-Type")).startsWith("application/problem+json");
        assertThat(reply.json().get("detail").asText()).startsWith("An API key is required.");
    }

    @Test
    void whenBearerValueEmptyThenUnauthorizedAsInvalidKey() {
        assertThat(http.get("api/whoami", "Authorization", "Bearer").status()).isEqualTo(401);
        assertThat(http.get("api/whoami", "Authorization", "Bearer ").status()).isEqualTo(401);
    }

    @Test
    void whenOtherSchemeThenTreatedAsNoKey() {
        Http.Response reply = http.get("api/whoami", "Authorization", "Basic " + KEY.key());

        assertThat(reply.status()).isEqualTo(401);
        assertThat(reply.header("WWW-Authenticate")).isEqualTo("Bearer realm=\"api\"");
    }

    @Test
    void whenSchemeLowercaseThenAccepted() {
        Http.Response reply = http.get("api/whoami", "Authorization", "bearer " + KEY.key());

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.field("sub")).isEqualTo(KEY.consumer());
    }

    @Test
    void whenCustomHeaderWithEmptySchemeThenBareKeyAcceptedAndHidden() {
        Http.Response reply = http.get("raw/whoami", "X-API-Key", KEY.key());

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.field("sub")).isEqualTo(KEY.consumer());
        assertThat(reply.field("xApiKey")).isNull();
        assertThat(reply.json().get("headerNames").toString()).doesNotContainIgnoringCase("x-api-key");
    }

    @Test
    void whenCustomHeaderConfiguredThenAuthorizationHeaderIsNotAKey() {
        assertThat(http.get("raw/whoami", "Authorization", KEY.bearer()).status()).isEqualTo(401);
        assertThat(http.get("raw/whoami", "X-API-Key", KEY.bearer()).status()).isEqualTo(401);
    }

    @Test
    void whenTwoAuthorizationHeadersThenUnauthorized() {
        IssuedKey other = DB.issue("second");

        Http.Response reply = http.get("api/whoami", "Authorization", KEY.bearer(), "Authorization", other.bearer());

        assertInvalid(reply, "The API key is not valid.");
    }

    @Test
    void whenSameKeyTwiceThenStillUnauthorized() {
        assertThat(http.get("api/whoami", "Authorization", KEY.bearer(), "Authorization", KEY.bearer()).status())
                .isEqualTo(401);
    }

    @Test
    void whenKeyInQueryAndQueryParamNotConfiguredThenIgnored() {
        Http.Response reply = http.get("api/whoami?api_key=" + KEY.key());

        assertThat(reply.status()).isEqualTo(401);
        assertThat(reply.json().get("detail").asText()).startsWith("An API key is required.");
    }

    @Test
    void whenKeyInConfiguredQueryParamThenAcceptedAndHidden() {
        Http.Response reply = http.get("query/whoami?page=2&api_key=" + KEY.key());

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.field("sub")).isEqualTo(KEY.consumer());
        assertThat(reply.field("apiKeyParam")).isNull();
        assertThat(reply.field("query")).isEqualTo("page=2");
    }

    @Test
    void whenKeyInHeaderAndQueryThenUnauthorized() {
        assertThat(http.get("query/whoami?api_key=" + KEY.key(), "Authorization", KEY.bearer()).status())
                .isEqualTo(401);
    }

    @Test
    void whenHideCredentialsDefaultThenApplicationDoesNotSeeTheKey() {
        Http.Response reply = http.get("api/whoami", "Authorization", KEY.bearer());

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.field("authorization")).isNull();
        assertThat(reply.json().get("headerNames").toString()).doesNotContainIgnoringCase("authorization");
        assertThat(reply.body()).doesNotContain(KEY.key());
    }

    @Test
    void whenHideCredentialsFalseThenApplicationSeesTheKey() {
        Http.Response reply = http.get("visible/whoami", "Authorization", KEY.bearer());

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.field("authorization")).isEqualTo(KEY.bearer());
    }

    @Test
    void whenAnonymousAllowedThenKeylessRequestContinuesWithoutPrincipal() {
        Http.Response reply = http.get("open/whoami");

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.field("principal")).isNull();
        assertThat(reply.field("remoteUser")).isNull();
        assertThat(reply.field("authType")).isNull();
        assertThat(reply.field("attribute")).isNull();
    }

    @Test
    void whenAnonymousAllowedThenInvalidKeyIsStillRefused() {
        assertThat(http.get("open/whoami", "Authorization", "Bearer " + DB.unknownKey()).status()).isEqualTo(401);
    }

    @Test
    void whenAnonymousRequestFollowsAuthenticatedOneOnSameConnectionThenNoPrincipalLeaks() throws IOException {
        ObjectMapper json = new ObjectMapper();
        try (RawHttp connection = new RawHttp(http.port())) {
            for (int i = 0; i < 10; i++) {
                JsonNode authenticated = json.readTree(connection.get(http.contextPath() + "open/whoami",
                        line("Authorization: " + KEY.bearer())).body());
                JsonNode anonymous = json.readTree(connection.get(http.contextPath() + "open/whoami").body());

                assertThat(authenticated.get("principal").asText()).isEqualTo(KEY.consumer());
                assertThat(anonymous.get("principal").isNull()).isTrue();
                assertThat(anonymous.get("remoteUser").isNull()).isTrue();
                assertThat(anonymous.get("attribute").isNull()).isTrue();
                assertThat(anonymous.get("admin").asBoolean()).isFalse();
            }
        }
    }

    @Test
    void whenAuthorizationHeaderIs16KilobytesThenClientErrorNotServerError() {
        Http.Response reply = http.get("api/whoami", "Authorization", "Bearer " + "A".repeat(16 * 1024));

        assertThat(reply.status()).isBetween(400, 499);
    }

    @Test
    void whenAuthorizationHeaderIs6KilobytesThenFilterRefusesIt() {
        Http.Response reply = http.get("api/whoami", "Authorization", "Bearer orders_" + "A".repeat(6 * 1024));

        assertInvalid(reply, "The API key is not valid.");
    }

    @Test
    void whenHeaderCarriesControlCharactersThenClientErrorNotServerError() {
        try (RawHttp connection = new RawHttp(http.port())) {
            RawHttp.Response reply = connection.get(http.contextPath() + "api/whoami",
                    line("Authorization: Bearer orders_\u0001\u0007" + KEY.key().substring(7)));

            assertThat(reply.status()).isBetween(400, 499);
        }
    }

    @Test
    void whenHeaderCarriesNonAsciiBytesThenClientErrorNotServerError() {
        byte[] header = ("Authorization: Bearer " + KEY.key().replace('A', 'ü') + "ü€😀")
                .getBytes(StandardCharsets.UTF_8);
        try (RawHttp connection = new RawHttp(http.port())) {
            RawHttp.Response reply = connection.get(http.contextPath() + "api/whoami", header);

            assertThat(reply.status()).isBetween(400, 499);
        }
    }

    @Test
    void whenKeyContainsUnicodeThroughHttpClientThenUnauthorized() {
        Http.Response reply = http.get("api/whoami", "Authorization", "Bearer orders_\u00e9\u00e9");

        assertThat(reply.status()).isEqualTo(401);
    }
}
