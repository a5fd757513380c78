package dev.gatekey.admin.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatekey.persistence.GatekeyDatabase;
import dev.gatekey.persistence.JpaKeyStore;
import dev.gatekey.persistence.KeyManagement;
import dev.gatekey.persistence.NewConsumer;
import dev.gatekey.store.UsageCount;
import dev.gatekey.testsupport.http.Http;
import java.net.URL;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The usage routes over HTTP: the counts the filters wrote, as series and top lists; the range checks. */
@ExtendWith(ArquillianExtension.class)
class UsageApiTest {

    private static final TestDeployment DEPLOYMENT = new TestDeployment("gatekey-usage-api");
    private static final String BUCKET = "usage-api";
    /** A whole hour two hours ago: inside every default range. */
    private static final Instant HOUR = Instant.now().truncatedTo(ChronoUnit.HOURS).minus(2, ChronoUnit.HOURS);
    private static final long MINUTE = HOUR.getEpochSecond() / 60;

    private static GatekeyDatabase database;
    private static KeyManagement keys;

    @ArquillianResource
    private URL base;

    private Http admin;

    @Deployment(testable = false)
    static WebArchive deployment() {
        return DEPLOYMENT.archive();
    }

    @BeforeAll
    static void arrange() {
        database = DEPLOYMENT.openDatabase();
        keys = DEPLOYMENT.keyManagement(database);
        keys.buckets().create("test", BUCKET, null, "usage_api", false);
        String alice = keys.consumers().create("test", BUCKET, NewConsumer.named("alice"), true).apiKeys().get(0).id();
        String bob = keys.consumers().create("test", BUCKET, NewConsumer.named("bob"), true).apiKeys().get(0).id();
        new JpaKeyStore(database).recordUsage(List.of(new UsageCount(BUCKET, alice, MINUTE, "valid", 7),
                new UsageCount(BUCKET, alice, MINUTE + 1, "valid", 3),
                new UsageCount(BUCKET, alice, MINUTE + 1, "rate_limited", 2),
                new UsageCount(BUCKET, bob, MINUTE, "valid", 20),
                new UsageCount(BUCKET, null, MINUTE, "bad_checksum", 4)));
    }

    @AfterAll
    static void close() {
        database.close();
    }

    @BeforeEach
    void client() {
        admin = SeenKeys.client(base).withKey(DEPLOYMENT.adminKey());
    }

    private static List<String> points(JsonNode body) {
        List<String> points = new ArrayList<>();
        body.path("data").forEach(p -> points.add(p.path("start").asText() + " " + p.path("outcome").asText() + " "
                + p.path("count").asLong()));
        return points;
    }

    private static void assertRefused(Http.Response response, String field, String message) {
        assertThat(response.status()).as(response.toString()).isEqualTo(400);
        assertThat(response.contentType()).startsWith("application/problem+json");
        JsonNode error = response.json().path("errors").get(0);
        assertThat(error.path("field").asText()).isEqualTo(field);
        assertThat(error.path("message").asText()).isEqualTo(message);
    }

    @Test
    void getConsumerUsageWhenMinutesAskedThenCountsPerMinuteAndOutcome() {
        Http.Response response = admin.api("GET", "/buckets/" + BUCKET + "/consumers/alice/usage?granularity=minute"
                + "&from=" + HOUR + "&to=" + HOUR.plusSeconds(3600), null);

        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        assertThat(points(response.json())).containsExactly(HOUR + " valid 7",
                HOUR.plusSeconds(60) + " rate_limited 2", HOUR.plusSeconds(60) + " valid 3");
    }

    @Test
    void getConsumerUsageWhenNoParametersThenLast24HoursByHour() {
        Http.Response response = admin.api("GET", "/buckets/" + BUCKET + "/consumers/alice/usage", null);

        assertThat(points(response.json())).containsExactly(HOUR + " rate_limited 2", HOUR + " valid 10");
    }

    @Test
    void getBucketUsageWhenKeylessRefusalsThenIncluded() {
        Http.Response response = admin.api("GET", "/buckets/" + BUCKET + "/usage?granularity=day", null);

        assertThat(points(response.json())).containsExactly(
                HOUR.truncatedTo(ChronoUnit.DAYS) + " bad_checksum 4", HOUR.truncatedTo(ChronoUnit.DAYS) + " rate_limited 2",
                HOUR.truncatedTo(ChronoUnit.DAYS) + " valid 30");
    }

    @Test
    void getTopConsumersWhenAskedThenMostValidRequestsFirst() {
        Http.Response response = admin.api("GET", "/buckets/" + BUCKET + "/usage/top?limit=5", null);

        assertThat(response.json().toString()).isEqualTo(
                "{\"data\":[{\"consumer\":\"bob\",\"count\":20},{\"consumer\":\"alice\",\"count\":10}]}");
    }

    @Test
    void getUsageWhenParametersNonsenseThen400NamingThem() {
        String usage = "/buckets/" + BUCKET + "/usage";
        assertRefused(admin.api("GET", usage + "?granularity=week", null), "granularity",
                "granularity must be minute, hour or day");
        assertRefused(admin.api("GET", usage + "?from=yesterday", null), "from",
                "from must be an ISO-8601 UTC instant, e.g. 2026-01-31T00:00:00Z");
        assertRefused(admin.api("GET", usage + "?from=2030-01-02T00:00:00Z&to=2030-01-01T00:00:00Z", null), "from",
                "from must be before to");
        assertRefused(admin.api("GET", usage + "?granularity=minute&from=2030-01-01T00:00:00Z&to=2030-01-04T00:00:00Z",
                null), "from", "from must be at most 48 hours before to with granularity minute");
        assertRefused(admin.api("GET", usage + "/top?limit=0", null), "limit", "limit must be between 1 and 100");
        assertRefused(admin.api("GET", usage + "/top?limit=many", null), "limit", "limit must be an integer");
        assertRefused(admin.api("GET", usage + "?granularity=hour&granularity=day", null), "granularity",
                "granularity must be given at most once");
    }

    @Test
    void getConsumerUsageWhenConsumerUnknownThen404() {
        Http.Response response = admin.api("GET", "/buckets/" + BUCKET + "/consumers/nobody/usage", null);

        assertThat(response.status()).isEqualTo(404);
    }
}
