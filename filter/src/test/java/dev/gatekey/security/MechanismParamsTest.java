package dev.gatekey.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatekey.filter.FilterSettings;
import dev.gatekey.principal.ApiKeyPrincipal;
import dev.gatekey.store.KeyPolicy;
import dev.gatekey.store.StoredKey;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class MechanismParamsTest {

    @ApiKeyAuthenticationMechanismDefinition(bucket = "shop-live", realm = "shop", changePollMillis = "#{250 * 2}",
            jdbcUrl = "${env:SHOP_DB}")
    static final class Plain {
    }

    @ApiKeyAuthenticationMechanismDefinition(bucket = "shop-live", foreignCredentials = "pass", delegate = "jwt")
    static final class Delegating {
    }

    @ApiKeyAuthenticationMechanismDefinition(bucket = "shop-live", delegate = "jwt")
    static final class DelegatingWithoutPass {
    }

    private static ApiKeyAuthenticationMechanismDefinition definition(Class<?> type) {
        return type.getAnnotation(ApiKeyAuthenticationMechanismDefinition.class);
    }

    @Test
    void ofWhenAttributesSetThenOnlyThoseBecomeParamsWithExpressionsEvaluated() {
        Map<String, String> params = MechanismParams.of(definition(Plain.class),
                expression -> expression.equals("#{250 * 2}") ? "500" : "unexpected");

        // placeholders are left to the filter's parser, which expands them as it does for init-params
        assertThat(params).containsExactlyInAnyOrderEntriesOf(Map.of("bucket", "shop-live", "realm", "shop",
                "changePollMillis", "500", "jdbcUrl", "${env:SHOP_DB}"));
    }

    @Test
    void definitionWhenAttributesListedThenEachIsAFilterInitParamButDelegate() {
        List<String> attributes = Arrays.stream(ApiKeyAuthenticationMechanismDefinition.class.getDeclaredMethods())
                .map(Method::getName).filter(name -> !name.equals(MechanismParams.DELEGATE)).toList();

        assertThat(FilterSettings.PARAMS).containsAll(attributes);
        assertThat(Set.copyOf(attributes)).containsAll(FilterSettings.PARAMS.stream()
                .filter(p -> !p.equals(FilterSettings.ALLOW_UNAUTHENTICATED_REQUESTS)
                        && !p.equals(FilterSettings.HIDE_CREDENTIALS)).toList());
    }

    @Test
    void delegateWhenForeignCredentialsPassThenNamed() {
        ApiKeyAuthenticationMechanismDefinition definition = definition(Delegating.class);

        assertThat(MechanismParams.delegate(definition, MechanismParams.of(definition, e -> e), e -> e))
                .isEqualTo("jwt");
        assertThat(MechanismParams.delegate(definition(Plain.class), Map.of(), e -> e)).isNull();
    }

    @Test
    void delegateWhenForeignCredentialsNotPassThenRefusedNamingBoth() {
        ApiKeyAuthenticationMechanismDefinition definition = definition(DelegatingWithoutPass.class);

        assertThatThrownBy(() -> MechanismParams.delegate(definition, MechanismParams.of(definition, e -> e), e -> e))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Parameter [delegate] needs [foreignCredentials] to be [pass]");
    }

    @Test
    void groupsWhenRolesAndScopesThenBoth() {
        StoredKey key = new StoredKey("key_1", "shop-live", "acme", Map.of("roles", List.of("reader", 7, "admin")),
                null, null, true, new KeyPolicy(Set.of("orders:read"), List.of(), null));

        assertThat(ApiKeyAuthenticationMechanism.groups(ApiKeyPrincipal.of(key)))
                .containsExactlyInAnyOrder("reader", "admin", "orders:read");
    }
}
