package dev.gatekey.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class PlaceholdersTest {

    private static final Map<String, String> ENV = Map.of("DB_HOST", "db.internal", "DOLLAR", "a$b\\c");

    @Test
    void expandWhenEnvAndSysPlaceholdersThenReplacedKeepingTheText() {
        System.setProperty("gatekey.test.port", "5432");
        try {
            assertThat(Placeholders.expand("jdbc:postgresql://${env:DB_HOST}:${sys:gatekey.test.port}/gk", ENV::get))
                    .isEqualTo("jdbc:postgresql://db.internal:5432/gk");
        } finally {
            System.clearProperty("gatekey.test.port");
        }
    }

    @Test
    void expandWhenValueHasReplacementCharactersThenKeptLiterally() {
        assertThat(Placeholders.expand("${env:DOLLAR}", ENV::get)).isEqualTo("a$b\\c");
    }

    @Test
    void expandWhenPlainValueOrNullThenLeftAlone() {
        assertThat(Placeholders.expand("plain $ {value}", ENV::get)).isEqualTo("plain $ {value}");
        assertThat(Placeholders.expand(null, ENV::get)).isNull();
    }

    @Test
    void expandWhenVariableUnsetThenNamesIt() {
        assertThatThrownBy(() -> Placeholders.expand("${env:MISSING}", ENV::get))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Undefined variable [${env:MISSING}]");
    }
}
