package dev.gatekey.admin.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** docs/openapi.yaml, the repository's copy for readers, is the document the WAR serves. */
class OpenApiDocumentCopyTest {

    /** Relative to this module (Surefire's working directory). */
    static final Path DOCS_COPY = Path.of("..", "docs", "openapi.yaml");
    static final String SOURCE = "admin-war/src/main/resources/dev/gatekey/admin/api/" + AdminApi.OPENAPI_RESOURCE;

    @Test
    void docsCopyWhenComparedWithTheServedDocumentThenIdentical() throws IOException {
        String served;
        try (InputStream in = AdminApi.class.getResourceAsStream(AdminApi.OPENAPI_RESOURCE)) {
            assertThat(in).as("served document on the class path").isNotNull();
            served = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }

        assertThat(Files.readString(DOCS_COPY, StandardCharsets.UTF_8))
                .as("docs/openapi.yaml differs from the served document; after changing the API run, from the "
                        + "repository root: cp %s docs/openapi.yaml", SOURCE)
                .isEqualTo(served);
    }
}
