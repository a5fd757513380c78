package dev.gatekey.filter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatekey.testing.InMemoryKeyStore;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.FilterConfig;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.security.Principal;
import java.util.Collections;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Dual auth in embedded Tomcat: the key filter with {@code foreignCredentials=pass}, a second authentication (a toy
 * token filter standing for a JWT one: {@code Bearer token-<name>}), then {@link RequireCallerFilter}.
 */
class ForeignCredentialsTest {

    private final FilterServer server = new FilterServer();

    @AfterEach
    void stop() throws Exception {
        server.close();
    }

    private FilterServer dualAuth(Map<String, String> keyParams) {
        Map<String, String> params = new HashMap<>(Map.of("foreignCredentials", "pass",
                "allowUnauthenticatedRequests", "true"));
        params.putAll(keyParams);
        return server.then("tokens", new TokenFilter(), Map.of())
                .then("require", new RequireCallerFilter(), Map.of("schemes", "Bearer,ApiKey", "realm", "shop"))
                .start(params);
    }

    @Test
    void doFilterWhenForeignPassAndOtherSchemeAcceptedThenItsCallerSeenAndNoAttemptCounted() {
        dualAuth(Map.of("failedAttemptsPerIp", "1/1h"));

        for (int i = 0; i < 3; i++) {
            HttpResponse<String> response = server.get("/api", "Authorization", "Bearer token-bob");
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).contains("principal=bob", "authorization=Bearer token-bob");
        }
        assertThat(server.count("gatekey.requests", "outcome", "unaccepted")).isZero();
        assertThat(server.count("gatekey.requests", "outcome", "malformed")).isZero();
    }

    @Test
    void doFilterWhenForeignPassAndKeyValidThenKeyCallerSeen() {
        dualAuth(Map.of());
        String key = server.store.addKey("alice");

        HttpResponse<String> response = server.getWithKey(key);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("principal=alice", "authType=API_KEY");
    }

    @Test
    void doFilterWhenNoCredentialThenUnauthorizedWithOneChallengePerScheme() {
        dualAuth(Map.of());

        HttpResponse<String> response = server.get("/api");

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().allValues("WWW-Authenticate"))
                .containsExactly("Bearer realm=\"shop\"", "ApiKey realm=\"shop\"");
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                v -> assertThat(v).startsWith("application/problem+json"));
        assertThat(response.body()).contains("\"status\":401",
                "Send it as Authorization: Bearer <credential> or Authorization: ApiKey <credential>.");
        assertThat(server.count("gatekey.requests", "outcome", "unaccepted")).isZero();
    }

    @Test
    void doFilterWhenGarbageBearerThenRefusedOnceAsAFailedAttempt() {
        dualAuth(Map.of("failedAttemptsPerIp", "2/1h"));

        HttpResponse<String> first = server.get("/api", "Authorization", "Bearer not-a-token");

        assertThat(first.statusCode()).isEqualTo(401);
        assertThat(first.headers().allValues("WWW-Authenticate")).containsExactly(
                "Bearer realm=\"shop\", error=\"invalid_token\"", "ApiKey realm=\"shop\", error=\"invalid_token\"");
        assertThat(first.body()).contains("The API key is not valid.").doesNotContain("not-a-token");
        assertThat(server.count("gatekey.requests", "outcome", "unaccepted")).isEqualTo(1);
        assertThat(server.count("gatekey.requests", "outcome", "malformed")).isZero();
        assertThat(server.get("/api", "Authorization", "Bearer not-a-token").statusCode()).isEqualTo(401);
        assertThat(server.get("/api", "Authorization", "Bearer not-a-token").statusCode()).isEqualTo(429);
    }

    @Test
    void doFilterWhenForeignPassAndKeyOfAnotherBucketThenPassedOnAndRefusedAtTheEnd() {
        dualAuth(Map.of());
        String other = server.store.addKey(InMemoryKeyStore.OTHER_BUCKET, "eve", Map.of(), null, true);

        HttpResponse<String> response = server.getWithKey(other);

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(server.count("gatekey.requests", "outcome", "unaccepted")).isEqualTo(1);
        assertThat(server.store.findCalls.get()).isZero();
    }

    @Test
    void doFilterWhenForeignPassAndOwnKeyWithBadChecksumThenRefusedByTheKeyFilter() {
        dualAuth(Map.of());
        String key = server.store.addKey("alice");
        String broken = key.substring(0, key.length() - 1) + (key.endsWith("A") ? "B" : "A");

        HttpResponse<String> response = server.getWithKey(broken);

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().allValues("WWW-Authenticate"))
                .containsExactly("Bearer realm=\"api\", error=\"invalid_token\"");
        assertThat(server.count("gatekey.requests", "outcome", "bad_checksum")).isEqualTo(1);
    }

    @Test
    void doFilterWhenForeignRejectByDefaultThenOtherCredentialRefusedByTheKeyFilter() {
        server.then("tokens", new TokenFilter(), Map.of()).start();

        HttpResponse<String> response = server.get("/api", "Authorization", "Bearer token-bob");

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(server.count("gatekey.requests", "outcome", "malformed")).isEqualTo(1);
    }

    @Test
    void initWhenRequireCallerParamUnknownThenDeploymentFailsNamingIt() {
        RequireCallerFilter filter = new RequireCallerFilter();

        assertThatThrownBy(() -> filter.init(config(Map.of("scheme", "Bearer"))))
                .isInstanceOf(ServletException.class).hasMessage("Unknown parameter [scheme]: [Bearer]");
        assertThatThrownBy(() -> filter.init(config(Map.of("schemes", "Bearer,Bad Scheme"))))
                .isInstanceOf(ServletException.class).hasMessageContaining("[schemes]");
    }

    private static FilterConfig config(Map<String, String> params) {
        return new FilterConfig() {
            @Override
            public String getFilterName() {
                return "require";
            }

            @Override
            public jakarta.servlet.ServletContext getServletContext() {
                return null;
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

    /** Accepts {@code Authorization: Bearer token-<name>} as the caller {@code <name>}; leaves anything else. */
    static final class TokenFilter implements Filter {

        @Override
        public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain)
                throws IOException, ServletException {
            HttpServletRequest request = (HttpServletRequest) req;
            String header = request.getHeader("Authorization");
            if (request.getUserPrincipal() == null && header != null && header.startsWith("Bearer token-")) {
                Principal caller = () -> header.substring("Bearer token-".length());
                chain.doFilter(new HttpServletRequestWrapper(request) {
                    @Override
                    public Principal getUserPrincipal() {
                        return caller;
                    }
                }, res);
                return;
            }
            chain.doFilter(req, res);
        }
    }
}
