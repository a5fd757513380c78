package dev.gatekey.examples.selfserve;

import dev.gatekey.persistence.ConflictException;
import dev.gatekey.persistence.DatabaseUnavailableException;
import dev.gatekey.persistence.KeyManagement;
import dev.gatekey.persistence.NewConsumer;
import dev.gatekey.persistence.NewKey;
import dev.gatekey.persistence.Provisioned;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /home}, where the sign-in form leads: the first visit of each sign-in (HTTP session) provisions the
 * user's consumer and key; when that created them, the page shows the key, this once. Later sign-ins find the
 * consumer and show no key: the key is stored only as a hash, and the portal manages it from then on.
 */
public class HomeServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    /** Set in the HTTP session once this sign-in has provisioned: a reload shows nothing again. */
    static final String PROVISIONED = HomeServlet.class.getName() + ".provisioned";

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String user = request.getRemoteUser();
        HttpSession session = request.getSession();
        String body;
        if (session.getAttribute(PROVISIONED) instanceof String consumer) {
            body = welcome(request, consumer);
        } else {
            Provisioned provisioned;
            try {
                provisioned = provision(user);
            } catch (ConflictException e) {
                response.setStatus(HttpServletResponse.SC_CONFLICT);
                Pages.write(request, response, "Sign-in", "<h1>Your API access cannot be set up</h1>"
                        + "<p class=\"error\">An account named like yours exists and is not yours; ask support.</p>");
                return;
            } catch (DatabaseUnavailableException e) {
                response.setStatus(HttpServletResponse.SC_SERVICE_UNAVAILABLE);
                Pages.write(request, response, "Sign-in", "<h1>Please try again</h1>"
                        + "<p class=\"error\">The key store is unavailable right now.</p>");
                return;
            }
            String consumer = provisioned.consumer().name();
            session.setAttribute(PROVISIONED, consumer);
            body = provisioned.created() ? newKey(request, consumer, provisioned.key().key()) : welcome(request, consumer);
        }
        Pages.write(request, response, "Home", body);
    }

    /** The user's consumer with a first key, created unless it exists (idempotent by consumer name). */
    private Provisioned provision(String user) {
        KeyManagement keys = SelfServeListener.keys(getServletContext());
        NewConsumer template = new NewConsumer(null, "MyApp account of " + user, Map.of("plan", "free"), null,
                List.of());
        return keys.selfServe().provision(SelfServeListener.ACTOR, SelfServeListener.bucket(getServletContext()),
                user, template, NewKey.plain().withDescription("created at first sign-in"));
    }

    private static String welcome(HttpServletRequest request, String consumer) {
        return "<h1>Welcome back</h1>"
                + "<p>Your API account is <code id=\"consumer\">" + Pages.escape(consumer) + "</code>. "
                + "Create, roll and revoke its keys in <a href=\"" + request.getContextPath()
                + "/settings/api-keys\">Settings: API keys</a>.</p>";
    }

    private static String newKey(HttpServletRequest request, String consumer, String key) {
        String api = request.getScheme() + "://" + request.getServerName() + ":" + request.getServerPort()
                + request.getContextPath() + "/api/whoami";
        return "<h1>Welcome</h1>"
                + "<p>We created your API account <code id=\"consumer\">" + Pages.escape(consumer)
                + "</code> and its first key.</p>"
                + "<section id=\"new-key\" class=\"card\"><h2>Your API key</h2>"
                + "<p><strong>Copy it now: it is shown this once.</strong> We keep only a hash of it.</p>"
                + "<input id=\"new-key-value\" readonly value=\"" + Pages.escape(key) + "\" aria-label=\"Your API key\">"
                + "<p>Try it:</p><pre>curl -H \"Authorization: Bearer " + Pages.escape(key) + "\" "
                + Pages.escape(api) + "</pre></section>"
                + "<p>Manage your keys in <a href=\"" + request.getContextPath()
                + "/settings/api-keys\">Settings: API keys</a>.</p>";
    }
}
