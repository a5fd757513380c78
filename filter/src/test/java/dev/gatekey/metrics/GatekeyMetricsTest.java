package dev.gatekey.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatekey.problem.Outcome;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

class GatekeyMetricsTest {

    @Test
    void createWhenRegistryGivenThenEveryOutcomeRegisteredUpFront() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();

        GatekeyMetrics.create(registry).request(Outcome.REVOKED);

        assertThat(registry.find(GatekeyMetrics.REQUESTS).counters()).hasSize(Outcome.values().length);
        assertThat(registry.get(GatekeyMetrics.REQUESTS).tag("outcome", "revoked").counter().count()).isEqualTo(1);
    }

    @Test
    void createWhenAttributeIsNotARegistryThenRefused() {
        assertThatThrownBy(() -> GatekeyMetrics.create("registry"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(GatekeyMetrics.METER_REGISTRY_ATTRIBUTE);
    }

    @Test
    void noopWhenCalledThenSameInstance() {
        assertThat(GatekeyMetrics.noop()).isSameAs(GatekeyMetrics.noop());
    }
}
