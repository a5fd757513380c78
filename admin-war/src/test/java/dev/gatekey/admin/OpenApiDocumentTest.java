package dev.gatekey.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.gatekey.admin.api.AdminApi;
import dev.gatekey.admin.api.Route;
import dev.gatekey.admin.leak.GithubSecretScanningServlet;
import dev.gatekey.format.ApiKeyFormat;
import dev.gatekey.persistence.GatekeyDatabase;
import dev.gatekey.persistence.KeyManagement;
import dev.gatekey.store.StoreSettings;
import java.io.InputStream;
import java.time.Clock;
import java.util.Iterator;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class OpenApiDocumentTest {

    private static final Set<String> HTTP_METHODS = Set.of("get", "put", "post", "delete", "options", "head", "patch",
            "trace");

    private static JsonNode document;

    @BeforeAll
    static void parse() throws Exception {
        try (InputStream in = AdminApi.class.getResourceAsStream(AdminApi.OPENAPI_RESOURCE)) {
            document = new ObjectMapper(new YAMLFactory()).readTree(in);
        }
    }

    /**
     * Every route the WAR serves: the router's own table (AdminApi over a throwaway database its handlers never
     * touch here) and the GitHub secret-scanning servlet, mapped on its own beside the router.
     */
    private static Set<String> servedRoutes() {
        try (GatekeyDatabase database = GatekeyDatabase.open(StoreSettings.jdbc(
                "jdbc:h2:mem:gk-openapi-" + UUID.randomUUID(), null, null))) {
            KeyManagement keys = new KeyManagement(database, ApiKeyFormat.crc32(), null, Clock.systemUTC());
            Set<String> routes = new TreeSet<>();
            for (Route route : new AdminApi(keys).router().routes()) {
                routes.add(route.method() + " " + route.template());
            }
            routes.add("POST " + GithubSecretScanningServlet.ROUTE);
            return routes;
        }
    }

    @Test
    void readWhenParsedThenDocumentIsOpenApi31() {
        assertThat(document.path("openapi").asText()).startsWith("3.1.");
        assertThat(document.path("components").path("schemas").has("Problem")).isTrue();
    }

    @Test
    void pathsWhenComparedWithTheRouterThenExactlyTheRouterRoutes() {
        Set<String> documented = new TreeSet<>();
        for (Iterator<String> paths = document.path("paths").fieldNames(); paths.hasNext();) {
            String path = paths.next();
            for (Iterator<String> keys = document.path("paths").path(path).fieldNames(); keys.hasNext();) {
                String key = keys.next();
                if (HTTP_METHODS.contains(key)) {
                    documented.add(key.toUpperCase(Locale.ROOT) + " " + path);
                }
            }
        }

        assertThat(documented).isEqualTo(servedRoutes());
    }

    /** Operations with {@code security: []} (the leak webhook) need no admin role, so they never answer 403. */
    @Test
    void operationsWhenListedThenEachDocuments401AndEachAdminOne403() {
        document.path("paths").fields().forEachRemaining(path -> path.getValue().fields().forEachRemaining(op -> {
            if (HTTP_METHODS.contains(op.getKey())) {
                assertThat(op.getValue().path("responses").has("401")).as(op.getKey() + " " + path.getKey()).isTrue();
                boolean adminOnly = !op.getValue().path("security").isArray() || !op.getValue().path("security").isEmpty();
                assertThat(op.getValue().path("responses").has("403")).as(op.getKey() + " " + path.getKey())
                        .isEqualTo(adminOnly);
            }
        }));
    }

    @Test
    void operationsWhenWithoutAdminSecurityThenOnlyTheLeakWebhook() {
        Set<String> open = new TreeSet<>();
        document.path("paths").fields().forEachRemaining(path -> path.getValue().fields().forEachRemaining(op -> {
            if (HTTP_METHODS.contains(op.getKey()) && op.getValue().path("security").isArray()
                    && op.getValue().path("security").isEmpty()) {
                open.add(op.getKey().toUpperCase(Locale.ROOT) + " " + path.getKey());
            }
        }));

        assertThat(open).containsExactly("POST " + GithubSecretScanningServlet.ROUTE);
    }

    @Test
    void pathsWhenTheyHaveVariablesThenEachIsADocumentedParameter() {
        document.path("paths").fields().forEachRemaining(path -> {
            Set<String> declared = new TreeSet<>();
            path.getValue().path("parameters").forEach(p -> declared.add(resolve(p).path("name").asText()));
            var variables = java.util.regex.Pattern.compile("\\{([^}]+)}").matcher(path.getKey());
            while (variables.find()) {
                assertThat(declared).as(path.getKey()).contains(variables.group(1));
            }
        });
    }

    private static JsonNode resolve(JsonNode parameter) {
        if (!parameter.has("$ref")) {
            return parameter;
        }
        String name = parameter.get("$ref").asText().replace("#/components/parameters/", "");
        return document.path("components").path("parameters").path(name);
    }
}
