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

        GatekeyMetrics.create(registry, "demo-live").request(Outcome.REVOKED);

        assertThat(registry.find(GatekeyMetrics.REQUESTS).counters()).hasSize(Outcome.values().length);
        assertThat(registry.get(GatekeyMetrics.REQUESTS).tag("outcome", "revoked").tag("bucket", "demo-live")
                .counter().count()).isEqualTo(1);
    }

    @Test
    void createWhenTwoFiltersShareARegistryThenTheirBucketsCountApart() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        GatekeyMetrics demo = GatekeyMetrics.create(registry, "demo-live");
        GatekeyMetrics admin = GatekeyMetrics.create(registry, "gatekey-admin");

        demo.request(Outcome.VALID);
        demo.request(Outcome.VALID);
        admin.request(Outcome.VALID);
        admin.storeLookup();

        assertThat(registry.get(GatekeyMetrics.REQUESTS).tags("bucket", "demo-live", "outcome", "valid").counter()
                .count()).isEqualTo(2);
        assertThat(registry.get(GatekeyMetrics.REQUESTS).tags("bucket", "gatekey-admin", "outcome", "valid")
                .counter().count()).isEqualTo(1);
        assertThat(registry.get(GatekeyMetrics.STORE_LOOKUPS).tag("bucket", "demo-live").counter().count()).isZero();
    }

    @Test
    void createWhenAttributeIsNotARegistryThenRefused() {
        assertThatThrownBy(() -> GatekeyMetrics.create("registry", "demo-live"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(GatekeyMetrics.METER_REGISTRY_ATTRIBUTE);
    }

    @Test
    void noopWhenCalledThenSameInstance() {
        assertThat(GatekeyMetrics.noop()).isSameAs(GatekeyMetrics.noop());
    }
}
