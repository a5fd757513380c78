package dev.gatekey.examples.selfserve;

import dev.gatekey.persistence.DatabaseUnavailableException;
import dev.gatekey.persistence.KeyManagement;
import dev.gatekey.persistence.PortalLink;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;

/**
 * The settings page "API keys" ({@code /settings/api-keys}). {@code GET} shows a button; {@code POST} opens a
 * portal session for the signed-in user ({@code KeyManagement.portal().open}) and redirects the browser to the
 * portal with the link's token in the fragment. The portal's "Back to the application" leads here again.
 *
 * <p>A link, not a frame: the portal's cookie is {@code SameSite=Strict}, so a framed portal keeps its session
 * only when the application and the admin WAR are on the same site, and the portal refuses framing unless
 * {@code gatekey.portalFrameAncestors} lists the application. Here both are on one origin, so a frame would
 * work too; a link works wherever the portal is deployed, and needs no setting.
 */
public class SettingsServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    /** How long the link can be opened: the redirect follows at once, so a short time suffices. */
    static final Duration LINK_LIFETIME = Duration.ofMinutes(5);

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Pages.write(request, response, "API keys", "<h1>API keys</h1>"
                + "<p>Your keys call this application's API (<code>/api/*</code>). Create a key, roll it with a "
                + "transition period, revoke it or label it in the key portal.</p>"
                + "<form method=\"post\"><button type=\"submit\" id=\"open-portal\">Manage API keys</button></form>");
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        KeyManagement keys = SelfServeListener.keys(getServletContext());
        String returnUrl = request.getRequestURL().toString();
        PortalLink link;
        try {
            link = keys.portal().open(SelfServeListener.ACTOR, SelfServeListener.bucket(getServletContext()),
                    request.getRemoteUser(), returnUrl, LINK_LIFETIME);
        } catch (DatabaseUnavailableException e) {
            response.setStatus(HttpServletResponse.SC_SERVICE_UNAVAILABLE);
            Pages.write(request, response, "API keys", "<h1>API keys</h1>"
                    + "<p class=\"error\">The key store is unavailable right now. Please try again.</p>");
            return;
        }
        response.setStatus(HttpServletResponse.SC_SEE_OTHER);
        response.setHeader("Cache-Control", "no-store");
        response.setHeader("Location", SelfServeListener.portalUrl(getServletContext()) + "#" + link.token());
    }
}
