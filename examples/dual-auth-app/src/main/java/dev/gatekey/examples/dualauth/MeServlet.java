package dev.gatekey.examples.dualauth;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gatekey.principal.ApiKeyPrincipal;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.security.Principal;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code GET /api/me}: {@code {sub, data, via}}, the same shape for both kinds of caller. An API key's {@code data} is
 * its consumer's metadata; a JWT's is its {@code roles} claim.
 */
public class MeServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Principal caller = request.getUserPrincipal();
        Map<String, Object> me = new LinkedHashMap<>();
        if (caller instanceof ApiKeyPrincipal key) {
            me.put("sub", key.sub());
            me.put("data", key.data());
            me.put("via", "api-key");
        } else if (caller instanceof JwtPrincipal jwt) {
            me.put("sub", jwt.sub());
            me.put("data", Map.of("roles", jwt.roles()));
            me.put("via", "jwt");
        } else {
            // RequireCallerFilter lets no request without a caller reach this servlet
            throw new IllegalStateException("No caller: is RequireCallerFilter mapped?");
        }
        response.setContentType("application/json");
        response.setCharacterEncoding("UTF-8");
        JSON.writeValue(response.getOutputStream(), me);
    }
}
