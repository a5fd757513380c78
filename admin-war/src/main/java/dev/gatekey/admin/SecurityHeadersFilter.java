package dev.gatekey.admin;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * Browser hardening headers on every answer of the WAR, set before the chain runs so refusals carry them too.
 *
 * <table>
 * <caption>Headers</caption>
 * <tr><th>header</th><th>value</th></tr>
 * <tr><td>{@code Content-Security-Policy}</td><td>{@value #CONTENT_SECURITY_POLICY}: the web UI loads only its
 *     own files and runs no inline script or style</td></tr>
 * <tr><td>{@code X-Content-Type-Options}</td><td>{@code nosniff}</td></tr>
 * <tr><td>{@code X-Frame-Options}</td><td>{@code DENY} (older browsers; CSP {@code frame-ancestors} for the
 *     rest)</td></tr>
 * <tr><td>{@code Referrer-Policy}</td><td>{@code no-referrer}</td></tr>
 * <tr><td>{@code Cache-Control}</td><td>{@code no-store} under {@code /api/} and {@code /session} (answers
 *     may hold keys), {@code no-cache} elsewhere (the UI's files are revalidated, so an upgrade shows at
 *     once)</td></tr>
 * </table>
 */
public final class SecurityHeadersFilter implements Filter {

    public static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; "
            + "img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'";

    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain)
            throws IOException, ServletException {
        if (req instanceof HttpServletRequest request && res instanceof HttpServletResponse response) {
            response.setHeader("Content-Security-Policy", CONTENT_SECURITY_POLICY);
            response.setHeader("X-Content-Type-Options", "nosniff");
            response.setHeader("X-Frame-Options", "DENY");
            response.setHeader("Referrer-Policy", "no-referrer");
            String path = request.getRequestURI().substring(request.getContextPath().length());
            boolean api = path.startsWith("/api/") || path.equals(dev.gatekey.admin.api.SessionServlet.MAPPING);
            response.setHeader("Cache-Control", api ? "no-store" : "no-cache");
        }
        chain.doFilter(req, res);
    }
}
