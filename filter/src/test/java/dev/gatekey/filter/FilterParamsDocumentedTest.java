package dev.gatekey.filter;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatekey.testsupport.docs.ConfigurationReference;
import java.io.IOException;
import java.lang.reflect.Field;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Every init-param the filter accepts has a row in the reference, docs/configuration.md. */
class FilterParamsDocumentedTest {

    @Test
    void acceptedParamsWhenLookedUpInTheReferenceThenEachHasATableRow() throws Exception {
        String reference = ConfigurationReference.text();

        for (String param : acceptedParams()) {
            assertThat(reference).as("docs/configuration.md documents init-param %s", param)
                    .containsPattern(ConfigurationReference.rowNaming(param));
        }
    }

    /** The set FilterSettings checks names against: unknown names fail the deployment, so this is all of them. */
    @SuppressWarnings("unchecked")
    private static Set<String> acceptedParams() throws ReflectiveOperationException {
        Field params = FilterSettings.class.getDeclaredField("PARAMS");
        params.setAccessible(true);
        Set<String> names = (Set<String>) params.get(null);
        assertThat(names).contains(FilterSettings.BUCKET);
        return names;
    }
}
