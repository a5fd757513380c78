package dev.gatekey.bench;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.security.Principal;

/**
 * The floor: the least a servlet API key filter does for a valid key, whatever its checks. It reads the header through
 * the Servlet API (the container makes the value a {@code String}), compares it with the one key it knows, sets the
 * principal as a request attribute (for CDI and other filters) and wraps the request so that
 * {@code getUserPrincipal()} answers. No format check, no cache, no metrics, no limits: what Gatekey costs above this
 * is its own, what this costs above the unfiltered handler is the container's.
 */
final class FloorFilter implements Filter {

    private final String header;
    private final Principal principal = () -> "floor";

    /** Accepts exactly {@code Bearer key}. */
    FloorFilter(String key) {
        this.header = "Bearer " + key;
    }

    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain)
            throws IOException, ServletException {
        HttpServletRequest request = (HttpServletRequest) req;
        if (!header.equals(request.getHeader("Authorization"))) {
            ((HttpServletResponse) res).setStatus(401);
            return;
        }
        request.setAttribute("dev.gatekey.bench.principal", principal);
        chain.doFilter(new HttpServletRequestWrapper(request) {
            @Override
            public Principal getUserPrincipal() {
                return principal;
            }
        }, res);
    }
}
