package dev.gatekey.admin.it;

import java.net.URI;
import java.net.URL;
import org.jboss.shrinkwrap.api.ArchivePath;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.importer.ExplodedImporter;
import org.jboss.shrinkwrap.api.spec.JavaArchive;
import org.jboss.shrinkwrap.api.spec.WebArchive;

/** The web UI's test deployment: {@link TestDeployment} plus the files of {@code src/main/webapp}. */
final class UiDeployment {

    private UiDeployment() {
    }

    static WebArchive archive(TestDeployment deployment) {
        JavaArchive ui = ShrinkWrap.create(ExplodedImporter.class, "ui.jar")
                .importDirectory("src/main/webapp", (ArchivePath path) -> !path.get().startsWith("/WEB-INF"))
                .as(JavaArchive.class);
        return deployment.archive().merge(ui);
    }

    /** The deployment's root at 127.0.0.1 (what the browser uses), ending with a slash. */
    static URI root(URL base) {
        String root = base.toString().replace("://localhost:", "://127.0.0.1:");
        return URI.create(root.endsWith("/") ? root : root + "/");
    }
}
