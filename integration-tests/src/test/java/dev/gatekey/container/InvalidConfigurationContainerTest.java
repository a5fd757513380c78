package dev.gatekey.container;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatekey.testsupport.container.Deployments;
import dev.gatekey.testsupport.http.Http;
import dev.gatekey.testsupport.logging.LogCapture;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.logging.Level;
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
        LogCapture containerLog = LogCapture.atLeast(Level.ALL, "org.apache.catalina.core.ContainerBase");
        Tomcat tomcat = new Tomcat();
        try {
            tomcat.setBaseDir(base.resolve("tomcat").toString());
            tomcat.setPort(0);
            tomcat.setAddDefaultWebXmlToWebapp(false);
            tomcat.getHost().setAutoDeploy(false);
            Context context = tomcat.addWebapp("/invalid", webapp.toString());
            tomcat.start();

            assertThat(context.getState()).isNotEqualTo(LifecycleState.STARTED);
            assertThat(containerLog.thrown()).extracting(Throwable::getMessage)
                    .contains("Illegal value for parameter [cacheTtlSeconds]: [abc]");
            Http.Response response = Http.of(URI.create("http://localhost:" + tomcat.getConnector().getLocalPort()
                    + "/invalid/").toURL()).get("api/whoami");
            assertThat(response.status()).isEqualTo(404);
        } finally {
            containerLog.close();
            tomcat.stop();
            tomcat.destroy();
        }
    }
}
