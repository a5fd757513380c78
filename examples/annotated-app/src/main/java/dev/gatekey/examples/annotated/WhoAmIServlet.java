package dev.gatekey.examples.annotated;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gatekey.principal.ApiKeyPrincipal;
import jakarta.inject.Inject;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/** {@code GET /api/whoami}: the caller, as CDI injects it. */
@WebServlet("/api/whoami")
public class WhoAmIServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    private transient ApiKeyPrincipal caller;

    @Inject
    private transient Plans plans;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("sub", caller.sub());
        body.put("data", caller.data());
        body.put("keyId", caller.keyId());
        body.put("bucket", caller.bucket());
        body.put("plan", plans.currentPlan());
        response.setContentType("application/json");
        JSON.writeValue(response.getOutputStream(), body);
    }
}
