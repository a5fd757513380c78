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
            String consumer = "it-webxml-" + UUID.randomUUID();

            HttpResponse<String> whoami = example.whoamiOfNewConsumer(consumer);

            assertThat(whoami.statusCode()).as(whoami.body()).isEqualTo(200);
            assertThat(whoami.body()).contains("\"sub\":\"" + consumer + "\"", "\"bucket\":\"demo-live\"");
        }
    }
}
