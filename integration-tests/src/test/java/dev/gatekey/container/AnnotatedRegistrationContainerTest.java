package dev.gatekey.container;

import dev.gatekey.testsupport.container.Deployments;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.extension.ExtendWith;

/** The filter registered by {@code @WebFilter} on a subclass, its database URL given as {@code ${sys:...}}. */
@ExtendWith(ArquillianExtension.class)
class AnnotatedRegistrationContainerTest extends RegistrationContract {

    private static final ContainerDatabase DB = ContainerDatabase.create("annotated");

    static {
        System.setProperty(AnnotatedApiKeyFilter.JDBC_URL_PROPERTY, DB.jdbcUrl());
    }

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.webXml("annotated", "container/annotated/web.xml", DB.jdbcUrl())
                .addClass(AnnotatedApiKeyFilter.class);
    }

    @AfterAll
    static void closeDatabase() {
        System.clearProperty(AnnotatedApiKeyFilter.JDBC_URL_PROPERTY);
        DB.close();
    }

    @Override
    ContainerDatabase db() {
        return DB;
    }
}
