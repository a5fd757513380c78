package dev.gatekey.examples.selfserve;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The runner's data directory: the H2 database ({@code gatekey.mv.db}), the users file ({@value #USERS}, written
 * once, then yours to edit), the admin key file, and {@code webapps}: this application's files ({@code ROOT}) and
 * the admin WAR, written fresh at each start from the jar.
 */
final class AppFiles {

    static final String USERS = "tomcat-users.xml";
    static final String ADMIN_WAR = "gatekey-admin-war.war";
    /** The application's static files and descriptor, below {@code webapp/} in this package. */
    static final List<String> WEBAPP = List.of("WEB-INF/web.xml", "login.html", "login-error.html", "app.css");

    private AppFiles() {
    }

    /** Writes {@code webapps/ROOT}, {@code webapps/admin.war} and, unless present, the users file. */
    static Path prepare(Path dir) {
        try {
            Path webapps = dir.resolve("webapps");
            deleteTree(webapps);
            Files.createDirectories(dir.resolve("tomcat"));
            Path root = webapps.resolve("ROOT");
            for (String file : WEBAPP) {
                copy("webapp/" + file, root.resolve(file));
            }
            copy("webapps/" + ADMIN_WAR, webapps.resolve("admin.war"));
            if (!Files.exists(dir.resolve(USERS))) {
                copy(USERS, dir.resolve(USERS));
            }
            return webapps;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write to " + dir, e);
        }
    }

    private static void copy(String resource, Path target) throws IOException {
        try (InputStream in = AppFiles.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IOException("the jar has no " + resource + ": rebuild it with Maven");
            }
            Files.createDirectories(target.getParent());
            Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
                Files.delete(path);
            }
        }
    }
}
