package dev.gatekey.admin.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatekey.testsupport.http.Http;
import dev.gatekey.testsupport.logging.LogCapture;
import java.net.URL;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The database goes away under a running admin WAR (H2 {@code SHUTDOWN}; the next connection finds an empty
 * database without Gatekey's tables): the API answers 503 with {@code Retry-After}, no stack trace, no SQL.
 */
@ExtendWith(ArquillianExtension.class)
class DatabaseOutageTest {

    private static final LogCapture LOGS = LogCapture.install();
    private static final TestDeployment DEPLOYMENT = new TestDeployment("gatekey-admin-outage");

    @ArquillianResource
    private URL base;

    @Deployment(testable = false)
    static WebArchive deployment() {
        return DEPLOYMENT.archive();
    }

    @Test
    void requestWhenDatabaseFailsThen503WithRetryAfterAndNoSqlOrStackTrace() throws Exception {
        // a container user: the request reaches the servlet without the key filter touching the database
        Http ops = SeenKeys.client(base).with(ContainerUserFilter.USER_HEADER, "ops")
                .with(ContainerUserFilter.ROLES_HEADER, "gatekey-admin");
        assertThat(ops.api("GET", "/buckets").status()).isEqualTo(200);
        try (Connection connection = DriverManager.getConnection(DEPLOYMENT.jdbcUrl);
                Statement statement = connection.createStatement()) {
            statement.execute("SHUTDOWN");
        }

        Http.Response response = ops.api("GET", "/buckets");

        assertThat(response.status()).as(response.toString()).isEqualTo(503);
        assertThat(response.header("Retry-After")).isEqualTo("5");
        assertThat(response.contentType()).startsWith("application/problem+json");
        assertThat(response.body()).doesNotContainIgnoringCase("select").doesNotContain("Exception", "GK_", "\tat ");
        assertThat(ops.api("POST", "/cache/flush").status()).isEqualTo(503);

        int before = LOGS.lines().size();
        for (int i = 0; i < 50; i++) {
            assertThat(ops.api("GET", "/buckets").status()).isEqualTo(503);
        }
        List<String> traced = LOGS.lines().subList(before, LOGS.lines().size()).stream()
                .filter(line -> line.contains("\tat ")).toList();
        assertThat(traced).as("no stack trace per failed request").hasSizeLessThanOrEqualTo(1);
    }
}
