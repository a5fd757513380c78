package dev.gatekey.examples.selfserve;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gatekey.principal.ApiKeyPrincipal;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/** {@code GET /api/whoami} (behind the Gatekey filter): {@code {"sub", "data", "keyId"}} of the calling key. */
public class WhoAmIServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        ApiKeyPrincipal caller = (ApiKeyPrincipal) request.getUserPrincipal();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("sub", caller.sub());
        body.put("data", caller.data());
        body.put("keyId", caller.keyId());
        response.setContentType("application/json");
        JSON.writeValue(response.getOutputStream(), body);
    }
}
