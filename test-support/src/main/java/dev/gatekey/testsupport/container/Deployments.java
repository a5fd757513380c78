package dev.gatekey.testsupport.container;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.jboss.shrinkwrap.api.importer.ExplodedImporter;
import org.jboss.shrinkwrap.api.spec.JavaArchive;
import org.jboss.shrinkwrap.api.spec.WebArchive;

/**
 * The WARs the Arquillian tests deploy. In embedded Tomcat the WAR runs in the test JVM, so libraries and test
 * classes come from the test class path; a WAR needs little more than its web.xml.
 */
public final class Deployments {

    private Deployments() {
    }

    /** A WAR whose web.xml is the class-path resource {@code resource} with {@code @jdbcUrl@} set to {@code jdbcUrl}. */
    public static WebArchive webXml(String name, String resource, String jdbcUrl) {
        return war(name, resource(resource).replace("@jdbcUrl@", jdbcUrl));
    }

    /** A WAR {@code name.war} with {@code webXml} as its web.xml. */
    public static WebArchive war(String name, String webXml) {
        return ShrinkWrap.create(WebArchive.class, name + ".war").setWebXML(new StringAsset(webXml));
    }

    /** The module's own compiled classes and resources ({@code target/classes}), to merge into {@code WEB-INF/classes}. */
    public static JavaArchive moduleClasses() {
        return ShrinkWrap.create(ExplodedImporter.class, "classes.jar").importDirectory("target/classes")
                .as(JavaArchive.class);
    }

    /** A web.xml {@code <context-param>} line, the value escaped for XML. */
    public static String contextParam(String name, String value) {
        return "  <context-param><param-name>" + name + "</param-name><param-value>" + xml(value)
                + "</param-value></context-param>";
    }

    /** The class-path resource {@code name} as UTF-8 text. */
    public static String resource(String name) {
        try (InputStream in = Deployments.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalArgumentException("no resource " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String xml(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
