package dev.gatekey.admin.it;

import static dev.gatekey.testsupport.container.Ports.freePort;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.gatekey.testsupport.http.Http;
import java.net.URL;
import java.nio.file.Files;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.h2.tools.Server;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The admin WAR deployed while its database (an H2 TCP server) is not running: the deployment succeeds, the API
 * answers 503 "the database is unavailable", and once the server starts the WAR finishes starting by itself
 * (schema migrated, admin key created) and answers 200, without a redeployment.
 */
@ExtendWith(ArquillianExtension.class)
class DatabaseDownAtStartTest {

    private static final int PORT = freePort();
    private static final TestDeployment DEPLOYMENT = new TestDeployment("gatekey-admin-db-down", Map.of(),
            "jdbc:h2:tcp://127.0.0.1:" + PORT + "/mem:gk-admin-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");

    @ArquillianResource
    private URL base;

    @Deployment(testable = false)
    static WebArchive deployment() {
        return DEPLOYMENT.archive();
    }

    @Test
    void deployWhenDatabaseDownThen503UntilItStartsThenServesWithoutRedeployment() throws SQLException {
        Http ops = SeenKeys.client(base).with(ContainerUserFilter.USER_HEADER, "ops")
                .with(ContainerUserFilter.ROLES_HEADER, "gatekey-admin");
        Http.Response down = ops.api("GET", "/buckets");
        assertThat(down.status()).as(down.toString()).isEqualTo(503);
        assertThat(down.body()).contains("database is unavailable");
        assertThat(Files.exists(DEPLOYMENT.keyFile)).as("no admin key before the database answers").isFalse();

        Server h2 = Server.createTcpServer("-tcpPort", Integer.toString(PORT), "-ifNotExists").start();
        try {
            await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100))
                    .until(() -> ops.api("GET", "/buckets").status() == 200);
            await().atMost(Duration.ofSeconds(5)).until(() -> Files.exists(DEPLOYMENT.keyFile));
            Http admin = SeenKeys.client(base).with("Authorization", "Bearer " + DEPLOYMENT.adminKey());
            assertThat(admin.api("GET", "/buckets").status()).isEqualTo(200);
        } finally {
            h2.stop();
        }
    }
}
