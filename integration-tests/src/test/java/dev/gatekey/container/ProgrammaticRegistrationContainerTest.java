package dev.gatekey.container;

import dev.gatekey.testsupport.container.Deployments;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.extension.ExtendWith;

/** The filter registered with {@code ServletContext.addFilter} from a {@code ServletContextListener}. */
@ExtendWith(ArquillianExtension.class)
class ProgrammaticRegistrationContainerTest extends RegistrationContract {

    private static final ContainerDatabase DB = ContainerDatabase.create("programmatic");

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.webXml("programmatic", "container/programmatic/web.xml", DB.jdbcUrl());
    }

    @AfterAll
    static void closeDatabase() {
        DB.close();
    }

    @Override
    ContainerDatabase db() {
        return DB;
    }
}
