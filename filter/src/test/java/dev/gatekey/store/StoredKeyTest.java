package dev.gatekey.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StoredKeyTest {

    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

    @Test
    void metadataWhenSourceChangesAfterwardsThenKeyKeepsADeepUnmodifiableCopy() {
        List<Object> roles = new ArrayList<>(List.of("admin"));
        Map<String, Object> metadata = new HashMap<>(Map.of("roles", roles));
        StoredKey key = new StoredKey("key_1", "demo-live", "acme", metadata, null, null, true);
        roles.add("viewer");
        metadata.put("plan", "gold");

        assertThat(key.metadata()).containsOnlyKeys("roles");
        assertThat(key.metadata().get("roles")).isEqualTo(List.of("admin"));
        assertThatThrownBy(() -> key.metadata().put("x", 1)).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void isExpiredAtAndIsRevokedAtWhenAtTheirInstantThenTrue() {
        StoredKey key = new StoredKey("key_1", "demo-live", "acme", null, NOW, NOW, true);
        assertThat(key.isExpiredAt(NOW.minusMillis(1))).isFalse();
        assertThat(key.isExpiredAt(NOW)).isTrue();
        assertThat(key.isRevokedAt(NOW.minusMillis(1))).isFalse();
        assertThat(key.isRevokedAt(NOW)).isTrue();
    }

    @Test
    void metadataWhenNullThenEmpty() {
        StoredKey key = new StoredKey("key_1", "demo-live", "acme", null, NOW, NOW, true);
        assertThat(key.metadata()).isEmpty();
    }
}
