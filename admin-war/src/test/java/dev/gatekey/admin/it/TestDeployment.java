package dev.gatekey.admin.it;

import dev.gatekey.admin.AdminContextListener;
import dev.gatekey.filter.ApiKeyFilter;
import dev.gatekey.format.ApiKeyFormat;
import dev.gatekey.persistence.GatekeyDatabase;
import dev.gatekey.persistence.KeyManagement;
import dev.gatekey.persistence.MasterKeys;
import dev.gatekey.store.StoreSettings;
import dev.gatekey.testsupport.container.Deployments;
import dev.gatekey.testsupport.servlet.WhoAmIServlet;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.jboss.shrinkwrap.api.spec.WebArchive;

/**
 * One test deployment: the admin WAR built from this module's classes and resources, configured by
 * context params as an operator would (H2 in memory with a unique name, a temp admin key file, master
 * keys, a 100 ms change feed), plus a protected {@code /protected/*} servlet behind an ordinary
 * {@link ApiKeyFilter} for bucket {@value #DEMO_BUCKET}, and the {@link ContainerUserFilter}. Libraries
 * come from the test class path (embedded Tomcat runs in this JVM).
 */
final class TestDeployment {

    static final String DEMO_BUCKET = "demo-live";
    static final String DEMO_PREFIX = "demo_live";

    final String name;
    final String jdbcUrl;
    final Path keyFile;
    /** Null in a deployment {@link #withoutMasterKeys}. */
    final String masterKeys;
    private final Map<String, String> extraParams;

    TestDeployment(String name) {
        this(name, Map.of());
    }

    /** With more context params, e.g. the leak detection settings. */
    TestDeployment(String name, Map<String, String> extraParams) {
        this(name, extraParams, "jdbc:h2:mem:gk-admin-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
    }

    /** On the database of {@code jdbcUrl}. */
    TestDeployment(String name, Map<String, String> extraParams, String jdbcUrl) {
        this(name, extraParams, jdbcUrl, "k1:" + MasterKeys.generateKey());
    }

    /** Without {@code gatekey.masterKeys}: retrievable buckets are refused. */
    static TestDeployment withoutMasterKeys(String name) {
        return new TestDeployment(name, Map.of(), "jdbc:h2:mem:gk-admin-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1",
                null);
    }

    private TestDeployment(String name, Map<String, String> extraParams, String jdbcUrl, String masterKeys) {
        this.masterKeys = masterKeys;
        this.name = name;
        this.extraParams = Map.copyOf(extraParams);
        this.jdbcUrl = jdbcUrl;
        try {
            this.keyFile = Files.createTempDirectory("gk-admin-it").resolve("data/admin-key");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    WebArchive archive() {
        return Deployments.war(name, webXml())
                .merge(Deployments.moduleClasses(), "/WEB-INF/classes")
                .addClasses(ContainerUserFilter.class, WhoAmIServlet.class);
    }

    private String webXml() {
        return """
                <?xml version="1.0" encoding="UTF-8"?>
                <web-app xmlns="https://jakarta.ee/xml/ns/jakartaee" version="6.0" metadata-complete="true">
                  <context-param><param-name>gatekey.jdbcUrl</param-name><param-value>%1$s</param-value></context-param>
                  <context-param><param-name>gatekey.adminKeyFile</param-name><param-value>%2$s</param-value></context-param>
                %3$s
                  <context-param><param-name>gatekey.changePollMillis</param-name><param-value>100</param-value></context-param>
                %9$s
                  <listener><listener-class>%4$s</listener-class></listener>
                  <filter>
                    <filter-name>containerUser</filter-name>
                    <filter-class>%5$s</filter-class>
                  </filter>
                  <filter-mapping><filter-name>containerUser</filter-name><url-pattern>/*</url-pattern></filter-mapping>
                  <filter>
                    <filter-name>demoKeys</filter-name>
                    <filter-class>%6$s</filter-class>
                    <init-param><param-name>bucket</param-name><param-value>%7$s</param-value></init-param>
                    <init-param><param-name>jdbcUrl</param-name><param-value>%1$s</param-value></init-param>
                    <init-param><param-name>changePollMillis</param-name><param-value>100</param-value></init-param>
                  </filter>
                  <filter-mapping><filter-name>demoKeys</filter-name><url-pattern>/protected/*</url-pattern></filter-mapping>
                  <servlet>
                    <servlet-name>whoami</servlet-name>
                    <servlet-class>%8$s</servlet-class>
                  </servlet>
                  <servlet-mapping><servlet-name>whoami</servlet-name><url-pattern>/protected/*</url-pattern></servlet-mapping>
                </web-app>
                """.formatted(jdbcUrl, keyFile, masterKeys == null ? "" : "  <context-param><param-name>"
                + "gatekey.masterKeys</param-name><param-value>" + masterKeys + "</param-value></context-param>",
                AdminContextListener.class.getName(),
                ContainerUserFilter.class.getName(), ApiKeyFilter.class.getName(), DEMO_BUCKET,
                WhoAmIServlet.class.getName(), extraParams.entrySet().stream()
                        .map(e -> Deployments.contextParam(e.getKey(), e.getValue()))
                        .collect(Collectors.joining("\n")));
    }

    /** The deployment's database, opened from the test to arrange data (same in-memory H2). */
    GatekeyDatabase openDatabase() {
        return GatekeyDatabase.open(StoreSettings.jdbc(jdbcUrl, null, null));
    }

    KeyManagement keyManagement(GatekeyDatabase database) {
        return new KeyManagement(database, ApiKeyFormat.crc32(), masterKeys == null ? null : MasterKeys.parse(masterKeys),
                Clock.systemUTC());
    }

    String adminKey() {
        try {
            return Files.readString(keyFile).trim();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
