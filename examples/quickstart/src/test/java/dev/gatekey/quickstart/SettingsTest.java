package dev.gatekey.quickstart;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatekey.admin.AdminSettings;
import dev.gatekey.filter.FilterSettings;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import org.junit.jupiter.api.Test;

/**
 * The names {@code --set} accepts are exactly those of the admin WAR and of the filter (the help line of a setting
 * added there and not here fails this test), and the quickstart needs no admin WAR class at run time.
 */
class SettingsTest {

    @Test
    void adminNamesWhenComparedWithTheAdminWarThenSame() {
        assertThat(Settings.ADMIN.keySet()).containsExactlyInAnyOrderElementsOf(AdminSettings.NAMES);
    }

    @Test
    void filterNamesWhenComparedWithTheFilterThenSame() {
        assertThat(Settings.FILTER.keySet()).containsExactlyInAnyOrderElementsOf(FilterSettings.PARAMS);
    }

    @Test
    void helpWhenPrintedThenListsEveryNameWithItsPrefix() {
        String help = Settings.help();

        Settings.ADMIN.keySet().forEach(name -> assertThat(help).contains("  " + name + " "));
        Settings.FILTER.keySet().forEach(name -> assertThat(help).contains("  filter." + name + " "));
    }

    /**
     * The admin WAR's classes ride in the jar only inside the WAR: the quickstart may use their compile-time
     * constants (javac copies them in), nothing that needs the classes at run time.
     */
    @Test
    void settingsWhenAdminWarClassesAbsentThenHelpAndCheckWork() throws Exception {
        URL classes = Settings.class.getProtectionDomain().getCodeSource().getLocation();
        try (URLClassLoader loader = new URLClassLoader(new URL[] {classes}, new WithoutAdminWar())) {
            Class.forName(Quickstart.class.getName(), true, loader);
            Class<?> settings = Class.forName(Settings.class.getName(), true, loader);
            Method help = settings.getDeclaredMethod("help");
            Method check = settings.getDeclaredMethod("check", String.class, String.class);
            help.setAccessible(true);
            check.setAccessible(true);

            assertThat((String) help.invoke(null)).contains(AdminSettings.MASTER_KEYS, FilterSettings.BUCKET);
            check.invoke(null, AdminSettings.PRINT_ADMIN_KEY, "false");
        }
    }

    /** The test's class path without the admin WAR's classes, and without the quickstart's (loaded anew above). */
    private static final class WithoutAdminWar extends ClassLoader {

        WithoutAdminWar() {
            super(SettingsTest.class.getClassLoader());
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (name.startsWith("dev.gatekey.admin.") || name.startsWith("dev.gatekey.quickstart.")) {
                throw new ClassNotFoundException(name);
            }
            return super.loadClass(name, resolve);
        }
    }
}
