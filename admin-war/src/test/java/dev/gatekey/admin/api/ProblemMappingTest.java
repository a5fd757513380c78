package dev.gatekey.admin.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatekey.persistence.ConflictException;
import dev.gatekey.persistence.DatabaseUnavailableException;
import dev.gatekey.persistence.InvalidInputException;
import dev.gatekey.persistence.NotFoundException;
import dev.gatekey.persistence.PayloadTooLargeException;
import dev.gatekey.store.KeyStoreException;
import java.sql.SQLTransientConnectionException;
import org.junit.jupiter.api.Test;

class ProblemMappingTest {

    @Test
    void problemOfWhenDatabaseUnavailableThen503WithRetryAfterAndNoSql() {
        var problem = ApiServlet.problemOf(new DatabaseUnavailableException("the database is unavailable",
                new SQLTransientConnectionException("could not execute statement [select * from gk_bucket]")));

        assertThat(problem.status()).isEqualTo(503);
        assertThat(problem.headers()).containsEntry("Retry-After", "5");
        assertThat(problem.body().toString()).doesNotContain("select", "gk_bucket", "Connection");
    }

    @Test
    void problemOfWhenKeyStoreExceptionThen503() {
        assertThat(ApiServlet.problemOf(new KeyStoreException("database unavailable")).status()).isEqualTo(503);
    }

    @Test
    void problemOfWhenDatabaseFailureIsACauseThen503() {
        assertThat(ApiServlet.problemOf(new IllegalStateException(
                new DatabaseUnavailableException("the database is unavailable", null))).status()).isEqualTo(503);
    }

    @Test
    void problemOfWhenTypedErrorThenItsStatus() {
        assertThat(ApiServlet.problemOf(new InvalidInputException("name", "bad")).status()).isEqualTo(400);
        assertThat(ApiServlet.problemOf(new InvalidInputException("name", "bad")).body())
                .containsKey("errors");
        assertThat(ApiServlet.problemOf(new NotFoundException("bucket", "b")).status()).isEqualTo(404);
        assertThat(ApiServlet.problemOf(new ConflictException("dup")).status()).isEqualTo(409);
        assertThat(ApiServlet.problemOf(new PayloadTooLargeException("big")).status()).isEqualTo(413);
    }

    @Test
    void problemOfWhenUnexpectedExceptionThen500WithoutItsMessage() {
        var problem = ApiServlet.problemOf(new NullPointerException("internal detail"));

        assertThat(problem.status()).isEqualTo(500);
        assertThat(problem.body().toString()).doesNotContain("internal detail");
    }

    @Test
    void isJsonWhenJsonContentTypeWithUtf8ThenAcceptedOthersNot() {
        assertThat(ApiServlet.isJson("application/json")).isTrue();
        assertThat(ApiServlet.isJson("Application/JSON; charset=UTF-8")).isTrue();
        assertThat(ApiServlet.isJson("application/json;charset=\"utf-8\"")).isTrue();
        assertThat(ApiServlet.isJson("application/json; charset=ISO-8859-1")).isFalse();
        assertThat(ApiServlet.isJson("text/plain")).isFalse();
        assertThat(ApiServlet.isJson("application/x-www-form-urlencoded")).isFalse();
    }
}
