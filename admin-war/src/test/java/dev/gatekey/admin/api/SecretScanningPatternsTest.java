package dev.gatekey.admin.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatekey.format.ApiKeyFormat;
import dev.gatekey.format.ChecksumMode;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class SecretScanningPatternsTest {

    @Test
    void regexWhenOnePrefixThenTheArchitecturePatternPerMode() {
        assertThat(SecretScanningPatterns.regex("P", ChecksumMode.CRC32))
                .isEqualTo("\\bP_[0-9A-Za-z]{40}_[0-9A-Za-z]{6}\\b");
        assertThat(SecretScanningPatterns.regex("P", ChecksumMode.HMAC))
                .isEqualTo("\\bP_[0-9A-Za-z]{40}_[0-9A-Za-z]{11}\\b");
    }

    @Test
    void regexWhenSeveralPrefixesThenFindsKeysOfEachAndNothingElse() {
        String regex = SecretScanningPatterns.regex(List.of("demo_live", "acme"), ChecksumMode.CRC32);
        ApiKeyFormat format = ApiKeyFormat.crc32();

        assertThat(regex).isEqualTo("\\b(?:acme|demo_live)_[0-9A-Za-z]{40}_[0-9A-Za-z]{6}\\b");
        Pattern pattern = Pattern.compile(regex);
        assertThat(pattern.matcher("token=" + format.generate("acme") + " ok").find()).isTrue();
        assertThat(pattern.matcher("export KEY=" + format.generate("demo_live")).find()).isTrue();
        assertThat(pattern.matcher(format.generate("other")).find()).isFalse();
        assertThat(SecretScanningPatterns.regex(List.of(), ChecksumMode.CRC32)).isNull();
    }
}
