package dev.gatekey.container;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.apache.catalina.Context;
import org.apache.catalina.LifecycleState;
import org.apache.catalina.startup.Tomcat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A bad init-param fails the deployment. Tomcat itself rather than Arquillian: a context whose filter
 * fails to start is not a deployment error the adapter reports, so the test starts an embedded Tomcat
 * with the web.xml and looks at the context state and the logged cause.
 */
class InvalidConfigurationContainerTest {

    @TempDir
    Path base;

    @Test
    void whenCacheTtlIsNotANumberThenDeploymentFailsNamingParamAndValue() throws Exception {
        Path webapp = Files.createDirectories(base.resolve("webapp/WEB-INF")).getParent();
        Files.writeString(webapp.resolve("WEB-INF/web.xml"), Deployments.resource("container/invalid/web.xml"),
                StandardCharsets.UTF_8);
        List<Throwable> logged = new CopyOnWriteArrayList<>();
        Logger containerLog = Logger.getLogger("org.apache.catalina.core.ContainerBase");
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                if (record.getThrown() != null) {
                    logged.add(record.getThrown());
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        containerLog.addHandler(capture);
        Tomcat tomcat = new Tomcat();
        try {
            tomcat.setBaseDir(base.resolve("tomcat").toString());
            tomcat.setPort(0);
            tomcat.setAddDefaultWebXmlToWebapp(false);
            tomcat.getHost().setAutoDeploy(false);
            Context context = tomcat.addWebapp("/invalid", webapp.toString());
            tomcat.start();

            assertThat(context.getState()).isNotEqualTo(LifecycleState.STARTED);
            assertThat(logged).extracting(Throwable::getMessage)
                    .contains("Illegal value for parameter [cacheTtlSeconds]: [abc]");
            HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://localhost:" + tomcat.getConnector().getLocalPort() + "/invalid/api/whoami"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(404);
        } finally {
            containerLog.removeHandler(capture);
            tomcat.stop();
            tomcat.destroy();
        }
    }
}
