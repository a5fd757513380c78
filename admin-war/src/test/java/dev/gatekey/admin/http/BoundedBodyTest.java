package dev.gatekey.admin.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class BoundedBodyTest {

    private static final int LIMIT = 16;

    @Test
    void readWhenBodyIsExactlyTheLimitThenReturnsIt() throws Exception {
        byte[] body = "x".repeat(LIMIT).getBytes(StandardCharsets.UTF_8);

        assertThat(BoundedBody.read(Fakes.request(body, body.length), LIMIT)).isEqualTo(body);
    }

    @Test
    void readWhenBodyIsOneByteOverTheLimitWithoutContentLengthThen413() {
        byte[] body = new byte[LIMIT + 1];

        HttpProblem problem = catchThrowableOfType(() -> BoundedBody.read(Fakes.request(body, -1), LIMIT),
                HttpProblem.class);

        assertThat(problem.status()).isEqualTo(413);
        assertThat(problem.getMessage()).isEqualTo("the body must not exceed 16 bytes");
    }

    @Test
    void readWhenContentLengthIsOneByteOverTheLimitThen413BeforeReading() {
        HttpProblem problem = catchThrowableOfType(() -> BoundedBody.read(Fakes.request(new byte[0], LIMIT + 1),
                LIMIT), HttpProblem.class);

        assertThat(problem.status()).isEqualTo(413);
    }

    @Test
    void readWhenContentLengthUnderstatesTheBodyThen413() {
        HttpProblem problem = catchThrowableOfType(() -> BoundedBody.read(Fakes.request(new byte[LIMIT + 1], 1),
                LIMIT), HttpProblem.class);

        assertThat(problem.status()).isEqualTo(413);
    }

    @Test
    void writeToWhenBodyIsOverTheLimitThen413ProblemJson() throws Exception {
        HttpProblem tooLarge = catchThrowableOfType(() -> BoundedBody.read(Fakes.request(new byte[LIMIT + 1], -1),
                LIMIT), HttpProblem.class);
        Fakes.Recorded recorded = new Fakes.Recorded();

        Problem.of(tooLarge).writeTo(Fakes.response(recorded));

        assertThat(recorded.status).isEqualTo(413);
        assertThat(recorded.contentType).isEqualTo("application/problem+json");
        assertThat(recorded.headers).containsEntry("Cache-Control", "no-store");
        assertThat(recorded.body.toString(StandardCharsets.UTF_8)).isEqualTo("{\"type\":\"about:blank\","
                + "\"title\":\"Content Too Large\",\"status\":413,\"detail\":\"the body must not exceed 16 bytes\"}");
    }
}
