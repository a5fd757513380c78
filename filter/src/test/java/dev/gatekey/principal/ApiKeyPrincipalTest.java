package dev.gatekey.principal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatekey.store.StoredKey;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ApiKeyPrincipalTest {

    private final StoredKey key = new StoredKey("key_1", "demo-live", "alice",
            Map.of("roles", List.of("admin"), "plan", "gold"), Instant.parse("2030-01-01T00:00:00Z"), null, true);

    @Test
    void ofWhenStoredKeyThenFieldsCopied() {
        ApiKeyPrincipal principal = ApiKeyPrincipal.of(key);

        assertThat(principal.getName()).isEqualTo("alice");
        assertThat(principal.sub()).isEqualTo("alice");
        assertThat(principal.keyId()).isEqualTo("key_1");
        assertThat(principal.bucket()).isEqualTo("demo-live");
        assertThat(principal.expiresOn()).isEqualTo(Instant.parse("2030-01-01T00:00:00Z"));
        assertThat(principal.data()).containsEntry("plan", "gold");
    }

    @Test
    void dataWhenModifiedThenRefused() {
        assertThatThrownBy(() -> ApiKeyPrincipal.of(key).data().put("x", 1))
                .isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void hasRoleWhenRolesNotAListThenFalse() {
        StoredKey odd = new StoredKey("key_2", "b", "c", Map.of("roles", "admin"), null, null, true);

        assertThat(ApiKeyPrincipal.of(odd).hasRole("admin")).isFalse();
        assertThat(ApiKeyPrincipal.of(key).hasRole("admin")).isTrue();
        assertThat(ApiKeyPrincipal.of(key).hasRole(null)).isFalse();
    }

    @Test
    void toStringWhenPrincipalThenNoMetadata() {
        assertThat(ApiKeyPrincipal.of(key).toString()).doesNotContain("gold").contains("key_1");
    }
}
