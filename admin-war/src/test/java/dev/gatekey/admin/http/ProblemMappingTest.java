package dev.gatekey.admin.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatekey.persistence.ConflictException;
import dev.gatekey.persistence.DatabaseUnavailableException;
import dev.gatekey.persistence.InvalidInputException;
import dev.gatekey.persistence.NotFoundException;
import dev.gatekey.persistence.PayloadTooLargeException;
import dev.gatekey.store.KeyStoreException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ProblemMappingTest {

    @Test
    void problemOfWhenDatabaseUnavailableThen503WithRetryAfterAndNoSql() {
        var problem = Problem.of(new DatabaseUnavailableException("the database is unavailable",
                new IllegalStateException(
                        "Connection is not available: could not execute statement [select * from gk_bucket]")));

        assertThat(problem.status()).isEqualTo(503);
        assertThat(problem.headers()).containsEntry("Retry-After", "5");
        assertThat(problem.body().toString()).doesNotContain("select", "gk_bucket", "Connection");
    }

    @Test
    void problemOfWhenKeyStoreExceptionThen503() {
        assertThat(Problem.of(new KeyStoreException("database unavailable")).status()).isEqualTo(503);
    }

    @Test
    void problemOfWhenDatabaseFailureIsACauseThen503() {
        assertThat(Problem.of(new IllegalStateException(
                new DatabaseUnavailableException("the database is unavailable", null))).status()).isEqualTo(503);
    }

    @Test
    void problemOfWhenTypedErrorThenItsStatus() {
        assertThat(Problem.of(new InvalidInputException("name", "bad")).status()).isEqualTo(400);
        assertThat(Problem.of(new InvalidInputException("name", "bad")).body())
                .containsKey("errors");
        assertThat(Problem.of(new NotFoundException("bucket", "b")).status()).isEqualTo(404);
        assertThat(Problem.of(new ConflictException("dup")).status()).isEqualTo(409);
        assertThat(Problem.of(new PayloadTooLargeException("big")).status()).isEqualTo(413);
    }

    @Test
    void problemOfWhenUnexpectedExceptionThen500WithoutItsMessage() {
        var problem = Problem.of(new NullPointerException("internal detail"));

        assertThat(problem.status()).isEqualTo(500);
        assertThat(problem.body().toString()).doesNotContain("internal detail");
    }

    @Test
    void isJsonWhenJsonContentTypeWithUtf8ThenAcceptedOthersNot() {
        assertThat(Json.isJson("application/json")).isTrue();
        assertThat(Json.isJson("Application/JSON; charset=UTF-8")).isTrue();
        assertThat(Json.isJson("application/json;charset=\"utf-8\"")).isTrue();
        assertThat(Json.isJson("application/json; charset=ISO-8859-1")).isFalse();
        assertThat(Json.isJson("text/plain")).isFalse();
        assertThat(Json.isJson("application/x-www-form-urlencoded")).isFalse();
    }

    @Test
    void writeToWhenDatabaseUnavailableThen503ProblemJsonWithRetryAfter() throws Exception {
        Fakes.Recorded recorded = new Fakes.Recorded();

        Problem.of(new DatabaseUnavailableException("the database is unavailable", null))
                .writeTo(Fakes.response(recorded));

        assertThat(recorded.status).isEqualTo(503);
        assertThat(recorded.headers).containsEntry("Retry-After", "5").containsEntry("Cache-Control", "no-store");
        assertThat(recorded.contentType).isEqualTo("application/problem+json");
        assertThat(recorded.characterEncoding).isEqualTo("UTF-8");
        assertThat(recorded.body.toString(StandardCharsets.UTF_8)).isEqualTo(
                "{\"type\":\"about:blank\",\"title\":\"Service Unavailable\",\"status\":503,"
                + "\"detail\":\"the database is unavailable, try again later\"}");
    }
}
