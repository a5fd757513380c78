package dev.gatekey.examples.dualauth;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code GET /api/me} of the example's web.xml with an API key, a JWT, both wrong in every way, and neither. */
class DualAuthAppTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static DualAuthServer server;

    @BeforeAll
    static void start() throws Exception {
        server = new DualAuthServer(Path.of("src", "main", "webapp"),
                Files.createTempDirectory("gatekey-dual-auth"), 0);
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    private static HttpResponse<String> me(String authorization) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server.baseUrl() + "/api/me"));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static double unaccepted() {
        var counter = server.registry.find("gatekey.requests").tags("outcome", "unaccepted").counter();
        return counter == null ? 0 : counter.count();
    }

    private static void assertRefusedWithBothChallenges(HttpResponse<String> response, boolean credentialSent) {
        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/problem+json"));
        String error = credentialSent ? ", error=\"invalid_token\"" : "";
        assertThat(response.headers().allValues("WWW-Authenticate")).containsExactly(
                "ApiKey realm=\"dual-auth\"" + error, "Bearer realm=\"dual-auth\"" + error);
    }

    @Test
    void meWhenApiKeyThenConsumerViaApiKey() throws Exception {
        String key = server.issueKey("demo-live", "acme", Map.of("plan", "gold", "roles", List.of("reader")));

        HttpResponse<String> response = me("ApiKey " + key);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.get("sub").asText()).isEqualTo("acme");
        assertThat(body.get("data").get("plan").asText()).isEqualTo("gold");
        assertThat(body.get("via").asText()).isEqualTo("api-key");
    }

    @Test
    void meWhenJwtThenSubAndRolesViaJwt() throws Exception {
        String token = server.token("user-42", List.of("admin", "reader"), Duration.ofMinutes(5));

        HttpResponse<String> response = me("Bearer " + token);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.get("sub").asText()).isEqualTo("user-42");
        assertThat(body.get("data").get("roles")).extracting(JsonNode::asText).containsExactly("admin", "reader");
        assertThat(body.get("via").asText()).isEqualTo("jwt");
    }

    @Test
    void meWhenNeitherThenUnauthorizedWithBothChallenges() throws Exception {
        assertRefusedWithBothChallenges(me(null), false);
    }

    @Test
    void meWhenJwtExpiredThenUnauthorized() throws Exception {
        String expired = server.token("user-42", List.of("reader"), Duration.ofHours(-1));

        assertRefusedWithBothChallenges(me("Bearer " + expired), true);
    }

    @Test
    void meWhenJwtSignedByAnotherKeyThenUnauthorized() throws Exception {
        RSAKey impostor = new RSAKeyGenerator(2048).keyID("impostor").generate();
        String forged = server.token("user-42", List.of("admin"), Duration.ofMinutes(5), impostor);

        assertRefusedWithBothChallenges(me("Bearer " + forged), true);
    }

    @Test
    void meWhenGarbageBearerThenUnauthorizedAndCountedOnceAsAFailedAttempt() throws Exception {
        double before = unaccepted();

        HttpResponse<String> response = me("Bearer this-is-not-a-token");

        assertRefusedWithBothChallenges(response, true);
        assertThat(response.body()).doesNotContain("this-is-not-a-token");
        assertThat(unaccepted() - before).isEqualTo(1);
    }

    @Test
    void meWhenKeyOfAnotherBucketThenUnauthorized() throws Exception {
        String foreign = server.issueKey("other-live", "mallory", Map.of());

        assertRefusedWithBothChallenges(me("ApiKey " + foreign), true);
    }
}
