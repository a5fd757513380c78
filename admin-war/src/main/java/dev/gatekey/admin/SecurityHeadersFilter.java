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
 *     own files and runs no inline script or style. Below {@code /portal/} the same, except
 *     {@code frame-ancestors}: the setting {@code gatekey.portalFrameAncestors} (default {@code 'none'})</td></tr>
 * <tr><td>{@code X-Content-Type-Options}</td><td>{@code nosniff}</td></tr>
 * <tr><td>{@code X-Frame-Options}</td><td>{@code DENY} (older browsers; CSP {@code frame-ancestors} for the
 *     rest); not below {@code /portal/} when the portal may be framed</td></tr>
 * <tr><td>{@code Referrer-Policy}</td><td>{@code no-referrer}</td></tr>
 * <tr><td>{@code Cache-Control}</td><td>{@code no-store} under {@code /api/}, {@code /portal/api/} and
 *     {@code /session} (answers
 *     may hold keys), {@code no-cache} elsewhere (the UI's files are revalidated, so an upgrade shows at
 *     once)</td></tr>
 * </table>
 */
public final class SecurityHeadersFilter implements Filter {

    public static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; "
            + "img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'";
    private static final String PORTAL = "/portal";

    private final String portalPolicy;
    private final boolean portalFramable;

    /** The portal framed by nobody. */
    public SecurityHeadersFilter() {
        this("'none'");
    }

    /** @param portalFrameAncestors the portal's {@code frame-ancestors} sources, validated by the settings */
    public SecurityHeadersFilter(String portalFrameAncestors) {
        this.portalPolicy = CONTENT_SECURITY_POLICY.replace("frame-ancestors 'none'",
                "frame-ancestors " + portalFrameAncestors);
        this.portalFramable = !"'none'".equals(portalFrameAncestors);
    }

    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain)
            throws IOException, ServletException {
        if (req instanceof HttpServletRequest request && res instanceof HttpServletResponse response) {
            String path = request.getRequestURI().substring(request.getContextPath().length());
            boolean portal = path.equals(PORTAL) || path.startsWith(PORTAL + "/");
            response.setHeader("Content-Security-Policy", portal ? portalPolicy : CONTENT_SECURITY_POLICY);
            response.setHeader("X-Content-Type-Options", "nosniff");
            if (!(portal && portalFramable)) {
                response.setHeader("X-Frame-Options", "DENY");
            }
            response.setHeader("Referrer-Policy", "no-referrer");
            boolean api = path.startsWith("/api/") || path.startsWith(PORTAL + "/api/")
                    || path.equals(dev.gatekey.admin.api.SessionServlet.MAPPING);
            response.setHeader("Cache-Control", api ? "no-store" : "no-cache");
        }
        chain.doFilter(req, res);
    }
}
