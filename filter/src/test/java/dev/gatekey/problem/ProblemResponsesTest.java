package dev.gatekey.problem;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ProblemResponsesTest {

    @Test
    void bodyWhenRefusedThenProblemJsonFields() {
        assertThat(ProblemResponses.body(Outcome.UNKNOWN)).isEqualTo(
                "{\"type\":\"about:blank\",\"title\":\"Unauthorized\",\"status\":401,"
                        + "\"detail\":\"The API key is not valid.\"}");
    }

    @Test
    void detailWhenUnknownWrongBucketDisabledMalformedOrBadChecksumThenIndistinguishable() {
        assertThat(Outcome.WRONG_BUCKET.detail()).isEqualTo(Outcome.UNKNOWN.detail())
                .isEqualTo(Outcome.DISABLED.detail()).isEqualTo(Outcome.MALFORMED.detail())
                .isEqualTo(Outcome.BAD_CHECKSUM.detail());
        assertThat(Outcome.EXPIRED.detail()).contains("expired");
        assertThat(Outcome.REVOKED.detail()).contains("revoked");
    }

    @Test
    void isFailedAttemptWhenMissingOrStoreErrorThenFalse() {
        assertThat(Outcome.MISSING.isFailedAttempt()).isFalse();
        assertThat(Outcome.STORE_ERROR.isFailedAttempt()).isFalse();
        assertThat(Outcome.UNKNOWN.isFailedAttempt()).isTrue();
    }
}
