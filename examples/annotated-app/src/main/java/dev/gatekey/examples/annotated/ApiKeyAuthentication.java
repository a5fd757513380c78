package dev.gatekey.examples.annotated;

import dev.gatekey.filter.ApiKeyFilter;
import jakarta.annotation.Resource;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.annotation.WebInitParam;
import javax.sql.DataSource;

/**
 * The Gatekey filter registered by annotation: every request under {@code /api/} needs a key of bucket
 * {@code demo-live}. The key store is the container DataSource {@code java:comp/env/jdbc/gatekey}, the
 * filter's default, declared here so every container binds it for this application.
 */
@WebFilter(filterName = "gatekey", urlPatterns = "/api/*", initParams = {
    @WebInitParam(name = "bucket", value = "demo-live"),
    @WebInitParam(name = "realm", value = "annotated-app"),
})
@Resource(name = "jdbc/gatekey", type = DataSource.class)
public class ApiKeyAuthentication extends ApiKeyFilter {
}
