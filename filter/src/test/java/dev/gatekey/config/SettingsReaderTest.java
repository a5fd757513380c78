package dev.gatekey.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatekey.config.SettingsReader.Kind;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class SettingsReaderTest {

    private static final Set<String> NAMES = Set.of("size", "flag", "mode", "names", "url", "secret", "file",
            "token");

    private static SettingsReader init(String... pairs) {
        return read(Kind.INIT_PARAMS, pairs);
    }

    private static SettingsReader context(String... pairs) {
        return read(Kind.CONTEXT_PARAMS, pairs);
    }

    private static SettingsReader read(Kind kind, String... pairs) {
        Map<String, String> raw = new HashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            raw.put(pairs[i], pairs[i + 1]);
        }
        return SettingsReader.builder(kind).names(NAMES).refuseUnknown(name -> name.startsWith("gk"))
                .secrets(Set.of("secret")).urls(Set.of("url"))
                .read(raw, name -> "HOST".equals(name) ? "db.internal" : null);
    }

    @Test
    void readWhenPlaceholdersThenExpanded() {
        assertThat(init("url", "redis://${env:HOST}:6379").get("url")).isEqualTo("redis://db.internal:6379");
    }

    @Test
    void readWhenVariableUndefinedThenNamesVariableAndParam() {
        assertThatThrownBy(() -> init("secret", "${env:NOPE}")).isInstanceOf(SettingsException.class)
                .hasMessage("Undefined variable [${env:NOPE}] in parameter [secret]");
    }

    @Test
    void readWhenContextParamVariableUndefinedThenSaysContextParameter() {
        assertThatThrownBy(() -> context("secret", "${env:NOPE}"))
                .hasMessage("Undefined variable [${env:NOPE}] in context parameter [secret]");
    }

    @Test
    void readWhenUnknownInitParamThenNamedWithItsValue() {
        assertThatThrownBy(() -> init("gkSize", "5")).hasMessage("Unknown parameter [gkSize]: [5]");
    }

    @Test
    void readWhenUnknownContextParamThenNamedWithoutItsValue() {
        assertThatThrownBy(() -> context("gkSize", "5")).hasMessage("Unknown context parameter [gkSize]");
    }

    @Test
    void readWhenUnknownOutsideTheRefusedScopeThenIgnored() {
        SettingsReader s = init("other", "x");

        assertThat(s.has("other")).isFalse();
        assertThat(s.get("other")).isNull();
    }

    @Test
    void getWhenUnsetThenDefault() {
        assertThat(init().get("mode", "local")).isEqualTo("local");
    }

    @Test
    void requiredWhenBlankThenMissing() {
        assertThatThrownBy(() -> init("names", " ").required("names"))
                .hasMessage("Missing required parameter [names]");
    }

    @Test
    void matchingWhenValueMatchesThenTrimmed() {
        assertThat(init("token", " X-Key ").matching("token", null, Pattern.compile("[A-Za-z-]+")))
                .isEqualTo("X-Key");
    }

    @Test
    void matchingWhenValueDoesNotMatchThenIllegal() {
        assertThatThrownBy(() -> init("token", "a b").matching("token", null, Pattern.compile("[a-z]+")))
                .hasMessage("Illegal value for parameter [token]: [a b]");
    }

    @Test
    void listWhenItemsRepeatThenDistinctInOrder() {
        assertThat(init("names", "b-1, a-2,b-1").list("names", Pattern.compile("[a-z]-[0-9]")))
                .isEqualTo(List.of("b-1", "a-2"));
    }

    @Test
    void listWhenAnItemIsEmptyThenWholeValueIllegal() {
        assertThatThrownBy(() -> init("names", "a-1,,b-2").list("names", Pattern.compile("[a-z]-[0-9]")))
                .hasMessage("Illegal value for parameter [names]: [a-1,,b-2]");
    }

    @Test
    void boolWhenAnyCaseThenParsed() {
        assertThat(init("flag", " TRUE ").bool("flag", false)).isTrue();
    }

    @Test
    void boolWhenNotTrueOrFalseThenIllegal() {
        assertThatThrownBy(() -> init("flag", "yes").bool("flag", false))
                .hasMessage("Illegal value for parameter [flag]: [yes]");
    }

    @Test
    void choiceWhenOtherCaseThenIllegal() {
        assertThatThrownBy(() -> context("mode", "Redis").choice("mode", "local", "local", "redis"))
                .hasMessage("Illegal value for context parameter [mode]: [Redis]");
    }

    @Test
    void choiceWhenAllowedThenTrimmed() {
        assertThat(init("mode", " redis ").choice("mode", "local", "local", "redis")).isEqualTo("redis");
    }

    @Test
    void numberWhenInRangeThenParsed() {
        assertThat(init("size", " 42 ").number("size", 1, 1, 100)).isEqualTo(42);
    }

    @Test
    void numberWhenInitParamOutOfRangeThenIllegalWithoutRange() {
        assertThatThrownBy(() -> init("size", "0").number("size", 1, 1, 100))
                .hasMessage("Illegal value for parameter [size]: [0]");
    }

    @Test
    void numberWhenContextParamNotANumberThenIllegalStatingRange() {
        assertThatThrownBy(() -> context("size", "lots").integer("size", 1, 1, 100))
                .hasMessage("Illegal value for context parameter [size]: [lots] (expected 1..100)");
    }

    @Test
    void durationWhenSetThenInItsUnit() {
        assertThat(init("size", "250").duration("size", ChronoUnit.MILLIS, 1000, 10, 60_000))
                .isEqualTo(Duration.ofMillis(250));
    }

    @Test
    void durationWhenUnsetThenDefaultInItsUnit() {
        assertThat(init().duration("size", ChronoUnit.SECONDS, 60, 1, 86_400)).isEqualTo(Duration.ofMinutes(1));
    }

    @Test
    void parsedWhenParserReturnsNullThenIllegalStatingExpected() {
        assertThatThrownBy(() -> context("mode", "delete").parsed("mode", "notify", v -> null, "notify or revoke"))
                .hasMessage("Illegal value for context parameter [mode]: [delete] (expected notify or revoke)");
    }

    @Test
    void parsedWhenParserThrowsThenIllegalWithoutItsMessage() {
        assertThatThrownBy(() -> init("mode", "md5").parsed("mode", 0, v -> {
            throw new IllegalArgumentException("not crc32");
        })).hasMessage("Illegal value for parameter [mode]: [md5]");
    }

    @Test
    void explainedWhenParserThrowsThenReasonFollowsTheValue() {
        assertThatThrownBy(() -> init("mode", "100").explained("mode", 0, v -> {
            throw new IllegalArgumentException("must look like 100/1s");
        })).hasMessage("Illegal value for parameter [mode]: [100]: must look like 100/1s");
    }

    @Test
    void hidingValueWhenParserThrowsThenReasonReplacesTheValue() {
        IllegalArgumentException reason = new IllegalArgumentException("key k1 is too short");

        assertThatThrownBy(() -> context("secret", "k1:c2hvcnQ=").hidingValue("secret", null, v -> {
            throw reason;
        })).hasMessage("Illegal value for context parameter [secret]: key k1 is too short").hasCause(reason);
    }

    @Test
    void urlWhenSchemeAcceptedThenUri() {
        assertThat(init("url", " rediss://h:6379 ").url("url", Set.of("redis", "rediss")::contains))
                .isEqualTo(URI.create("rediss://h:6379"));
    }

    @Test
    void urlWhenNoHostThenIllegalWithPasswordRedacted() {
        assertThatThrownBy(() -> init("url", "redis://:hunter2@").url("url", Set.of("redis")::contains))
                .hasMessage("Illegal value for parameter [url]: [redis://:***@]");
    }

    @Test
    void urlWhenRequirementGivenThenRefusalStatesItInsteadOfTheValue() {
        assertThatThrownBy(() -> context("url", "ftp://u:pw@h/x").url("url", "https"::equalsIgnoreCase,
                "it must be an absolute https URL"))
                .hasMessage("Illegal value for context parameter [url]: it must be an absolute https URL");
    }

    @Test
    void urlWhenUnsetThenNull() {
        assertThat(init().url("url", "https"::equals)).isNull();
    }

    @Test
    void pathWhenSetThenAbsolute() {
        assertThat(init("file", "keys/admin-key").path("file")).isEqualTo(Path.of("keys/admin-key").toAbsolutePath());
    }

    @Test
    void pathWhenBlankThenIllegal() {
        assertThatThrownBy(() -> context("file", " ").path("file"))
                .hasMessage("Illegal value for context parameter [file]: [ ]");
    }

    @Test
    void illegalWhenSecretThenValueHidden() {
        assertThat(init("secret", "hunter2").illegal("secret"))
                .hasMessage("Illegal value for parameter [secret]: [(hidden)]");
    }

    @Test
    void notBothWhenContextParamsThenPluralNoun() {
        assertThat(context().notBoth("file", "url"))
                .hasMessage("Context parameters [file] and [url] cannot both be set");
    }

    @Test
    void needsWhenInitParamsThenNamesBoth() {
        assertThat(init().needs("secret", "url")).hasMessage("Parameter [secret] needs [url]");
    }

    @Test
    void isButNotSetWhenCalledThenNamesBothAndTheValue() {
        assertThat(init().isButNotSet("mode", "hmac", "secret"))
                .hasMessage("Parameter [mode] is [hmac] but [secret] is not set");
    }

    @Test
    void setButNotWhenCalledThenNamesBothAndTheValue() {
        assertThat(context().setButNot("secret", "mode", "hmac"))
                .hasMessage("Context parameter [secret] is set but [mode] is not [hmac]");
    }

    @Test
    void problemWhenCalledThenNamesTheParamAndKeepsTheCause() {
        IllegalStateException cause = new IllegalStateException("gone");

        assertThat(context().problem("file", "cannot read [x]: gone", cause))
                .hasMessage("Context parameter [file]: cannot read [x]: gone").hasCause(cause);
    }
}
