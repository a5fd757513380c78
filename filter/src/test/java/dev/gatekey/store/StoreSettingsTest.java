package dev.gatekey.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class StoreSettingsTest {

    @Test
    void toStringWhenUrlAndPasswordHoldSecretsThenNeverShowsThem() {
        StoreSettings settings = StoreSettings.jdbc(
                "jdbc:postgresql://db/gk?user=gk&PASSWORD=s3cret&ssl=true", "gk", "other-s3cret");

        assertThat(settings.toString()).doesNotContain("s3cret")
                .contains("jdbc:postgresql://db/gk?user=gk&PASSWORD=***&ssl=true");
    }

    @Test
    void redactWhenPasswordIsSemicolonSeparatedThenMasked() {
        assertThat(StoreSettings.redact("jdbc:h2:file:./gk;USER=sa;PASSWORD=x;MODE=PostgreSQL"))
                .isEqualTo("jdbc:h2:file:./gk;USER=sa;PASSWORD=***;MODE=PostgreSQL");
    }

    @Test
    void newWhenNotExactlyOneLocationThenRejected() {
        assertThatThrownBy(() -> new StoreSettings(null, null, null, null))
                .hasMessage("exactly one of dataSource and jdbcUrl must be set");
        assertThatThrownBy(() -> new StoreSettings("java:comp/env/jdbc/gatekey", "jdbc:h2:mem:x", null, null))
                .hasMessage("exactly one of dataSource and jdbcUrl must be set");
    }
}
