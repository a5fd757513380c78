package dev.gatekey.container;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.jboss.shrinkwrap.api.spec.WebArchive;

/**
 * The WARs under test. In embedded Tomcat the WAR runs in the test JVM, so the filter, the persistence
 * module, H2 and the test servlet come from the test class path; a WAR needs little more than its web.xml.
 */
final class Deployments {

    private Deployments() {
    }

    /** A WAR whose web.xml is {@code resource} with {@code @jdbcUrl@} pointing at {@code db}. */
    static WebArchive webXml(String name, String resource, String jdbcUrl) {
        return ShrinkWrap.create(WebArchive.class, name + ".war")
                .setWebXML(new StringAsset(resource(resource).replace("@jdbcUrl@", jdbcUrl)));
    }

    static String resource(String name) {
        try (InputStream in = Deployments.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalArgumentException("no resource " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
