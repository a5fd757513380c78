package dev.gatekey.container;

import static dev.gatekey.testsupport.container.Ports.freePort;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.gatekey.container.ContainerDatabase.IssuedKey;
import dev.gatekey.testsupport.container.Deployments;
import dev.gatekey.testsupport.http.Http;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import org.h2.tools.Server;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The store going away under a running filter: the filter reaches H2 through its TCP server, which the
 * test stops and restarts (the test arranges its keys through the same server while it is up).
 *
 * <p>Each test starts with the store up (restarted after the previous one if needed), so the filter's
 * pool must recover from a restarted server for the next test to pass.
 */
@ExtendWith(ArquillianExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class StoreOutageContainerTest {

    private static final int TCP_PORT = freePort();
    private static final Path BASE_DIR = tempDir();
    /** A store call while the database is down may take the pool's 1 s connection timeout. */
    private static final Duration OUTAGE_DEADLINE = Duration.ofSeconds(15);
    private static Server server = startServer();
    private static final ContainerDatabase DB = ContainerDatabase.at("outage",
            "jdbc:h2:tcp://localhost:" + TCP_PORT + "/" + ContainerDatabase.uniqueName("outage"));

    @ArquillianResource
    private URL base;
    private Http http;

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.webXml("outage", "container/outage/web.xml", DB.jdbcUrl());
    }

    @AfterAll
    static void stopEverything() {
        server.stop();
        DB.close();
    }

    @BeforeEach
    void client() {
        http = Http.of(base);
    }

    @AfterEach
    void storeBackUp() {
        if (!server.isRunning(false)) {
            server = startServer();
            // the test's own pool may still hold connections to the stopped server, and hands one out unchecked
            // when it was used less than half a second ago: the next test's arrangement must not meet it
            await().atMost(OUTAGE_DEADLINE).pollInterval(Duration.ofMillis(100)).ignoreExceptions()
                    .until(() -> !DB.km.buckets().list().isEmpty());
        }
    }

    @Test
    @Order(1)
    void whenStoreDownAfterTtlThenRecentlyValidKeyServedFromStaleEntry() {
        double applied = counter("changesApplied");
        IssuedKey key = DB.issue("steady");
        assertThat(http.get("api/whoami", "Authorization", key.bearer()).status()).isEqualTo(200);
        // the key's creation row must be applied (the key read again) before the outage: a KEY row applied during
        // it forgets the key, last good entry included, as a revocation must
        await().atMost(OUTAGE_DEADLINE).until(() -> counter("changesApplied") > applied);
        double errors = storeErrors();
        server.stop();

        // each poll is a cache hit until the 1 s TTL has passed; then the store fails and the stale entry answers
        await().atMost(OUTAGE_DEADLINE).pollInterval(Duration.ofMillis(200)).until(() -> {
            Http.Response reply = http.get("api/whoami", "Authorization", key.bearer());
            assertThat(reply.status()).isEqualTo(200);
            assertThat(reply.field("sub")).isEqualTo(key.consumer());
            return storeErrors() > errors;
        });
    }

    @Test
    @Order(2)
    void whenStoreDownThenServiceUnavailableWithRetryAfterAndNotCached() {
        IssuedKey neverSeen = DB.issue("patient");
        server.stop();

        Http.Response reply = http.get("api/whoami", "Authorization", neverSeen.bearer());

        assertThat(reply.status()).isEqualTo(503);
        assertThat(reply.header("Content-Type")).startsWith("application/problem+json");
        assertThat(reply.header("Retry-After")).isEqualTo("5");
        assertThat(reply.header("WWW-Authenticate")).isNull();
        assertThat(reply.json().get("status").asInt()).isEqualTo(503);
        assertThat(reply.json().get("detail").asText()).isEqualTo("The API key could not be checked; retry later.");
        // a cached failure would now answer 401 ("unknown") from the negative cache
        assertThat(http.get("api/whoami", "Authorization", neverSeen.bearer()).status()).isEqualTo(503);
    }

    @Test
    @Order(3)
    void whenStoreBackThenKeysValidatedAgainWithoutRestart() {
        IssuedKey key = DB.issue("returning");
        server.stop();
        assertThat(http.get("api/whoami", "Authorization", key.bearer()).status()).isEqualTo(503);

        server = startServer();

        await().atMost(OUTAGE_DEADLINE).pollInterval(Duration.ofMillis(200)).untilAsserted(() ->
                assertThat(http.get("api/whoami", "Authorization", key.bearer()).status()).isEqualTo(200));
    }

    private double storeErrors() {
        return counter("storeErrors");
    }

    private double counter(String name) {
        var node = http.get("metrics").json().get(name);
        return node == null ? 0 : node.asDouble();
    }

    private static Server startServer() {
        try {
            // a file database: stopping the server closes it, and it must come back with its rows
            return Server.createTcpServer("-tcpPort", Integer.toString(TCP_PORT), "-baseDir", BASE_DIR.toString(),
                    "-ifNotExists").start();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot start the H2 TCP server on port " + TCP_PORT, e);
        }
    }

    private static Path tempDir() {
        try {
            return Files.createTempDirectory("gatekey-outage");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
