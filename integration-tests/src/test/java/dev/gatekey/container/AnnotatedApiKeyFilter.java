package dev.gatekey.container;

import dev.gatekey.filter.ApiKeyFilter;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.annotation.WebInitParam;

/** Registration by annotation; the database URL comes from a system property the test sets. */
@WebFilter(filterName = "gatekey-annotated", urlPatterns = "/api/*", initParams = {
    @WebInitParam(name = "bucket", value = "orders"),
    @WebInitParam(name = "jdbcUrl", value = "${sys:" + AnnotatedApiKeyFilter.JDBC_URL_PROPERTY + "}"),
    @WebInitParam(name = "changePollMillis", value = "100")
})
public class AnnotatedApiKeyFilter extends ApiKeyFilter {

    static final String JDBC_URL_PROPERTY = "gatekey.container.annotated.jdbcUrl";
}
