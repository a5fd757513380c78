package dev.gatekey.filter;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LegacyKeysTest {

    @ParameterizedTest
    @ValueSource(strings = {"a", "sk_live_abc", "0123456789abcdef0123456789abcdef", "key!#$%&'()*+,-./:;<=>?@[]^`{|}~"})
    void isCandidateWhenPrintableAsciiThenTrue(String credential) {
        assertThat(LegacyKeys.isCandidate(credential, 0, credential.length())).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "with space", "tab\there", "caf\u00e9", "new\nline", "del\u007f"})
    void isCandidateWhenEmptyBlankOrNotPrintableAsciiThenFalse(String credential) {
        assertThat(LegacyKeys.isCandidate(credential, 0, credential.length())).isFalse();
    }

    @ParameterizedTest
    @ValueSource(ints = {LegacyKeys.MAX_LENGTH + 1, 10_000})
    void isCandidateWhenLongerThanTheBoundThenFalse(int length) {
        assertThat(LegacyKeys.isCandidate("k".repeat(length), 0, length)).isFalse();
    }

    @ParameterizedTest
    @ValueSource(ints = {1, LegacyKeys.MAX_LENGTH})
    void isCandidateWhenWithinTheBoundThenTrueOnTheGivenRange(int length) {
        String text = "Bearer " + "k".repeat(length) + " ";
        assertThat(LegacyKeys.isCandidate(text, 7, 7 + length)).isTrue();
    }
}
