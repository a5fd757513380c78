package dev.gatekey.admin.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatekey.persistence.GatekeyDatabase;
import dev.gatekey.persistence.KeyFormat;
import dev.gatekey.testsupport.container.Ports;
import java.net.URI;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import org.jboss.arquillian.container.test.api.Deployer;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Deploy, undeploy and deploy again on the same database: the second start creates and writes nothing. */
@ExtendWith(ArquillianExtension.class)
class RedeployTest {

    private static final String NAME = "admin-redeploy";
    private static final TestDeployment DEPLOYMENT = new TestDeployment("gatekey-admin-redeploy");

    @ArquillianResource
    private Deployer deployer;

    @Deployment(name = NAME, managed = false, testable = false)
    static WebArchive deployment() {
        return DEPLOYMENT.archive();
    }

    @Test
    void redeployWhenAdminKeyFileExistsThenKeptAndNoSecondKeyCreated() throws Exception {
        // an unmanaged deployment has no URL to inject before it is deployed: the one of arquillian.xml
        URL base = URI.create("http://localhost:" + Ports.httpPort() + "/"
                + DEPLOYMENT.name + "/").toURL();
        deployer.deploy(NAME);
        String key = DEPLOYMENT.adminKey();
        FileTime written = Files.getLastModifiedTime(DEPLOYMENT.keyFile);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(DEPLOYMENT.keyFile)))
                .isEqualTo("rw-------");
        deployer.undeploy(NAME);

        deployer.deploy(NAME);
        try {
            assertThat(DEPLOYMENT.adminKey()).isEqualTo(key);
            assertThat(Files.getLastModifiedTime(DEPLOYMENT.keyFile)).isEqualTo(written);
            assertThat(SeenKeys.client(base).withKey(key).api("GET", "/buckets").status()).isEqualTo(200);
            try (GatekeyDatabase database = DEPLOYMENT.openDatabase()) {
                assertThat(DEPLOYMENT.keyManagement(database).keys().list("gatekey-admin", "admin", KeyFormat.NONE))
                        .hasSize(1);
            }
        } finally {
            deployer.undeploy(NAME);
        }
    }
}
