package dev.gatekey.quickstart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OptionsTest {

    @Test
    void parseWhenNoArgumentsThenDefaults() throws Exception {
        Options options = Options.parse();

        assertThat(options.port()).isEqualTo(8080);
        assertThat(options.dataDir()).isEqualTo(Path.of("./gatekey-data"));
        assertThat(options.help()).isFalse();
    }

    @Test
    void parseWhenFlagsWithSeparateOrInlineValuesThenBoth() throws Exception {
        assertThat(Options.parse("--port", "9090", "--data", "/tmp/x"))
                .isEqualTo(new Options(9090, Path.of("/tmp/x"), Map.of(), false));
        assertThat(Options.parse("--port=0", "--data=d")).isEqualTo(new Options(0, Path.of("d"), Map.of(), false));
    }

    @Test
    void parseWhenQuietAdminKeyThenSetAndOtherwiseNot() throws Exception {
        assertThat(Options.parse("--quiet-admin-key", "--port", "1").quietAdminKey()).isTrue();
        assertThat(Options.parse("--port", "1").quietAdminKey()).isFalse();
    }

    @Test
    void parseWhenHelpThenHelp() throws Exception {
        assertThat(Options.parse("--port", "1", "--help").help()).isTrue();
    }

    @Test
    void parseWhenUnknownFlagThenUsageError() {
        assertThatThrownBy(() -> Options.parse("--verbose"))
                .isInstanceOf(Options.UsageException.class).hasMessage("unknown option [--verbose]");
    }

    @Test
    void parseWhenValueMissingThenUsageError() {
        assertThatThrownBy(() -> Options.parse("--port"))
                .isInstanceOf(Options.UsageException.class).hasMessage("option --port needs a value");
    }

    @Test
    void parseWhenPortNotANumberOrOutOfRangeThenUsageError() {
        assertThatThrownBy(() -> Options.parse("--port", "http"))
                .hasMessage("illegal port [http]: expected a number from 0 to 65535");
        assertThatThrownBy(() -> Options.parse("--port", "65536"))
                .hasMessage("illegal port [65536]: expected a number from 0 to 65535");
    }

    @Test
    void parseWhenFlagGivenTwiceThenUsageError() {
        assertThatThrownBy(() -> Options.parse("--data", "a", "--data", "b"))
                .hasMessage("option --data given twice");
    }

    @Test
    void parseWhenDataEmptyThenUsageError() {
        assertThatThrownBy(() -> Options.parse("--data="))
                .hasMessage("option --data needs a directory");
    }

    @Test
    void parseWhenSetRepeatedThenEverySettingInCommandLineOrder() throws Exception {
        Options options = Options.parse("--set", "filter.rateLimitPerKey=10/1s", "--set=gatekey.leakAction=revoke",
                "--set", "filter.realm=a=b");

        assertThat(options.settings()).containsExactly(Map.entry("filter.rateLimitPerKey", "10/1s"),
                Map.entry("gatekey.leakAction", "revoke"), Map.entry("filter.realm", "a=b"));
        assertThat(List.copyOf(options.settings().keySet()))
                .containsExactly("filter.rateLimitPerKey", "gatekey.leakAction", "filter.realm");
    }

    @Test
    void parseWhenSetUnknownAdminNameThenRefusedInTheAdminWarsWords() {
        assertThatThrownBy(() -> Options.parse("--set", "gatekey.leakActoin=revoke"))
                .isInstanceOf(Options.UsageException.class)
                .hasMessage("Unknown context parameter [gatekey.leakActoin]");
    }

    @Test
    void parseWhenSetUnknownFilterNameThenRefusedInTheFiltersWordsWithoutTheValue() {
        assertThatThrownBy(() -> Options.parse("--set", "filter.checksumSecrt=s3cret"))
                .isInstanceOf(Options.UsageException.class)
                .hasMessage("Unknown parameter [checksumSecrt] (--set filter.checksumSecrt)");
    }

    @Test
    void parseWhenSetNameOfNeitherThenUsageErrorNamingThePrefixes() {
        assertThatThrownBy(() -> Options.parse("--set", "rateLimitPerKey=5/1s"))
                .hasMessage("unknown setting [rateLimitPerKey]: names start with gatekey. (admin WAR) or filter."
                        + " (demo API's filter)");
    }

    @Test
    void parseWhenSetWithoutNameValueThenUsageError() {
        assertThatThrownBy(() -> Options.parse("--set", "filter.rateLimitPerKey"))
                .hasMessage("option --set needs NAME=VALUE, not [filter.rateLimitPerKey]");
        assertThatThrownBy(() -> Options.parse("--set", "filter.rateLimitPerKey="))
                .hasMessage("setting [filter.rateLimitPerKey] needs a value");
    }

    @Test
    void parseWhenSetNameGivenTwiceThenUsageError() {
        assertThatThrownBy(() -> Options.parse("--set", "filter.realm=a", "--set", "filter.realm=b"))
                .hasMessage("setting [filter.realm] given twice");
    }
}
