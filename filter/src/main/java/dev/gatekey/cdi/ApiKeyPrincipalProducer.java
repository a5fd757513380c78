package dev.gatekey.cdi;

import dev.gatekey.principal.ApiKeyPrincipal;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.RequestScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;

/**
 * Makes {@code @Inject ApiKeyPrincipal} work in request scope where CDI is present (Jakarta EE containers,
 * Weld Servlet): it reads the request attribute {@value ApiKeyPrincipal#REQUEST_ATTRIBUTE} set by the filter
 * from the container's built-in {@link HttpServletRequest} bean.
 *
 * <p>The injected principal is a client proxy; the lookup happens at its first use. On a request the
 * filter let through without a key ({@code allowUnauthenticatedRequests=true}), or one the filter did not
 * see, that first use throws {@link IllegalStateException}: there is deliberately no "anonymous" principal
 * that could pass for an authenticated caller. Such applications read {@code request.getUserPrincipal()}.
 *
 * <p>The filter never loads this class, so it runs unchanged in a container without CDI.
 */
@ApplicationScoped
public class ApiKeyPrincipalProducer {

    private final HttpServletRequest request;

    @Inject
    public ApiKeyPrincipalProducer(HttpServletRequest request) {
        this.request = request;
    }

    /** For CDI's proxy of this bean only. */
    protected ApiKeyPrincipalProducer() {
        this.request = null;
    }

    @Produces
    @RequestScoped
    public ApiKeyPrincipal principal() {
        return principalOf(request);
    }

    static ApiKeyPrincipal principalOf(HttpServletRequest request) {
        if (request.getAttribute(ApiKeyPrincipal.REQUEST_ATTRIBUTE) instanceof ApiKeyPrincipal principal) {
            return principal;
        }
        throw new IllegalStateException("No API key principal on this request: it was not authenticated by the "
                + "Gatekey filter (anonymous request, or a path the filter does not cover)");
    }
}
