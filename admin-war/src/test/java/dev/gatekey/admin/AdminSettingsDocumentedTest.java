package dev.gatekey.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatekey.admin.leak.LeakSettings;
import dev.gatekey.testsupport.docs.ConfigurationReference;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** Every {@code gatekey.*} context param the admin WAR accepts has a row in docs/configuration.md. */
class AdminSettingsDocumentedTest {

    @Test
    void acceptedContextParamsWhenLookedUpInTheReferenceThenEachHasATableRow() throws IOException {
        String reference = ConfigurationReference.text();

        for (String param : acceptedParams()) {
            assertThat(reference).as("docs/configuration.md documents context param %s", param)
                    .containsPattern(ConfigurationReference.rowNaming(param));
        }
    }

    /** The public name constants of AdminSettings (every {@code gatekey.*} one is a param) and LeakSettings.PARAMS. */
    private static Set<String> acceptedParams() {
        Set<String> names = new TreeSet<>(LeakSettings.PARAMS);
        for (Field field : AdminSettings.class.getFields()) {
            if (Modifier.isStatic(field.getModifiers()) && field.getType() == String.class) {
                String value = constant(field);
                if (value.startsWith("gatekey.")) {
                    names.add(value);
                }
            }
        }
        assertThat(names).contains(AdminSettings.MASTER_KEYS, LeakSettings.LEAK_ACTION);
        return names;
    }

    private static String constant(Field field) {
        try {
            return (String) field.get(null);
        } catch (IllegalAccessException e) {
            throw new AssertionError(e);
        }
    }
}
