package dev.gatekey.format;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ApiKeyFormatTest {

    private static final ApiKeyFormat CRC32 = ApiKeyFormat.crc32();
    private static final ApiKeyFormat HMAC = ApiKeyFormat.hmac("test-secret");
    private static final String VALID_CRC32_KEY = "demo_live_0123456789ABCDEFGHIJKLMNOPQRSTabcdefghij_2FioA8";

    @ParameterizedTest
    @CsvSource({
        "demo_live_0123456789ABCDEFGHIJKLMNOPQRSTabcdefghij, 2FioA8, 3gjaWJRVfEa",
        "acme_zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz, 2TWmM8, 0dr6MP56kMB",
        "gkadm_0000000000000000000000000000000000000000, 3o65Rv, 5RJMRwKvQUA",
    })
    void checksumWhenArchitectureTestVectorThenMatches(String prefixAndBody, String crc32, String hmac) {
        assertThat(CRC32.checksum(prefixAndBody)).isEqualTo(crc32);
        assertThat(HMAC.checksum(prefixAndBody)).isEqualTo(hmac);
        assertThat(CRC32.isValid(prefixAndBody + "_" + crc32)).isTrue();
        assertThat(HMAC.isValid(prefixAndBody + "_" + hmac)).isTrue();
    }

    @Test
    void isValidWhenChecksumOfTheOtherModeThenFalse() {
        assertThat(HMAC.isValid(VALID_CRC32_KEY)).isFalse();
        assertThat(CRC32.isValid("demo_live_0123456789ABCDEFGHIJKLMNOPQRSTabcdefghij_3gjaWJRVfEa")).isFalse();
    }

    @Test
    void isValidWhenHmacOfAnotherSecretThenFalse() {
        assertThat(ApiKeyFormat.hmac("other-secret")
                .isValid("demo_live_0123456789ABCDEFGHIJKLMNOPQRSTabcdefghij_3gjaWJRVfEa")).isFalse();
    }

    @Test
    void parseWhenValidKeyThenSplitsAtTheLastTwoUnderscores() {
        ParsedKey parsed = CRC32.parse(VALID_CRC32_KEY).orElseThrow();
        assertThat(parsed.prefix()).isEqualTo("demo_live");
        assertThat(parsed.body()).isEqualTo("0123456789ABCDEFGHIJKLMNOPQRSTabcdefghij");
        assertThat(parsed.checksum()).isEqualTo("2FioA8");
        assertThat(parsed.toString()).doesNotContain(parsed.body());
    }

    @Test
    void isValidWhenAnyCharacterChangedThenFalse() {
        for (ApiKeyFormat format : new ApiKeyFormat[] {CRC32, HMAC}) {
            String key = format.generate("demo_live");
            for (int i = 0; i < key.length(); i++) {
                if (key.charAt(i) == '_') {
                    continue;
                }
                for (char replacement : new char[] {'0', 'a', 'Z', 'q'}) {
                    if (key.charAt(i) == replacement || (i < 9 && !Character.isLowerCase(replacement)
                            && !Character.isDigit(replacement))) {
                        continue;
                    }
                    String tampered = key.substring(0, i) + replacement + key.substring(i + 1);
                    assertThat(format.isValid(tampered)).as("%s with position %d changed", format, i).isFalse();
                }
            }
        }
    }

    @Test
    void isValidWhenTwoAdjacentBodyCharactersSwappedThenFalse() {
        String key = CRC32.generate("acme");
        int bodyStart = "acme_".length();
        for (int i = bodyStart; i < bodyStart + ApiKeyFormat.BODY_LENGTH - 1; i++) {
            if (key.charAt(i) == key.charAt(i + 1)) {
                continue;
            }
            String swapped = key.substring(0, i) + key.charAt(i + 1) + key.charAt(i) + key.substring(i + 2);
            assertThat(CRC32.isValid(swapped)).isFalse();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "",
        "_",
        "demo_live",
        // body one character short and one too long
        "demo_live_0123456789ABCDEFGHIJKLMNOPQRSTabcdefghi_2FioA8",
        "demo_live_0123456789ABCDEFGHIJKLMNOPQRSTabcdefghijk_2FioA8",
        // checksum too short / too long for crc32
        "demo_live_0123456789ABCDEFGHIJKLMNOPQRSTabcdefghij_2FioA",
        "demo_live_0123456789ABCDEFGHIJKLMNOPQRSTabcdefghij_2FioA8x",
        // characters outside base62
        "demo_live_0123456789ABCDEFGHIJKLMNOPQRST-bcdefghij_2FioA8",
        "demo_live_0123456789ABCDEFGHIJKLMNOPQRSTabcdéfghij_2FioA8",
        "demo_live_0123456789ABCDEFGHIJKLMNOPQRSTabcdefghij_2Fi A8",
        // prefixes outside ^[a-z][a-z0-9]{0,19}(_[a-z0-9]{1,20})?$
        "Demo_0123456789ABCDEFGHIJKLMNOPQRSTabcdefghij_2FioA8",
        "1demo_0123456789ABCDEFGHIJKLMNOPQRSTabcdefghij_2FioA8",
        "de_mo_live_0123456789ABCDEFGHIJKLMNOPQRSTabcdefghij_2FioA8",
        "demo__0123456789ABCDEFGHIJKLMNOPQRSTabcdefghij_2FioA8",
        "abcdefghijklmnopqrstu_0123456789ABCDEFGHIJKLMNOPQRSTabcdefghij_2FioA8",
        "demo_abcdefghijklmnopqrstu_0123456789ABCDEFGHIJKLMNOPQRSTabcdefghij_2FioA8",
        "_0123456789ABCDEFGHIJKLMNOPQRSTabcdefghij_2FioA8",
    })
    void parseWhenKeyMalformedThenEmptyAndInvalid(String key) {
        assertThat(CRC32.parse(key)).isEmpty();
        assertThat(CRC32.isValid(key)).isFalse();
    }

    @Test
    void parseWhenNullThenEmpty() {
        assertThat(CRC32.parse(null)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"a", "acme", "acme_live", "a1_b2", "abcdefghijklmnopqrst_abcdefghijklmnopqrst"})
    void generateWhenAnyPrefixShapeThenKeyParsesAndValidates(String prefix) {
        for (ApiKeyFormat format : new ApiKeyFormat[] {CRC32, HMAC}) {
            String key = format.generate(prefix);
            assertThat(key).hasSize(format.keyLength(prefix)).matches("[A-Za-z0-9_]+");
            ParsedKey parsed = format.parse(key).orElseThrow();
            assertThat(parsed.prefix()).isEqualTo(prefix);
            assertThat(format.hasValidChecksum(parsed)).isTrue();
        }
    }

    @Test
    void generateWhenCalledThenKeyMatchesTheSecretScanningPattern() {
        String key = CRC32.generate("demo_live");
        assertThat(key).containsPattern("\\bdemo_live_[0-9A-Za-z]{40}_[0-9A-Za-z]{6}\\b");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "Acme", "1acme", "acme_", "a_b_c", "acme-live", "abcdefghijklmnopqrstu"})
    void generateWhenPrefixInvalidThenRejected(String prefix) {
        assertThatThrownBy(() -> CRC32.generate(prefix))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("key prefix must match ^[a-z][a-z0-9]{0,19}(_[a-z0-9]{1,20})?$");
    }

    @Test
    void generateWhenCalledManyTimesThenKeysAreDistinct() {
        Set<String> keys = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            keys.add(CRC32.generate("acme"));
        }
        assertThat(keys).hasSize(10_000);
    }

    /**
     * Chi-square test of 400,000 body characters against the uniform distribution over 62 symbols.
     * With 61 degrees of freedom the 99.99th percentile is about 114.7: a modulo-biased generator
     * (bytes 0..255 taken mod 62 favour the first 8 symbols by 25%) scores in the thousands.
     */
    @Test
    void generateWhenCalledManyTimesThenBodyCharactersAreUniform() {
        long[] counts = new long[62];
        int keys = 10_000;
        for (int i = 0; i < keys; i++) {
            String body = CRC32.parse(CRC32.generate("acme")).orElseThrow().body();
            for (int j = 0; j < body.length(); j++) {
                counts[Base62.ALPHABET.indexOf(body.charAt(j))]++;
            }
        }
        double expected = keys * (double) ApiKeyFormat.BODY_LENGTH / 62;
        double chiSquare = 0;
        for (long count : counts) {
            chiSquare += (count - expected) * (count - expected) / expected;
        }
        assertThat(chiSquare).isLessThan(114.7);
    }

    @Test
    void hmacWhenSecretEmptyThenRejected() {
        assertThatThrownBy(() -> ApiKeyFormat.hmac("")).hasMessage("checksum secret must not be empty");
    }

    @Test
    void ofWhenHmacWithoutSecretThenRejected() {
        assertThatThrownBy(() -> ApiKeyFormat.of(ChecksumMode.HMAC, null)).hasMessage("hmac checksums need a secret");
    }

    @Test
    void parseChecksumModeWhenCrc32OrHmacInAnyCaseThenParsed() {
        assertThat(ChecksumMode.parse("crc32")).isEqualTo(ChecksumMode.CRC32);
        assertThat(ChecksumMode.parse(" HMAC ")).isEqualTo(ChecksumMode.HMAC);
    }

    @Test
    void parseChecksumModeWhenUnknownThenRejected() {
        assertThatThrownBy(() -> ChecksumMode.parse("md5")).hasMessage("checksum must be crc32 or hmac");
    }

    @Test
    void maskWhenKeyThenShowsPrefixFirstFourBodyCharactersAndLastFour() {
        assertThat(ApiKeyFormat.mask(VALID_CRC32_KEY)).isEqualTo("demo_live_0123…ioA8");
        assertThat(ApiKeyFormat.mask("demo_live_0123456789ABCDEFGHIJKLMNOPQRSTabcdefghij_3gjaWJRVfEa"))
                .isEqualTo("demo_live_0123…VfEa");
    }

    @Test
    void maskWhenNotAKeyThenRejected() {
        assertThatThrownBy(() -> ApiKeyFormat.mask("short_key")).hasMessage("not a key");
    }

    @Test
    void screenWhenValidKeyThenIndexOfTheUnderscoreEndingThePrefix() {
        String key = ApiKeyFormat.crc32().generate("demo_live");
        assertThat(ApiKeyFormat.crc32().screen(key, 0, key.length())).isEqualTo("demo_live".length());
        String header = "Bearer " + key + "  ";
        assertThat(ApiKeyFormat.crc32().screen(header, 7, 7 + key.length())).isEqualTo(7 + "demo_live".length());
    }

    @Test
    void screenWhenWrongChecksumThenComplementOfThePrefixEnd() {
        String key = ApiKeyFormat.crc32().generate("demo_live");
        String wrong = key.substring(0, key.length() - 1) + (key.endsWith("A") ? "B" : "A");
        assertThat(ApiKeyFormat.crc32().screen(wrong, 0, wrong.length())).isEqualTo(~"demo_live".length());
        assertThat(ApiKeyFormat.crc32().hasValidChecksum(wrong, 0, wrong.length())).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "demo_live", "demo_live_0123456789ABCDEFGHIJKLMNOPQRSTabcdefghij_2jB6m",
        "demo_live_0123456789ABCDEFGHIJKLMNOPQRSTabcdefghi!_2jB6mF",
        "demo_live_0123456789ABCDEFGHIJKLMNOPQRSTabcdefghij_2jB6m!",
        "Demo_live_0123456789ABCDEFGHIJKLMNOPQRSTabcdefghij_2jB6mF",
        "demo-live_0123456789ABCDEFGHIJKLMNOPQRSTabcdefghij_2jB6mF"})
    void screenWhenMalformedThenMalformed(String text) {
        assertThat(ApiKeyFormat.crc32().screen(text, 0, text.length())).isEqualTo(ApiKeyFormat.MALFORMED);
    }

    /** A character whose low byte is a base62 digit ('ŧ' is U+0167, 'g' is 0x67) is not that digit. */
    @Test
    void screenWhenBodyOrChecksumCharacterBeyondAsciiWithADigitAsLowByteThenMalformed() {
        ApiKeyFormat format = ApiKeyFormat.crc32();
        String key = format.generate("demo_live");
        for (int i = "demo_live_".length(); i < key.length(); i++) {
            if (key.charAt(i) == '_') {
                continue;
            }
            String lookAlike = key.substring(0, i) + (char) (0x100 | key.charAt(i)) + key.substring(i + 1);
            assertThat(format.screen(lookAlike, 0, lookAlike.length())).as("position %d", i)
                    .isEqualTo(ApiKeyFormat.MALFORMED);
        }
    }

    /**
     * An hmac checksum is a 64-bit number in 11 base62 digits, which can spell numbers up to about 2^65.9: the text of
     * the right number plus 2^64 (same low 64 bits) must not pass for it.
     */
    @Test
    void screenWhenHmacChecksumSpellsTheRightNumberPlusTwoToThe64ThenWrong() {
        ApiKeyFormat format = ApiKeyFormat.hmac("s3cret");
        String key = format.generate("demo_live");
        String checksum = key.substring(key.length() - 11);
        BigInteger value = BigInteger.ZERO;
        for (char c : checksum.toCharArray()) {
            value = value.multiply(BigInteger.valueOf(62)).add(BigInteger.valueOf(
                    Base62.ALPHABET.indexOf(c)));
        }
        BigInteger wrapped = value.add(BigInteger.ONE.shiftLeft(64));
        char[] digits = new char[11];
        for (int i = 10; i >= 0; i--) {
            BigInteger[] qr = wrapped.divideAndRemainder(BigInteger.valueOf(62));
            digits[i] = Base62.ALPHABET.charAt(qr[1].intValue());
            wrapped = qr[0];
        }
        assertThat(wrapped.signum()).as("fits in 11 digits").isZero();
        String forged = key.substring(0, key.length() - 11) + new String(digits);
        assertThat(format.screen(key, 0, key.length())).isEqualTo("demo_live".length());
        assertThat(format.screen(forged, 0, forged.length())).isEqualTo(~"demo_live".length());
    }
}
