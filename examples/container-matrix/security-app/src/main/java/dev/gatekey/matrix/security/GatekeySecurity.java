package dev.gatekey.matrix.security;

import jakarta.annotation.security.DeclareRoles;
import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;
import java.util.Map;

/** The JAX-RS application; its roles, declared for the container. */
@DeclareRoles("reader")
@ApplicationPath("api")
public class GatekeySecurity extends Application {

    /** Jersey (Payara): enforce {@code @RolesAllowed} on resources; RESTEasy ignores the property. */
    @Override
    public Map<String, Object> getProperties() {
        return Map.of("jersey.config.server.provider.classnames",
                "org.glassfish.jersey.server.filter.RolesAllowedDynamicFeature");
    }
}
