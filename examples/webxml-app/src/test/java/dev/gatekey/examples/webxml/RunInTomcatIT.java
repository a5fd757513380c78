package dev.gatekey.examples.webxml;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatekey.examples.tomcat.RunningExample;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's one command, second half ({@code java -jar target/tomcat/run.jar}; the build is the first):
 * a standalone Tomcat 11 with this example and the admin WAR, bucket {@code demo-live} created, stopped as
 * Ctrl-C stops it.
 */
class RunInTomcatIT {

    @TempDir
    Path tmp;

    @Test
    void whenRunThenWhoamiAnswersTheConsumerOfAKeyCreatedThroughTheAdminApi() throws Exception {
        try (RunningExample example = RunningExample.start(Path.of(System.getProperty("example.runJar")),
                tmp.resolve("run.log"))) {
            // the example's database outlives the test (target/tomcat/gatekey-data): a name of its own, removed after
            String consumer = "it-webxml-" + UUID.randomUUID();
            HttpResponse<String> created = example.send("POST",
                    "/admin/api/v1/buckets/demo-live/consumers?with-api-key=true", example.adminKey(),
                    "{\"name\":\"" + consumer + "\",\"metadata\":{\"plan\":\"gold\"}}");
            assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
            String key = created.body().replaceAll("(?s).*\"key\":\"(demo_live_\\w+)\".*", "$1");

            HttpResponse<String> whoami = example.send("GET", "/api/whoami", key, null);

            assertThat(whoami.statusCode()).as(whoami.body()).isEqualTo(200);
            assertThat(whoami.body()).contains("\"sub\":\"" + consumer + "\"", "\"bucket\":\"demo-live\"");
            assertThat(example.send("DELETE", "/admin/api/v1/buckets/demo-live/consumers/" + consumer,
                    example.adminKey(), null).statusCode()).isEqualTo(204);
        }
    }
}
