package dev.gatekey.config;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DescriptionTest {

    @Test
    void toStringWhenPartsAddedThenNameValuePairsInOrder() {
        Description d = new Description().add("bucket", "a,b").part("store=jndi").add("poll", 1000);

        assertThat(d).hasToString("bucket=a,b, store=jndi, poll=1000");
    }

    @Test
    void urlWhenItCarriesAPasswordThenShownRedacted() {
        Description d = new Description().url("redisUrl", "redis://gk:hunter2@redis:6379");

        assertThat(d).hasToString("redisUrl=redis://gk:***@redis:6379");
    }

    @Test
    void toStringWhenEmptyThenEmpty() {
        assertThat(new Description()).hasToString("");
    }
}
