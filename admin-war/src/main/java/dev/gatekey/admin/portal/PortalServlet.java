package dev.gatekey.admin.portal;

import dev.gatekey.admin.http.HttpProblem;
import dev.gatekey.admin.http.Problem;
import dev.gatekey.persistence.PortalService;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The self-serve portal, mapped on {@value #MAPPING}: everything it needs lives below {@code {context}/portal/},
 * so a proxy can expose the portal alone. {@code api/...} goes to {@link PortalApi} (its own JSON routes, its own
 * session cookie), the rest to {@link PortalAssets} (a fixed list of files); {@code {context}/portal} redirects to
 * {@code {context}/portal/}. It authenticates nothing of the admin API and the admin API accepts nothing of it:
 * it never creates a servlet session, and its cookie is scoped to its path.
 *
 * <p>Failures are problem+json, as in the admin API; a database outage is a 503 with {@code Retry-After}.
 */
public final class PortalServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    /** Where the portal is mapped in the WAR. */
    public static final String MAPPING = "/portal/*";
    private static final Logger LOG = Logger.getLogger(PortalServlet.class.getName());

    private final transient PortalService portal;
    private final int maxBodyBytes;
    private transient PortalApi api;
    private transient PortalAssets assets;

    /** @param portal the portal service, with the session limits of the settings */
    public PortalServlet(PortalService portal, int maxBodyBytes) {
        this.portal = portal;
        this.maxBodyBytes = maxBodyBytes;
    }

    @Override
    public void init() throws ServletException {
        api = new PortalApi(portal, maxBodyBytes, Clock.systemUTC());
        assets = new PortalAssets(getServletContext());
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        try {
            String pathInfo = request.getPathInfo();
            if (pathInfo == null) {
                response.setStatus(HttpServletResponse.SC_FOUND);
                response.setHeader("Location", request.getContextPath() + "/portal/");
                return;
            }
            List<String> segments = Arrays.asList(pathInfo.substring(1).split("/", -1));
            if (segments.get(0).equals("api")) {
                api.handle(request, response, segments.subList(1, segments.size()));
            } else if (segments.size() == 1) {
                assets.serve(request.getMethod(), segments.get(0), response);
            } else {
                throw new HttpProblem(404, "no such resource");
            }
        } catch (Exception e) {
            Problem problem = Problem.of(e);
            LOG.log(problem.status() >= 500 ? Level.WARNING : Level.FINE, "Portal {0} {1}: {2} {3}",
                    new Object[] {request.getMethod(), request.getRequestURI(), problem.status(), problem.detail()});
            problem.writeTo(response);
        }
    }
}
