package dev.gatekey.config;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class RedactionTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "redis://user:s3cret@host:6379/0|redis://user:***@host:6379/0",
        "rediss://s3cret@host|rediss://***@host",
        "redis://:s3cret@host|redis://:***@host",
        "jdbc:mysql://gk:s3cret@db/gk|jdbc:mysql://gk:***@db/gk",
        "https://user:s3cret@hooks.example/x|https://user:***@hooks.example/x",
    })
    void urlWhenUserInfoThenPasswordMasked(String url, String shown) {
        assertThat(Redaction.url(url)).isEqualTo(shown);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "redis://host?password=s3cret&db=1|redis://host?password=***&db=1",
        "redis://host?PASSWORD=s3;cret#f|redis://host?PASSWORD=***#f",
        "jdbc:postgresql://db/gk?user=gk&Password=s3cret&ssl=true|jdbc:postgresql://db/gk?user=gk&Password=***&ssl=true",
        "jdbc:h2:file:./gk;USER=sa;PASSWORD=s3cret;MODE=PostgreSQL|jdbc:h2:file:./gk;USER=sa;PASSWORD=***;MODE=PostgreSQL",
    })
    void urlWhenPasswordParameterThenValueMasked(String url, String shown) {
        assertThat(Redaction.url(url)).isEqualTo(shown);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "redis://host:6379",
        "jdbc:h2:mem:x",
        "h:6379",
        "https://hooks.example/a@b",
    })
    void urlWhenNoPasswordThenUnchanged(String url) {
        assertThat(Redaction.url(url)).isEqualTo(url);
    }

    @Test
    void urlWhenNullThenNull() {
        assertThat(Redaction.url(null)).isNull();
    }
}
