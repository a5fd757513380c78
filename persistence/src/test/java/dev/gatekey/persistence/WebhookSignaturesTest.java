package dev.gatekey.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Base64;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Standard Webhooks signatures against the specification's test vector, and the retry schedule. */
class WebhookSignaturesTest {

    // the Standard Webhooks test vector (also in the Svix reference libraries' tests)
    private static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private static final String ID = "msg_p5jXN8AQM9LWM0D4loKWxJek";
    private static final long TIMESTAMP = 1614265330L;
    private static final String BODY = "{\"test\": 2432232314}";
    private static final String SIGNATURE = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";

    @Test
    void signWhenSpecificationTestVectorThenPublishedSignature() {
        assertThat(WebhookSignatures.sign(SECRET, ID, TIMESTAMP, BODY)).isEqualTo(SIGNATURE);
    }

    @Test
    void verifyWhenTestVectorAmongSeveralSignaturesThenAccepted() {
        assertThat(WebhookSignatures.verify(SECRET, ID, TIMESTAMP, BODY, "v1,bm9wZQ== " + SIGNATURE)).isTrue();
        assertThat(WebhookSignatures.verify(SECRET, ID, TIMESTAMP + 1, BODY, SIGNATURE)).isFalse();
        assertThat(WebhookSignatures.verify(SECRET, ID, TIMESTAMP, BODY + " ", SIGNATURE)).isFalse();
        assertThat(WebhookSignatures.verify(SECRET, ID, TIMESTAMP, BODY, null)).isFalse();
    }

    @Test
    void independentVerifierWhenSpecificationTestVectorThenAccepted() throws Exception {
        assertThat(StandardWebhooksVerifier.verify(SECRET, ID, Long.toString(TIMESTAMP), BODY, SIGNATURE)).isTrue();
        assertThat(StandardWebhooksVerifier.verify(SECRET, ID, "1614265331", BODY, SIGNATURE)).isFalse();
    }

    @Test
    void newSecretWhenCreatedThenWhsecAndThirtyTwoRandomBytes() {
        String secret = WebhookSignatures.newSecret();
        assertThat(secret).startsWith("whsec_");
        assertThat(Base64.getDecoder().decode(secret.substring(6))).hasSize(32);
        assertThat(WebhookSignatures.newSecret()).isNotEqualTo(secret);
    }

    @Test
    void signWhenSecretWithoutPrefixThenRefused() {
        assertThatThrownBy(() -> WebhookSignatures.sign("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", ID, TIMESTAMP, BODY))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("a webhook secret starts with whsec_");
    }

    @Test
    void baseDelayWhenAttemptsFailThenExponentialAndCapped() {
        assertThat(WebhookRetries.baseDelay(1)).isEqualTo(Duration.ofSeconds(15));
        assertThat(WebhookRetries.baseDelay(2)).isEqualTo(Duration.ofSeconds(75));
        assertThat(WebhookRetries.baseDelay(3)).isEqualTo(Duration.ofSeconds(375));
        assertThat(WebhookRetries.baseDelay(6)).isEqualTo(Duration.ofSeconds(46875));
        assertThat(WebhookRetries.baseDelay(7)).isEqualTo(Duration.ofHours(14));
        assertThat(WebhookRetries.baseDelay(30)).isEqualTo(Duration.ofHours(14));
    }

    @Test
    void delayWhenJitteredThenWithinTenPercentAndEightAttemptsSpanOverADay() {
        SplittableRandom random = new SplittableRandom(7);
        Duration shortest = Duration.ZERO;
        for (int failed = 1; failed < WebhookRetries.MAX_ATTEMPTS; failed++) {
            Duration base = WebhookRetries.baseDelay(failed);
            for (int i = 0; i < 1000; i++) {
                Duration d = WebhookRetries.delay(failed, random);
                assertThat(d).isBetween(base.multipliedBy(9).dividedBy(10), base.multipliedBy(11).dividedBy(10));
            }
            shortest = shortest.plus(base.multipliedBy(9).dividedBy(10));
        }
        assertThat(WebhookRetries.MAX_ATTEMPTS).isGreaterThanOrEqualTo(8);
        assertThat(shortest).isGreaterThan(Duration.ofHours(24));
    }
}
