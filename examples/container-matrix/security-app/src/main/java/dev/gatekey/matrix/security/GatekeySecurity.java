package dev.gatekey.matrix.security;

import dev.gatekey.security.ApiKeyAuthenticationMechanismDefinition;
import jakarta.annotation.security.DeclareRoles;
import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;
import java.util.Map;

/**
 * Keys of the bucket {@code sec-live} authenticate callers for the whole application; the change feed is polled every
 * half second, so a revoked key is refused within it. The store is the filter's default DataSource
 * {@code java:comp/env/jdbc/gatekey} (web.xml).
 */
@ApiKeyAuthenticationMechanismDefinition(bucket = "sec-live",
        changePollMillis = "500", realm = "reports")
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
