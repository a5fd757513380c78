package dev.gatekey.admin.it;

import dev.gatekey.principal.ApiKeyPrincipal;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/** The protected application of the test deployment: answers the key's consumer and key id. */
public class WhoAmIServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        ApiKeyPrincipal principal = (ApiKeyPrincipal) request.getUserPrincipal();
        response.setContentType("text/plain");
        response.getWriter().print(principal.sub() + " " + principal.keyId());
    }
}
