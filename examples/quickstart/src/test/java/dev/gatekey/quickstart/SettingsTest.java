package dev.gatekey.quickstart;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Field;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The names {@code --set} accepts are exactly those of the admin WAR the jar carries and of the filter on its
 * class path: a setting added there and not here (or the reverse) fails this test.
 */
class SettingsTest {

    @TempDir
    Path tmp;

    @Test
    void adminWhenComparedWithTheBundledWarThenNamesAreThoseItAccepts() throws Exception {
        Path war = tmp.resolve("admin");
        unzip("webapps/gatekey-admin-war.war", war);
        List<URL> classPath = new ArrayList<>();
        classPath.add(war.resolve("WEB-INF/classes").toUri().toURL());
        try (Stream<Path> jars = Files.list(war.resolve("WEB-INF/lib"))) {
            for (Path jar : jars.toList()) {
                classPath.add(jar.toUri().toURL());
            }
        }
        try (URLClassLoader loader = new URLClassLoader(classPath.toArray(URL[]::new),
                ClassLoader.getPlatformClassLoader())) {
            Set<?> names = (Set<?>) loader.loadClass("dev.gatekey.admin.AdminSettings").getField("NAMES").get(null);

            assertThat(Settings.ADMIN.keySet()).containsExactlyInAnyOrderElementsOf(
                    names.stream().map(String::valueOf).toList());
        }
    }

    @Test
    void filterWhenComparedWithTheFilterThenNamesAreItsInitParams() throws Exception {
        // the filter keeps its param set private: its public surface has no use for it
        Field params = Class.forName("dev.gatekey.filter.FilterSettings").getDeclaredField("PARAMS");
        params.setAccessible(true);

        assertThat(Settings.FILTER.keySet()).containsExactlyInAnyOrderElementsOf(
                ((Set<?>) params.get(null)).stream().map(String::valueOf).collect(Collectors.toSet()));
    }

    @Test
    void helpWhenPrintedThenListsEveryNameWithItsPrefix() {
        String help = Settings.help();

        Settings.ADMIN.keySet().forEach(name -> assertThat(help).contains("  " + name + " "));
        Settings.FILTER.keySet().forEach(name -> assertThat(help).contains("  filter." + name + " "));
    }

    private static void unzip(String resource, Path target) throws IOException {
        try (InputStream in = Quickstart.class.getResourceAsStream(resource)) {
            assertThat(in).as(resource).isNotNull();
            try (ZipInputStream zip = new ZipInputStream(in)) {
                for (ZipEntry entry = zip.getNextEntry(); entry != null; entry = zip.getNextEntry()) {
                    Path file = target.resolve(entry.getName()).normalize();
                    if (!file.startsWith(target)) {
                        continue;
                    }
                    if (entry.isDirectory()) {
                        Files.createDirectories(file);
                    } else {
                        Files.createDirectories(file.getParent());
                        Files.copy(zip, file);
                    }
                }
            }
        }
    }
}
