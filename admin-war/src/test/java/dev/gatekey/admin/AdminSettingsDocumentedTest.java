package dev.gatekey.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatekey.admin.leak.LeakSettings;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** Every {@code gatekey.*} context param the admin WAR accepts has a row in docs/configuration.md. */
class AdminSettingsDocumentedTest {

    /** Relative to this module (Surefire's working directory). */
    static final Path REFERENCE = Path.of("..", "docs", "configuration.md");

    @Test
    void acceptedContextParamsWhenLookedUpInTheReferenceThenEachHasATableRow() throws IOException {
        String reference = Files.readString(REFERENCE, StandardCharsets.UTF_8);

        for (String param : acceptedParams()) {
            assertThat(reference).as("docs/configuration.md documents context param %s", param)
                    .containsPattern("(?m)^\\| [^|]*`" + param.replace(".", "\\.") + "`");
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
