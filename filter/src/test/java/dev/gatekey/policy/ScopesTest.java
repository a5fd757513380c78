package dev.gatekey.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Collections;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ScopesTest {

    @ParameterizedTest
    @ValueSource(strings = {"a", "orders:read", "billing.v2_write-all", "z9"})
    void invalidWhenNameMatchesThenEmpty(String scope) {
        assertThat(Scopes.invalid(scope)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "Orders", "1abc", ":a", "a b", "a,b", "a/b", "é"})
    void invalidWhenNameDoesNotMatchThenMessage(String scope) {
        assertThat(Scopes.invalid(scope)).contains("scope must match ^[a-z][a-z0-9:._-]{0,63}$");
    }

    @Test
    void invalidWhenLongerThan64ThenMessage() {
        assertThat(Scopes.invalid("a".repeat(65))).isPresent();
        assertThat(Scopes.invalid("a".repeat(64))).isEmpty();
    }

    @Test
    void invalidListWhenMoreThan32ThenMessage() {
        List<String> many = Collections.nCopies(33, "a");
        assertThat(Scopes.invalidList(many)).contains("at most 32 scopes");
        assertThat(Scopes.invalidList(Collections.nCopies(32, "a"))).isEmpty();
    }

    @Test
    void invalidListWhenOneNameBadThenMessage() {
        assertThat(Scopes.invalidList(List.of("ok", "Bad"))).contains("scope must match ^[a-z][a-z0-9:._-]{0,63}$");
        assertThat(Scopes.invalidList(null)).isEmpty();
    }

    @Test
    void parseWhenCommaListThenOrderedSetWithoutBlanks() {
        assertThat(Scopes.parse(" orders:read, ,orders:write,orders:read ")).containsExactly("orders:read", "orders:write");
        assertThat(Scopes.parse(null)).isEmpty();
        assertThat(Scopes.parse("  ")).isEmpty();
    }

    @Test
    void parseWhenBadNameThenThrows() {
        assertThatThrownBy(() -> Scopes.parse("ok,Not-Ok")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Not-Ok");
    }

    @Test
    void grantsWhenAllRequiredPresentThenTrue() {
        assertThat(Scopes.grants(Set.of("a", "b", "c"), Set.of("a", "b"))).isTrue();
        assertThat(Scopes.grants(Set.of(), Set.of())).isTrue();
    }

    @Test
    void grantsWhenOneRequiredMissingThenFalse() {
        assertThat(Scopes.grants(Set.of("a"), Set.of("a", "b"))).isFalse();
    }
}
