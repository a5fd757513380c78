package dev.gatekey.matrix.security;

import dev.gatekey.security.ApiKeyAuthenticationMechanismDefinition;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Keys of the bucket {@code sec-live} authenticate callers for the whole application; the change feed is polled every
 * half second, so a revoked key is refused within it. The store is the filter's default DataSource
 * {@code java:comp/env/jdbc/gatekey} (web.xml). Like Jakarta Security's own definitions, the annotation sits on a CDI
 * bean (a class the container discovers: here {@code @ApplicationScoped}, with {@code bean-discovery-mode="annotated"}).
 * Credentials that are not keys of {@code sec-live} go to {@link PartnerTokens}.
 */
@ApiKeyAuthenticationMechanismDefinition(bucket = "sec-live", changePollMillis = "500", realm = "reports",
        foreignCredentials = "pass", delegate = "partnerTokens")
@ApplicationScoped
public class ApiKeySecurity {
}
